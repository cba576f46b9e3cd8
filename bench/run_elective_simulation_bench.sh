#!/usr/bin/env bash
# run_elective_simulation_bench.sh: the waiting-list simulation's budget (issue 17): 1,000 Monte
# Carlo runs of every specialty from the store's last month end to March 2029, one scenario (the
# status quo), on THREADS threads. Each run is `severn elective simulate --runs 1000
# --no-backtest --uplift-runs 0` with one scenario file, timed by GNU time; the simulation's own
# time (the Monte Carlo only, without reading the store) comes from simulation.json. The summary
# quotes medians of RUNS runs, never the best, with the machine's load average beside them, since
# a shared machine's wall-clock time says little without it.
#
# Usage: bench/run_elective_simulation_bench.sh [RUNS]
#   RUNS  timed runs (default 3)
#
# Environment: SEVERN (default build/release/severn), STORE (default /work/data/store),
# THREADS (default 2), MC_RUNS (default 1000). Results go to build/bench/results/elective-simulation-*/.
set -euo pipefail

die() { echo "run_elective_simulation_bench: $*" >&2; exit 1; }
case "${1:-}" in -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;; esac

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${1:-3}"
SEVERN="${SEVERN:-$ROOT/build/release/severn}"
STORE="${STORE:-/work/data/store}"
THREADS="${THREADS:-2}"
MC_RUNS="${MC_RUNS:-1000}"
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive whole number, not '$RUNS'"
[ -x "$SEVERN" ] || die "$SEVERN not found: build it (cmake --build build/release --target severn)"
[ -f "$STORE/manifest.json" ] || die "no store at $STORE (set STORE)"
[ -x /usr/bin/time ] || die "/usr/bin/time (GNU time) not found: apt-get install time"

OUT="$ROOT/build/bench/results/elective-simulation-$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"
cat > "$OUT/status_quo.toml" <<'TOML'
name = "status quo"
TOML

walls=() users=() sims=()
for i in $(seq 1 "$RUNS"); do
  load="$(cut -d' ' -f1 /proc/loadavg)"
  /usr/bin/time -f "%e %U %S %M" -o "$OUT/time-$i.txt" \
    "$SEVERN" elective simulate --store "$STORE" --out "$OUT/run-$i" --runs "$MC_RUNS" --threads "$THREADS" \
    --scenario "$OUT/status_quo.toml" --no-backtest --uplift-runs 0 > "$OUT/log-$i.txt" 2>&1 \
    || die "run $i failed: see $OUT/log-$i.txt"
  read -r wall user sys rss < "$OUT/time-$i.txt"
  sim="$(sed -n 's/.*"simulation_seconds": \([0-9.]*\).*/\1/p' "$OUT/run-$i/simulation.json")"
  echo "run $i: wall ${wall} s, user ${user} s, sys ${sys} s, max RSS $((rss / 1024)) MB, Monte Carlo ${sim} s (load average before: ${load})"
  walls+=("$wall"); users+=("$user"); sims+=("$sim")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
echo "median of $RUNS: wall $(median "${walls[@]}") s, user $(median "${users[@]}") s, Monte Carlo $(median "${sims[@]}") s" \
     "($MC_RUNS runs, $THREADS threads; budget 30 s)" | tee "$OUT/summary.txt"
cmp -s "$OUT/run-1/simulation.csv" "$OUT/run-$RUNS/simulation.csv" || die "simulation.csv differs between runs of the same seed"
