#!/usr/bin/python3
"""Runs `datamux bench` and the eager PyTorch model (bench/eager.py) on identical shapes,
alternating between them, and prints their instances/s and the ratio for each N.

Each round measures every N with both implementations, one process per measurement, and the
order of the two flips from round to round, so that a change in the machine's load (it is
shared) hits both alike. The reported rate is the median over the rounds. The parameter counts
and FLOPs of both models are compared too: they must agree, or the ratio compares different
models.

  /usr/bin/python3 bench/compare.py --backbone roberta --preset roberta-base --n 1,5,20 \
      --batch 4 --seq 128 --mode infer --rounds 3 --out bench/results/roberta-base-infer.json
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_json_lines(command, timeout):
    # Both under the OpenMP wait policy datamux itself sets (runners/main.cpp): spinning workers
    # cost either implementation many times its speed on a shared machine.
    environment = dict(os.environ)
    environment.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                              env=environment)
    except subprocess.TimeoutExpired:
        sys.exit(f"compare: timed out after {timeout} s: {' '.join(command)}")
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["(no output)"])[-1]
        sys.exit(f"compare: {' '.join(command[:3])} ... failed ({done.returncode}): {last}")
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def shared_arguments(args, n):
    return ["--backbone", args.backbone, "--preset", args.preset, "--n", str(n),
            "--batch", str(args.batch), "--seq", str(args.seq), "--mode", args.mode,
            "--threads", str(args.threads), "--repeats", str(args.repeats),
            "--vocab", str(args.vocab)]


def measure_datamux(args, n):
    command = [args.datamux, "bench", *shared_arguments(args, n), "--json"]
    return run_json_lines(command, args.timeout)[0]


def measure_eager(args, n):
    command = [args.python, os.path.join(ROOT, "bench", "eager.py"), *shared_arguments(args, n)]
    return run_json_lines(command, args.timeout)[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backbone", choices=["roberta", "lstm"], required=True)
    parser.add_argument("--preset", required=True)
    parser.add_argument("--n", default="1,5,20")
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--seq", type=int, default=128)
    parser.add_argument("--mode", choices=["infer", "train"], default="infer")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--vocab", type=int, default=8000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--timeout", type=int, default=600, help="seconds per measurement")
    parser.add_argument("--datamux", default=os.path.join(ROOT, "build", "bin", "datamux"))
    parser.add_argument("--python", default="/usr/bin/python3", help="a python with torch")
    parser.add_argument("--out", help="write the measurements here (JSON), for bench/roofline.py")
    args = parser.parse_args()

    ns = sorted({int(x) for x in args.n.split(",")})
    samples = {n: {"datamux": [], "eager": []} for n in ns}
    for round_index in range(args.rounds):
        for n in ns:
            order = ["datamux", "eager"] if round_index % 2 == 0 else ["eager", "datamux"]
            for which in order:
                row = measure_datamux(args, n) if which == "datamux" else measure_eager(args, n)
                samples[n][which].append(row)
                print(f"  round {round_index + 1} n={n} {which}: {row['instances_per_s']:.2f} inst/s",
                      file=sys.stderr, flush=True)

    print(f"# {args.backbone} {args.preset}, {args.mode}, B = {args.batch}, L = {args.seq}, "
          f"{args.threads} threads, median of {args.rounds} alternating rounds")
    print(f"{'n':>4} {'datamux inst/s':>15} {'eager inst/s':>13} {'ratio':>6} "
          f"{'datamux GFLOP/s':>16} {'of gemm':>8} {'params equal':>13} {'flops equal':>12}")
    rows = []
    for n in ns:
        ours, eager = samples[n]["datamux"], samples[n]["eager"]
        ours_rate = statistics.median(r["instances_per_s"] for r in ours)
        eager_rate = statistics.median(r["instances_per_s"] for r in eager)
        gflops = statistics.median(r["model_gflops_per_s"] for r in ours)
        gemm = statistics.median(r["gemm_gflops_per_s"] for r in ours)
        eager_gflops = statistics.median(r["flops"] / r["median_seconds"] / 1e9 for r in eager)
        params_equal = ours[0]["parameters"] == eager[0]["parameters"]
        flops_equal = abs(ours[0]["flops"] - eager[0]["flops"]) <= 1e-9 * ours[0]["flops"]
        print(f"{n:>4} {ours_rate:>15.2f} {eager_rate:>13.2f} {ours_rate / eager_rate:>6.2f} "
              f"{gflops:>16.1f} {gflops / gemm:>8.2f} {str(params_equal):>13} {str(flops_equal):>12}")
        if not params_equal or not flops_equal:
            print(f"     datamux {ours[0]['parameters']} parameters, {ours[0]['flops']:.6g} FLOPs; "
                  f"eager {eager[0]['parameters']}, {eager[0]['flops']:.6g}")
        rows.append({"n": n, "datamux_instances_per_s": ours_rate, "eager_instances_per_s": eager_rate,
                     "ratio": ours_rate / eager_rate, "datamux_gflops_per_s": gflops,
                     "eager_gflops_per_s": eager_gflops, "gemm_gflops_per_s": gemm,
                     "parameters_equal": params_equal, "flops_equal": flops_equal,
                     "datamux": ours, "eager": eager})
    if args.out:
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        with open(args.out, "w") as out:
            json.dump({"backbone": args.backbone, "preset": args.preset, "mode": args.mode,
                       "batch": args.batch, "seq": args.seq, "threads": args.threads,
                       "rounds": args.rounds, "rows": rows}, out, indent=1)


if __name__ == "__main__":
    main()
