#!/usr/bin/env bash
# Thread settings on a shared machine: datamux bench (roberta-small, seq 64, 8 groups, N = 5,
# inference) at 1 and 2 threads, with libgomp's spin-waiting (GOMP_SPINCOUNT=300000 is its
# default when nothing is set), a short spin, and passive waiting (what datamux sets unless told
# otherwise: runners/main.cpp), idle and next to one competing busy process (a shell loop,
# nice 0, started before and killed after each measurement). Prints one line per setting:
# instances/s, median of the rounds.
#   bench/threads.sh [ROUNDS]       (docs/performance.md, "Threads")
set -euo pipefail
cd "$(dirname "$0")/.."
datamux=${DATAMUX:-build/bin/datamux}
rounds=${1:-3}
bench() {  # bench WAIT THREADS: WAIT is an environment assignment
  local wait=$1 threads=$2
  env -u OMP_WAIT_POLICY -u GOMP_SPINCOUNT "$wait" "$datamux" bench --threads "$threads" --backbone roberta --preset roberta-small --seq 64 --batch 8 --n 5 \
    --repeats 5 --gemm-size 256 --json | /usr/bin/python3 -c \
    'import json,sys; print(json.loads(sys.stdin.readline())["instances_per_s"])'
}
median() { /usr/bin/python3 -c 'import statistics,sys; print("%.1f" % statistics.median(map(float, sys.argv[1:])))' "$@"; }
printf '%-10s %-8s %-22s %s\n' load threads wait "inst/s (median of $rounds)"
for load in idle busy; do
  for threads in 1 2; do
    for wait in GOMP_SPINCOUNT=300000 GOMP_SPINCOUNT=10000 OMP_WAIT_POLICY=PASSIVE; do
      rates=()
      for _ in $(seq "$rounds"); do
        busy=""
        if [ "$load" = busy ]; then (while :; do :; done) & busy=$!; fi
        rate=$(bench "$wait" "$threads")
        if [ -n "$busy" ]; then kill "$busy"; fi
        rates+=("$rate")
      done
      printf '%-10s %-8s %-22s %s\n' "$load" "$threads" "$wait" "$(median "${rates[@]}")"
    done
  done
done
