#!/usr/bin/python3
"""The multiplexed model of DataMUX in plain PyTorch (eager, Python), for comparison with
`datamux bench`.

Written from the method's description (DESIGN.md section 1) with the shapes of the datamux
plugins, so that both run the same arithmetic: index prefix of N + 1 tokens, token and position
embeddings, gaussian hadamard multiplexing, a post-LN RoBERTa encoder (or a BiLSTM with
nn.LSTM), the index demultiplexer, a classification head and the retrieval head. Inference is a
forward pass under torch.inference_mode; a training step is forward, 0.9 task + 0.1 retrieval
loss, backward, gradient clipping at 1.0 and AdamW, as datamux's trainer does.

Prints one JSON object per N (n, instances_per_s, median_seconds, parameters, flops), measured
like datamux bench: one untimed warm-up (two steps in train mode), then the median of the
repeats. FLOPs are counted while the forward runs (2 per multiply-add of every matrix product
and recurrence, plus the multiplexer's weighted sum), independently of datamux's own formulas.

Run with Debian's python3-torch: /usr/bin/python3 bench/eager.py --backbone roberta ...
"""
import argparse
import json
import os
import math
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

# datamux's reserved vocabulary (sdk/model_context.h SpecialTokens).
PAD, BOS, EOS, MUX_CLS, MUX_FILLER, FIRST_INDEX, NUM_INDEX = 0, 2, 3, 4, 5, 6, 64
FIRST_ORDINARY = FIRST_INDEX + NUM_INDEX
IGNORE = -100

# The backbones' presets (plugins/backbones/*/plugin.cpp).
PRESETS = {
    "roberta-base": dict(layers=12, d=768, heads=12, ffn=3072),
    "roberta-small": dict(layers=4, d=256, heads=4, ffn=1024),
    "roberta-tiny": dict(layers=2, d=64, heads=2, ffn=128),
    "lstm-base": dict(layers=12, e=768, h=384),
    "lstm-small": dict(layers=4, e=256, h=128),
    "lstm-tiny": dict(layers=2, e=64, h=32),
}
MAX_POSITIONS = 514
DROPOUT = 0.1


class FlopCounter:
    """Counts the FLOPs of the matrix products as the forward executes them."""

    def __init__(self):
        self.total = 0.0
        self.enabled = False

    def matmul(self, rows, inner, cols):
        if self.enabled:
            self.total += 2.0 * rows * inner * cols

    def linear(self, x, layer):
        self.matmul(x.numel() // x.shape[-1], layer.in_features, layer.out_features)
        return layer(x)


FLOPS = FlopCounter()


class EncoderLayer(nn.Module):
    """Post-LN transformer layer (BERT/RoBERTa order), attention written out as HF does."""

    def __init__(self, d, heads, ffn):
        super().__init__()
        self.heads, self.head_dim = heads, d // heads
        self.query, self.key, self.value = nn.Linear(d, d), nn.Linear(d, d), nn.Linear(d, d)
        self.attn_out = nn.Linear(d, d)
        self.attn_norm = nn.LayerNorm(d, eps=1e-5)
        self.ffn_in, self.ffn_out = nn.Linear(d, ffn), nn.Linear(ffn, d)
        self.ffn_norm = nn.LayerNorm(d, eps=1e-5)
        self.dropout = nn.Dropout(DROPOUT)
        self.attn_dropout = nn.Dropout(DROPOUT)

    def split(self, x):
        b, l, _ = x.shape
        return x.view(b, l, self.heads, self.head_dim).transpose(1, 2)

    def forward(self, x, key_mask):
        b, l, d = x.shape
        q = self.split(FLOPS.linear(x, self.query))
        k = self.split(FLOPS.linear(x, self.key))
        v = self.split(FLOPS.linear(x, self.value))
        scores = torch.matmul(q / math.sqrt(self.head_dim), k.transpose(-2, -1))
        FLOPS.matmul(b * self.heads * l, self.head_dim, l)
        scores = scores.masked_fill(~key_mask, torch.finfo(scores.dtype).min)
        probs = self.attn_dropout(torch.softmax(scores, -1))
        context = torch.matmul(probs, v)
        FLOPS.matmul(b * self.heads * l, l, self.head_dim)
        context = context.transpose(1, 2).reshape(b, l, d)
        h = self.attn_norm(x + self.dropout(FLOPS.linear(context, self.attn_out)))
        f = FLOPS.linear(F.gelu(FLOPS.linear(h, self.ffn_in)), self.ffn_out)
        return self.ffn_norm(h + self.dropout(f))


class Roberta(nn.Module):
    def __init__(self, vocab, layers, d, heads, ffn):
        super().__init__()
        self.width = d
        self.word = nn.Embedding(vocab, d, padding_idx=PAD)
        self.position = nn.Embedding(MAX_POSITIONS, d)
        self.norm = nn.LayerNorm(d, eps=1e-5)
        self.dropout = nn.Dropout(DROPOUT)
        self.layers = nn.ModuleList(EncoderLayer(d, heads, ffn) for _ in range(layers))

    def embed(self, ids):
        positions = torch.arange(ids.shape[1], device=ids.device)
        return self.dropout(self.norm(self.word(ids) + self.position(positions)))

    def encode(self, x, mask):
        key_mask = mask[:, None, None, :]
        for layer in self.layers:
            x = layer(x, key_mask)
        return x


class Lstm(nn.Module):
    def __init__(self, vocab, layers, e, h):
        super().__init__()
        self.width, self.e, self.h, self.num_layers = e, e, h, layers
        self.word = nn.Embedding(vocab, e, padding_idx=PAD)
        self.dropout = nn.Dropout(DROPOUT)
        self.lstm = nn.LSTM(e, h, num_layers=layers, dropout=DROPOUT if layers > 1 else 0.0,
                            bidirectional=True, batch_first=True)

    def embed(self, ids):
        return self.dropout(self.word(ids))

    def encode(self, x, mask):
        b, l, _ = x.shape
        for layer in range(self.num_layers):
            inputs = self.e if layer == 0 else 2 * self.h
            FLOPS.matmul(2 * b * l, inputs + self.h, 4 * self.h)  # both directions, all gates
        lengths = mask.sum(1).clamp_min(1).cpu()
        packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True,
                                                   enforce_sorted=False)
        out, _ = self.lstm(packed)
        return nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=l)[0]


class MuxModel(nn.Module):
    """Prefix -> embed -> gaussian hadamard mix -> encode -> index demux -> heads."""

    def __init__(self, backbone, n, vocab, labels=2, norm=20.0):
        super().__init__()
        d = backbone.width
        self.backbone, self.n, self.d, self.vocab = backbone, n, d, vocab
        prefix = torch.full((n, n + 1), MUX_FILLER, dtype=torch.long)
        prefix[torch.arange(n), torch.arange(n)] = FIRST_INDEX + torch.arange(n)
        prefix[:, n] = MUX_CLS
        self.register_buffer("prefix", prefix, persistent=False)
        phi = torch.randn(n, d)
        self.register_buffer("phi", phi / phi.norm(dim=1, keepdim=True) * norm)
        # The demultiplexer's Linear(2d -> d) on [h_i ; h_t], applied as two d x d halves.
        self.demux_weight = nn.Parameter(torch.randn(d, 2 * d) * 0.02)
        self.demux_bias = nn.Parameter(torch.zeros(d))
        self.demux_norm = nn.LayerNorm(d)
        self.cls_dropout = nn.Dropout(DROPOUT)
        self.cls_dense, self.cls_out = nn.Linear(d, d), nn.Linear(d, labels)
        self.ret_dense, self.ret_norm = nn.Linear(d, d), nn.LayerNorm(d, eps=1e-5)
        self.ret_decoder = nn.Linear(d, vocab)

    def demux(self, index_states, position_states):
        d = self.d
        FLOPS.matmul(index_states.numel() // d + position_states.numel() // d, d, d)
        per_index = F.linear(index_states, self.demux_weight[:, :d], self.demux_bias)
        per_position = F.linear(position_states, self.demux_weight[:, d:])
        return self.demux_norm(F.gelu(per_index.unsqueeze(2) + per_position.unsqueeze(1)))

    def forward(self, ids, mask, labels, with_retrieval):
        rows, length = ids.shape
        n, d, groups = self.n, self.d, rows // self.n
        p = n + 1
        full_ids = torch.cat([self.prefix.repeat(groups, 1), ids], 1)
        full_mask = torch.cat([torch.ones(rows, p, dtype=torch.bool, device=ids.device), mask], 1)
        mixed_mask = full_mask.view(groups, n, -1).any(1)
        embedded = self.backbone.embed(full_ids)
        FLOPS.matmul(groups * n * (p + length), 1, d)  # one multiply-add per instance and element
        mixed = (embedded.view(groups, n, p + length, d) * self.phi[None, :, None, :]).mean(1)
        hidden = self.backbone.encode(mixed, mixed_mask)
        index_states = hidden[:, :n]
        sentence = self.demux(index_states, hidden[:, n:n + 1]).reshape(rows, d)
        h = torch.tanh(FLOPS.linear(self.cls_dropout(sentence), self.cls_dense))
        logits = FLOPS.linear(self.cls_dropout(h), self.cls_out)
        task_loss = F.cross_entropy(logits, labels)
        if not with_retrieval:
            return task_loss
        tokens = self.demux(index_states, hidden[:, p:])  # (B, N, L, d)
        k = torch.randint(n, (groups, 1, length), device=ids.device)
        selected = tokens.gather(1, k.unsqueeze(-1).expand(groups, 1, length, d)).squeeze(1)
        targets = ids.view(groups, n, length).gather(1, k).squeeze(1)
        targets = targets.masked_fill(~mask.view(groups, n, length).gather(1, k).squeeze(1), IGNORE)
        r = self.ret_norm(F.gelu(FLOPS.linear(selected, self.ret_dense)))
        ret_logits = FLOPS.linear(r, self.ret_decoder)
        retrieval_loss = F.cross_entropy(ret_logits.reshape(-1, self.vocab), targets.reshape(-1),
                                         ignore_index=IGNORE)
        return 0.9 * task_loss + 0.1 * retrieval_loss


def build(args, n):
    preset = PRESETS[args.preset]
    if args.backbone == "roberta":
        backbone = Roberta(args.vocab, preset["layers"], preset["d"], preset["heads"], preset["ffn"])
    else:
        backbone = Lstm(args.vocab, preset["layers"], preset["e"], preset["h"])
    return MuxModel(backbone, n, args.vocab)


def inputs(args, n, generator):
    rows = args.batch * n
    ids = torch.randint(FIRST_ORDINARY, args.vocab, (rows, args.seq), generator=generator)
    ids[:, 0], ids[:, -1] = BOS, EOS
    mask = torch.ones(rows, args.seq, dtype=torch.bool)
    labels = torch.randint(0, 2, (rows,), generator=generator)
    return ids, mask, labels


def count_flops(model, batch, train):
    model.eval()
    FLOPS.total, FLOPS.enabled = 0.0, True
    with torch.inference_mode():
        model(*batch, with_retrieval=train)
    FLOPS.enabled = False
    return FLOPS.total * (3 if train else 1)


def time_inference(model, batch, repeats):
    model.eval()
    seconds = []
    with torch.inference_mode():
        model(*batch, with_retrieval=False)  # warm-up
        for _ in range(repeats):
            start = time.perf_counter()
            model(*batch, with_retrieval=False)
            seconds.append(time.perf_counter() - start)
    return statistics.median(seconds)


def time_training(model, batch, repeats):
    model.train()
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=5e-5, weight_decay=0.01)
    ends = []
    for _ in range(2 + repeats):  # two warm-up steps, as datamux bench
        optimizer.zero_grad()
        loss = model(*batch, with_retrieval=True)
        loss.item()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optimizer.step()
        ends.append(time.perf_counter())
    return statistics.median(b - a for a, b in zip(ends[1:], ends[2:]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backbone", choices=["roberta", "lstm"], required=True)
    parser.add_argument("--preset", required=True, choices=sorted(PRESETS))
    parser.add_argument("--n", default="1,2,5,10,20")
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--seq", type=int, default=128)
    parser.add_argument("--mode", choices=["infer", "train"], default="infer")
    parser.add_argument("--threads", type=int, default=0, help="0: every core")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--vocab", type=int, default=8000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if not args.preset.startswith(args.backbone + "-"):
        parser.error(f"--preset {args.preset} is not a {args.backbone} preset")
    torch.set_num_threads(args.threads if args.threads > 0 else os.cpu_count())
    for n in sorted({int(x) for x in args.n.split(",")}):
        torch.manual_seed(args.seed)
        generator = torch.Generator().manual_seed(args.seed * 1000003 + n)
        model = build(args, n)
        batch = inputs(args, n, generator)
        train = args.mode == "train"
        flops = count_flops(model, batch, train)
        seconds = time_training(model, batch, args.repeats) if train else \
            time_inference(model, batch, args.repeats)
        print(json.dumps({
            "n": n, "instances_per_s": args.batch * n / seconds, "median_seconds": seconds,
            "parameters": sum(p.numel() for p in model.parameters()), "flops": flops,
            "mode": args.mode, "threads": torch.get_num_threads(), "implementation": "eager",
        }), flush=True)


if __name__ == "__main__":
    sys.exit(main())
