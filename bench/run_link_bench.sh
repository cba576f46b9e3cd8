#!/usr/bin/env bash
# run_link_bench.sh: `severn link` speed and accuracy, measured (docs/linkage.md quotes its output).
#
# Usage: bench/run_link_bench.sh [PEOPLE] [RUNS]
#
#   PEOPLE   records per side of the large synthetic run (default 1000000: 1M against 1M)
#   RUNS     runs of each timed command (default 3); only medians are quoted
#
# Environment:
#   BUILD         build directory (default build/release; needs severn and bench/link_people)
#   THREADS       worker threads (default 2, the size of the project's machines)
#   SMALL         records per side of the blocking-against-all-pairs comparison (default 3000)
#   TESTDATA      the FEBRL4 / fake_1000 folder (default ../shared/testdata/linkage)
#   BENCH_TMPDIR  scratch directory (default $TMPDIR or /tmp)
#
# What it does:
#   1. generates PEOPLE + PEOPLE synthetic person records (bench/link_people, seed 1) and links
#      them RUNS times with examples/linkage/people.toml: median seconds, median peak memory,
#      and precision, recall and F1 of the links against the generator's truth;
#      (times are the whole command's wall time: reading, linking and writing every output);
#   2. on SMALL + SMALL records, runs blocked linkage and a plain all-pairs run scored with the
#      blocked run's model, alternately RUNS times: median times, their ratio, a check that every
#      blocked link is an all-pairs link with the same scores (exit 1 if not), and the count of
#      links only the all-pairs run finds (true matches lost to blocking);
#   3. runs the worked FEBRL4 and fake_1000 configurations and scores them against their truth.
set -euo pipefail

die() { echo "run_link_bench: $*" >&2; exit 1; }
say() { echo "run_link_bench: $*" >&2; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PEOPLE="${1:-1000000}"
RUNS="${2:-3}"
BUILD="${BUILD:-$ROOT/build/release}"
THREADS="${THREADS:-2}"
SMALL="${SMALL:-3000}"
TESTDATA="${TESTDATA:-$ROOT/../shared/testdata/linkage}"
SEVERN="$BUILD/severn"
GEN="$BUILD/bench/link_people"
WORK="${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/severn-link-bench"
[ -x "$SEVERN" ] || die "$SEVERN not built (cmake --build $BUILD --target severn)"
[ -x "$GEN" ] || die "$GEN not built (cmake --build $BUILD --target link_people)"
mkdir -p "$WORK"

json_number() { sed -n "s/.*\"$2\": \([0-9.eE+-]*\).*/\1/p" "$1" | head -1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
evaluate() { "$SEVERN" link evaluate "$@" | tr '\n' ' '; }

# 1. The large run.
say "generating $PEOPLE + $PEOPLE synthetic records"
"$GEN" --people "$PEOPLE" --seed 1 --overlap 0.8 --out "$WORK/big" >&2
times=(); mems=()
for run in $(seq 1 "$RUNS"); do
  out="$WORK/big-out"
  rm -rf "$out"
  start=$(now)
  "$SEVERN" link --config "$ROOT/examples/linkage/people.toml" "$WORK/big/left.csv" "$WORK/big/right.csv" \
    --out "$out" --threads "$THREADS" > "$WORK/big-run$run.txt"
  times+=("$(elapsed "$start" "$(now)")")
  mems+=("$(json_number "$out/summary.json" peak_memory_bytes)")
  say "large run $run: ${times[-1]} s, peak $(( ${mems[-1]} / 1048576 )) MiB"
done
big_time=$(printf '%s\n' "${times[@]}" | median)
big_mem=$(printf '%s\n' "${mems[@]}" | median)
big_eval=$(evaluate --pairs "$WORK/big-out/pairs.csv" --truth "$WORK/big/truth.csv")
big_candidates=$(json_number "$WORK/big-out/summary.json" candidate_pairs)

# 2. Blocking against all pairs on a small input, same model.
say "generating $SMALL + $SMALL records for the all-pairs comparison"
"$GEN" --people "$SMALL" --seed 2 --overlap 0.8 --out "$WORK/small" >&2
"$SEVERN" link --config "$ROOT/examples/linkage/people.toml" "$WORK/small/left.csv" "$WORK/small/right.csv" \
  --out "$WORK/small-train" --threads "$THREADS" > /dev/null
blocked=(); allpairs=()
for run in $(seq 1 "$RUNS"); do
  for mode in blocked all; do
    out="$WORK/small-$mode"
    rm -rf "$out"
    extra=(); [ "$mode" = all ] && extra=(--all-pairs)
    start=$(now)
    "$SEVERN" link --config "$ROOT/examples/linkage/people.toml" "$WORK/small/left.csv" "$WORK/small/right.csv" \
      --out "$out" --threads "$THREADS" --model "$WORK/small-train/model.toml" "${extra[@]}" > /dev/null
    t=$(elapsed "$start" "$(now)")
    if [ "$mode" = blocked ]; then blocked+=("$t"); else allpairs+=("$t"); fi
  done
done
small_blocked=$(printf '%s\n' "${blocked[@]}" | median)
small_all=$(printf '%s\n' "${allpairs[@]}" | median)
# Every link of the blocked run must be an all-pairs link with the same probability and weight
# (same model, same scorer); the all-pairs run may find more: true matches that no blocking rule
# generates, which is what the lost-match estimate estimates. Both are counted.
tail -n +2 "$WORK/small-blocked/pairs.csv" | sort > "$WORK/small-blocked.sorted"
tail -n +2 "$WORK/small-all/pairs.csv" | sort > "$WORK/small-all.sorted"
missing=$(comm -23 "$WORK/small-blocked.sorted" "$WORK/small-all.sorted" | wc -l)
lost_links=$(comm -13 "$WORK/small-blocked.sorted" "$WORK/small-all.sorted" | wc -l)
if [ "$missing" -eq 0 ]; then same="yes"; else same="NO ($missing blocked links missing from the all-pairs run)"; fi
small_links=$(($(wc -l < "$WORK/small-blocked/pairs.csv") - 1))

# 3. The public benchmarks.
febrl="absent"; fake="absent"
if [ -f "$TESTDATA/dataset4a.csv" ]; then
  start=$(now)
  "$SEVERN" link --config "$ROOT/examples/linkage/febrl4.toml" "$TESTDATA/dataset4a.csv" "$TESTDATA/dataset4b.csv" \
    --out "$WORK/febrl4" --threads "$THREADS" > /dev/null
  febrl_time=$(elapsed "$start" "$(now)")
  awk -F', ' 'FNR > 1 { n = $1; sub(/^rec-/, "", n); sub(/-.*/, "", n); print $1 "," n }
              BEGIN { print "id,cluster" }' "$TESTDATA/dataset4a.csv" "$TESTDATA/dataset4b.csv" > "$WORK/febrl4-truth.csv"
  febrl="$(evaluate --pairs "$WORK/febrl4/pairs.csv" --truth "$WORK/febrl4-truth.csv")in $febrl_time s"
  start=$(now)
  "$SEVERN" link --config "$ROOT/examples/linkage/fake_1000.toml" "$TESTDATA/fake_1000.csv" --out "$WORK/fake_1000" \
    --threads "$THREADS" > /dev/null
  fake_time=$(elapsed "$start" "$(now)")
  fake="$(evaluate --clusters "$WORK/fake_1000/clusters.csv" --truth "$TESTDATA/fake_1000.csv" --id-column unique_id \
    --cluster-column cluster)in $fake_time s"
fi

cat <<REPORT
## severn link benchmark ($(date -u +%Y-%m-%d), $THREADS threads, $(nproc) cores, medians of $RUNS runs)

| run | result |
|---|---|
| $PEOPLE against $PEOPLE synthetic records | $big_time s (runs: ${times[*]}), peak memory $(( ${big_mem%.*} / 1048576 )) MiB, $big_candidates candidate pairs |
| its lost-match estimate | $(grep 'lost matches' "$WORK/big-run$RUNS.txt" | head -1 | sed 's/^ *//') |
| its links against the truth | $big_eval |
| $SMALL against $SMALL, blocked | $small_blocked s ($small_links links) |
| $SMALL against $SMALL, all pairs | $small_all s |
| all pairs / blocked | $(awk -v a="$small_all" -v b="$small_blocked" 'BEGIN { printf "%.1f", a / b }') times slower; every blocked link also accepted by all pairs: $same; links only all pairs finds (lost to blocking): $lost_links |
| FEBRL4 (4a against 4b, links) | $febrl |
| fake_1000 (dedupe, clusters) | $fake |
REPORT
[ "$same" = "yes" ] || die "a blocked link is not an all-pairs link: $same"
