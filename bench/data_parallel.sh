#!/usr/bin/env bash
# Data-parallel scaling on this machine (docs/performance.md, "Data-parallel training"):
# `datamux train` at 1 and 2 ranks (Gloo over 127.0.0.1, one thread per rank), measured
# alternately in one run so that a change in the machine's load hits both alike. Each rank
# trains roberta-small on the toy task at a fixed per-rank batch (weak scaling); the rate is
# steps / run.json's wall_s (the training loop, without start-up and the final evaluation).
# Prints one line per measurement and the medians with the scaling efficiency:
# (global instances/s at 2 ranks) / (2 x instances/s at 1 rank).
#   bench/data_parallel.sh [ROUNDS] [STEPS]
set -euo pipefail
cd "$(dirname "$0")/.."
datamux=$(realpath "${DATAMUX:-build/bin/datamux}")
rounds=${1:-3}
steps=${2:-30}
groups=8 n=2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/exp.json" <<JSON
{"run": {"seed": 1, "device": "cpu", "threads": 1},
 "model": {"num_instances": $n, "max_seq_length": 32, "auxiliary_weight": 0},
 "backbone": {"plugin": "roberta", "preset": "roberta-small"},
 "multiplexer": {"plugin": "gaussian_hadamard"}, "demultiplexer": {"plugin": "index"},
 "task": {"plugin": "sequence_classification"},
 "data": {"train_examples": 2000, "eval_examples": 16, "min_words": 24, "max_words": 24},
 "train": {"steps": $steps, "batch_size": $groups, "throughput_repeats": 0, "log_every": 1000}}
JSON
port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
rate() {  # rate RUN_DIR: steps/s of the training loop
  /usr/bin/python3 -c 'import json,sys; r=json.load(open(sys.argv[1]+"/run.json")); print(r["steps_done"]/r["wall_s"])' "$1"
}
run() {  # run WORLD OUT
  local world=$1 out=$2 p
  p=$(port)
  if [ "$world" = 1 ]; then
    OMP_NUM_THREADS=1 "$datamux" train --config "$work/exp.json" --out "$out" 2>/dev/null
    return
  fi
  local pids=()
  for rank in $(seq 0 $((world - 1))); do
    RANK=$rank WORLD_SIZE=$world LOCAL_RANK=$rank MASTER_ADDR=127.0.0.1 MASTER_PORT=$p \
      GLOO_SOCKET_IFNAME=lo OMP_NUM_THREADS=1 \
      "$datamux" train --config "$work/exp.json" --out "$out" 2>/dev/null &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid"; done
}
median() { /usr/bin/python3 -c 'import statistics,sys; print("%.3f" % statistics.median(map(float, sys.argv[1:])))' "$@"; }
one=() two=()
printf '%-6s %-6s %s\n' round ranks steps/s
for round in $(seq "$rounds"); do
  for world in 1 2; do
    run "$world" "$work/r$round-w$world"
    r=$(rate "$work/r$round-w$world")
    printf '%-6s %-6s %.3f\n' "$round" "$world" "$r"
    if [ "$world" = 1 ]; then one+=("$r"); else two+=("$r"); fi
  done
done
m1=$(median "${one[@]}") m2=$(median "${two[@]}")
/usr/bin/python3 - "$m1" "$m2" "$groups" "$n" <<'PY'
import sys
m1, m2, groups, n = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
per_step = groups * n
print(f"1 rank : {m1:.3f} steps/s, {m1 * per_step:.1f} instances/s (batch {groups} groups x N={n})")
print(f"2 ranks: {m2:.3f} steps/s, {m2 * 2 * per_step:.1f} instances/s (global batch {2 * groups} groups)")
print(f"scaling efficiency: {m2 * 2 * per_step / (2 * m1 * per_step):.2f}")
PY
