#!/usr/bin/env bash
# run_elective_clocks_bench.sh: time the RTT clock engine (docs/elective/clocks.md).
#
# Usage: bench/run_elective_clocks_bench.sh [STORE] [RUNS]
#
#   STORE  a store with wl_activity and wl_pathways (default /work/data/store17); when it has no
#          wl_activity the store step is skipped, saying so
#   RUNS   timed runs of `severn elective clocks` (default 5); the summary quotes the median
#
# Environment:
#   THREADS  worker threads (default 2, the size of the project's machines)
#   SEVERN   Severn binary (default build/release/severn)
#   TESTS    the elective test binary (default build/release/tests/test_elective)
#
# What it does:
#   1. runs the in-memory benchmark at the full store's size (ClockBench in
#      tests/elective/clock_bench_test.cpp: 1.9M pathways, 7.6M activity rows, generated; derivation
#      plus reconciliation on 2 threads, median of 3, wall and CPU time);
#   2. times `severn elective clocks --store STORE` end to end (opening and verifying the store,
#      derivation, reconciliation, writing the outputs) with hyperfine (one warm-up run, then RUNS
#      runs) or, without hyperfine, /usr/bin/time -v per run; prints the median and the load
#      average, since the machine may be shared.
set -euo pipefail

die() { echo "run_elective_clocks_bench: $*" >&2; exit 1; }
say() { echo "run_elective_clocks_bench: $*" >&2; }

ROOT=$(cd "$(dirname "$0")/.." && pwd)
STORE=${1:-/work/data/store17}
RUNS=${2:-5}
THREADS=${THREADS:-2}
SEVERN=${SEVERN:-$ROOT/build/release/severn}
TESTS=${TESTS:-$ROOT/build/release/tests/test_elective}
[[ -x "$SEVERN" ]] || die "no Severn binary at $SEVERN (build the severn target)"
[[ -x "$TESTS" ]] || die "no test binary at $TESTS (build the test_elective target)"

say "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
say "1/2: in-memory benchmark at full size"
SEVERN_ELECTIVE_CLOCK_BENCH=1 "$TESTS" --gtest_filter='ClockBench.*' | grep -E 'clock bench|OK|FAILED' || true

[[ -d "$STORE" ]] || { say "2/2: no store at $STORE; skipped"; exit 0; }
OUT=$(mktemp -d "${TMPDIR:-/tmp}/elective-clocks-bench.XXXXXX")
trap 'rm -rf "$OUT"' EXIT
if ! "$SEVERN" elective clocks --store "$STORE" --out "$OUT/check" --threads "$THREADS" >"$OUT/check.log" 2>&1; then
  say "2/2: severn elective clocks cannot run on $STORE:"
  cat "$OUT/check.log" >&2
  exit 0
fi
cat "$OUT/check.log"
say "2/2: severn elective clocks --store $STORE, $THREADS threads, $RUNS runs"
if command -v hyperfine >/dev/null; then
  hyperfine --warmup 1 --runs "$RUNS" --export-json "$OUT/hyperfine.json" \
    "$SEVERN elective clocks --store $STORE --out $OUT/run --threads $THREADS"
  python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results'][0]; print(f\"median {r['median']:.3f} s (min {r['min']:.3f}, max {r['max']:.3f}, {len(r['times'])} runs)\")" "$OUT/hyperfine.json"
else
  times=()
  for ((i = 0; i < RUNS; i++)); do
    /usr/bin/time -f '%e' -o "$OUT/time" "$SEVERN" elective clocks --store "$STORE" --out "$OUT/run" --threads "$THREADS" >/dev/null
    times+=("$(cat "$OUT/time")")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "median %.3f s over %d runs\n", a[int((NR+1)/2)], NR}'
fi
say "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
