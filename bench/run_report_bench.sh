#!/usr/bin/env bash
# run_report_bench.sh: `severn report` (every built-in library definition over the store,
# disclosure-controlled, the page written) timed side by side with another build of Severn, usually
# an earlier commit's, in one invocation. Runs alternate between the two binaries, which one goes
# first swapping each run; the summary quotes medians, never best runs, and the ratio. The
# published files (measures.csv, funnels.csv, inequality.csv of every definition) of the last run
# of each are compared byte for byte.
#
# Usage: bench/run_report_bench.sh OTHER_SEVERN [RUNS]
#   OTHER_SEVERN  the binary to compare with, e.g. an earlier commit built in a worktree:
#                   git worktree add --detach /tmp/severn-base 31154d7
#                   cmake -S /tmp/severn-base -B /tmp/severn-base/build -DCMAKE_BUILD_TYPE=Release
#                   cmake --build /tmp/severn-base/build -j2 --target severn
#                   bench/run_report_bench.sh /tmp/severn-base/build/severn 3
#   RUNS          runs of each (default 3)
#
# Environment: SEVERN (default build/release/severn), STORE (default out/store, which `make demo`
# builds), SEVERN_DATA (default ../shared/data), THREADS (default 2), INDEX_DATE (default
# 2025-03-31). Results and logs go to build/bench/results/report-YYYYMMDD-HHMMSS/.
#
# Exits 1 if the published files differ (after printing the summary).
set -euo pipefail

die() { echo "run_report_bench: $*" >&2; exit 1; }
case "${1:-}" in -h|--help|"") sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; [ -n "${1:-}" ] && exit 0; exit 1 ;; esac

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OTHER="$1"
RUNS="${2:-3}"
SEVERN="${SEVERN:-$ROOT/build/release/severn}"
STORE="${STORE:-$ROOT/out/store}"
export SEVERN_DATA="${SEVERN_DATA:-$ROOT/../shared/data}"
THREADS="${THREADS:-2}"
INDEX_DATE="${INDEX_DATE:-2025-03-31}"
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive whole number, not '$RUNS'"
[ -x "$OTHER" ] || die "$OTHER is not an executable"
[ -x "$SEVERN" ] || die "$SEVERN not found: build it with 'make build'"
[ -f "$STORE/manifest.json" ] || die "no store at $STORE: build one with 'make demo' (or set STORE)"
[ -x /usr/bin/time ] || die "/usr/bin/time (GNU time) not found: apt-get install time"

RESULTS="$ROOT/build/bench/results/report-$(date +%Y%m%d-%H%M%S)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/severn-report-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM
mkdir -p "$RESULTS"

run_one() {  # run_one NAME BINARY I
  local name=$1 bin=$2 i=$3 out="$WORK/$1"
  rm -rf "$out"
  echo "run_report_bench: run $i/$RUNS: $name" >&2
  /usr/bin/time -f "%e %M" -o "$RESULTS/${name}_time_$i.txt" "$bin" report --store "$STORE" --out "$out" \
    --index-date "$INDEX_DATE" --threads "$THREADS" --data "$SEVERN_DATA" --note "Benchmark run." \
    > "$RESULTS/${name}_log_$i.txt" 2>&1 || die "$name failed on run $i (log: $RESULTS/${name}_log_$i.txt)"
}

for i in $(seq 1 "$RUNS"); do
  if (( i % 2 )); then run_one other "$OTHER" "$i"; run_one this "$SEVERN" "$i"
  else run_one this "$SEVERN" "$i"; run_one other "$OTHER" "$i"; fi
done

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
walls() { for i in $(seq 1 "$RUNS"); do cut -d' ' -f1 "$RESULTS/$1_time_$i.txt"; done; }
rss() { for i in $(seq 1 "$RUNS"); do cut -d' ' -f2 "$RESULTS/$1_time_$i.txt"; done; }
other_wall=$(walls other | median); this_wall=$(walls this | median)
other_rss=$(rss other | median); this_rss=$(rss this | median)

differ=0
for dir in "$WORK"/this/data/*/; do
  name=$(basename "$dir")
  for f in measures.csv funnels.csv inequality.csv; do
    [ -f "$dir/$f" ] || continue
    cmp -s "$dir/$f" "$WORK/other/data/$name/$f" || { echo "run_report_bench: $name/$f differs" >&2; differ=1; }
  done
done

{
  echo "# severn report, side by side"
  echo
  echo "$(date +%F); $(nproc) cores; store $STORE; $THREADS threads; median of $RUNS alternating runs each."
  echo "This: $SEVERN ($(git -C "$ROOT" rev-parse --short HEAD)). Other: $OTHER."
  echo
  echo "| binary | wall time (median) | runs | peak RSS (median) |"
  echo "|---|---:|---|---:|"
  echo "| other | ${other_wall} s | $(walls other | paste -sd, | sed 's/,/, /g') s | $((other_rss / 1024)) MiB |"
  echo "| this | **${this_wall} s** | $(walls this | paste -sd, | sed 's/,/, /g') s | $((this_rss / 1024)) MiB |"
  echo
  echo "* **this / other: $(awk -v a="$this_wall" -v b="$other_wall" 'BEGIN { printf "%.2f", a / b }')** of the other's time ($(awk -v a="$this_wall" -v b="$other_wall" 'BEGIN { printf "%.1f", b / a }')× faster)."
  if (( differ )); then echo "* Published files: **differ** (see the log above)."
  else echo "* Published files: identical (measures.csv, funnels.csv and inequality.csv of every definition)."; fi
} | tee "$RESULTS/summary.md"
echo "run_report_bench: raw results and summary.md are in $RESULTS" >&2
exit "$differ"
