#!/usr/bin/env bash
# run_ingest_bench.sh: compare `severn ingest` with DuckDB loading the same CSV extracts.
#
# Usage: bench/run_ingest_bench.sh [--duckdb-only] [SRC_DIR] [RUNS]
#
#   SRC_DIR        output of `severn synth` (default: out/stw under the repository root)
#   RUNS           runs per engine (default 3); the summary quotes medians, never best runs
#   --duckdb-only  skip Severn (for use before `severn ingest` exists)
#
# Environment:
#   THREADS        worker threads for both engines (default 2, the size of the project's machines)
#   SEVERN         Severn binary (default build/release/severn)
#   BENCH_TMPDIR   where the scratch directory for the store, key and database goes (default
#                  $TMPDIR or /tmp). Both engines write to this same file system.
#
# What it does:
#   1. builds build/bench/memory_bandwidth (if missing or out of date) and runs it once;
#   2. reads every CSV file once, untimed, so both engines read from the page cache (dropping the
#      page cache needs privileges the benchmark should not assume, so it warms it instead);
#   3. for each run, runs Severn and DuckDB under /usr/bin/time -v, one after the other, swapping
#      which goes first on every run so neither always gets the warmer machine;
#   4. deletes the Severn store and the DuckDB database after each run;
#   5. prints a Markdown summary (also saved with the raw JSON under build/bench/results/).
#
# Needs: node with bench/node_modules (scripts/setup-bench), g++, GNU time at /usr/bin/time.
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }
die() { echo "run_ingest_bench: $*" >&2; exit 1; }
say() { echo "run_ingest_bench: $*" >&2; }

DUCKDB_ONLY=0
positional=()
for arg in "$@"; do
  case "$arg" in
    --duckdb-only) DUCKDB_ONLY=1 ;;
    -h|--help) usage; exit 0 ;;
    -*) die "unknown option $arg (see --help)" ;;
    *) positional+=("$arg") ;;
  esac
done
[ ${#positional[@]} -le 2 ] || die "too many arguments (see --help)"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC_ARG="${positional[0]:-$ROOT/out/stw}"
RUNS="${positional[1]:-3}"
THREADS="${THREADS:-2}"
SEVERN="${SEVERN:-$ROOT/build/release/severn}"
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive whole number, not '$RUNS'"
[[ "$THREADS" =~ ^[1-9][0-9]*$ ]] || die "THREADS must be a positive whole number, not '$THREADS'"
[ -d "$SRC_ARG" ] || die "source directory '$SRC_ARG' not found (generate it with: build/release/severn synth --out out/stw)"
SRC="$(cd "$SRC_ARG" && pwd)"

# The files both engines load (docs/data-model.md); the truth/ files are not input.
FILES=(
  gp/patients.csv gp/registrations.csv gp/events.csv gp/medications.csv
  sus/apc_spells.csv ecds/attendances.csv sus/outpatients.csv wlmds/rtt_pathways.csv
  community/contacts.csv social_care/episodes.csv partners/patients.csv
  ons/deaths.csv ncras/cancer_registrations.csv
)
csv_bytes=0
for f in "${FILES[@]}"; do
  [ -f "$SRC/$f" ] || die "$SRC/$f not found: is '$SRC_ARG' the output of 'severn synth'?"
  csv_bytes=$(( csv_bytes + $(stat -c %s "$SRC/$f") ))
done

# --- tools -------------------------------------------------------------------------------------
command -v node >/dev/null || die "node not found: run scripts/setup-bench (as root)"
[ -x /usr/bin/time ] || die "/usr/bin/time (GNU time) not found: apt-get install time"
command -v g++ >/dev/null || die "g++ not found: run scripts/setup (as root)"
[ -d "$ROOT/bench/node_modules/@duckdb/node-api" ] || die "bench/node_modules is not installed: run scripts/setup-bench (as root)"
# JSON parsing and medians are done in Node: it is needed for DuckDB anyway, so it is always here.

SEVERN_THREAD_ARGS=()
if [ "$DUCKDB_ONLY" -eq 0 ]; then
  [ -x "$SEVERN" ] || die "$SEVERN not found: build it with 'make build', or pass --duckdb-only"
  no_ingest="this build of Severn has no working 'ingest' command yet; rebuild once it has (make build), or run the DuckDB side alone with --duckdb-only"
  if ! help_text="$("$SEVERN" ingest --help 2>&1)"; then
    die "'$SEVERN ingest --help' failed: $no_ingest"
  fi
  # A CLI without the subcommand may still answer --help with its top-level help and exit 0, so
  # also check that the help is ingest's own: it must list the options this benchmark passes.
  for opt in --store --key-file --timings; do
    grep -q -- "$opt" <<<"$help_text" || die "'$SEVERN ingest --help' does not list $opt: $no_ingest"
  done
  # Give Severn the same thread count as DuckDB when it accepts one; otherwise it uses its default
  # (all cores), and the summary shows the count it reported.
  if grep -q -- '--threads' <<<"$help_text"; then SEVERN_THREAD_ARGS=(--threads "$THREADS"); fi
fi

# --- scratch and results directories -----------------------------------------------------------
WORK="$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/severn-ingest-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM   # so the EXIT trap also cleans up after Ctrl-C or kill
RESULTS="$ROOT/build/bench/results/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$RESULTS"

avail=$(df --output=avail -B1 "$WORK" | tail -1 | tr -d ' ')
need=$(( csv_bytes + (1 << 30) ))
if [ "$avail" -lt "$need" ]; then
  die "only $(( avail >> 20 )) MiB free under $WORK; need about $(( need >> 20 )) MiB for a store and a database (set BENCH_TMPDIR)"
fi

# --- memory bandwidth --------------------------------------------------------------------------
MEMBW="$ROOT/build/bench/memory_bandwidth"
if [ ! -x "$MEMBW" ] || [ "$ROOT/bench/memory_bandwidth.cpp" -nt "$MEMBW" ]; then
  say "building $MEMBW"
  mkdir -p "$(dirname "$MEMBW")"
  g++ -std=c++20 -O3 -march=native -Wall -Wextra -Werror -pthread "$ROOT/bench/memory_bandwidth.cpp" -o "$MEMBW"
fi
say "measuring memory bandwidth"
"$MEMBW" > "$RESULTS/memory_bandwidth.json"

# --- warm the page cache -----------------------------------------------------------------------
say "warming the page cache: reading $(( csv_bytes / 1000000 )) MB of CSV once (untimed)"
for f in "${FILES[@]}"; do cat "$SRC/$f" > /dev/null; done

# --- runs --------------------------------------------------------------------------------------
run_severn() {
  local i=$1
  rm -rf "$WORK/store"
  say "run $i/$RUNS: severn ingest"
  if ! /usr/bin/time -v -o "$RESULTS/severn_time_$i.txt" \
      "$SEVERN" ingest "$SRC" --store "$WORK/store" --key-file "$WORK/key" \
      --timings "$RESULTS/severn_timings_$i.json" "${SEVERN_THREAD_ARGS[@]}" \
      > "$RESULTS/severn_stdout_$i.txt" 2> "$RESULTS/severn_stderr_$i.txt"; then
    tail -n 20 "$RESULTS/severn_stderr_$i.txt" >&2 || true
    die "severn ingest failed on run $i (logs in $RESULTS)"
  fi
  [ -s "$RESULTS/severn_timings_$i.json" ] || die "severn ingest wrote no timings file on run $i"
  du -sb "$WORK/store" 2>/dev/null | cut -f1 > "$RESULTS/severn_store_bytes_$i.txt" || true
  rm -rf "$WORK/store"
}

run_duckdb() {
  local i=$1
  say "run $i/$RUNS: duckdb load"
  if ! /usr/bin/time -v -o "$RESULTS/duckdb_time_$i.txt" \
      node "$ROOT/bench/duckdb_load.mjs" "$SRC" "$THREADS" --db-dir "$WORK" \
      > "$RESULTS/duckdb_$i.json" 2> "$RESULTS/duckdb_stderr_$i.txt"; then
    tail -n 20 "$RESULTS/duckdb_stderr_$i.txt" >&2 || true
    die "DuckDB load failed on run $i (logs in $RESULTS)"
  fi
  # duckdb_load.mjs deletes its database; make sure nothing is left behind.
  rm -rf "$WORK"/duckdb-bench-*
}

if [ "$DUCKDB_ONLY" -eq 0 ]; then
  head -c 32 /dev/urandom > "$WORK/key"
  chmod 600 "$WORK/key"
fi

for (( i = 1; i <= RUNS; i++ )); do
  if [ "$DUCKDB_ONLY" -eq 1 ]; then
    run_duckdb "$i"
  elif (( i % 2 == 1 )); then
    run_severn "$i"; run_duckdb "$i"
  else
    run_duckdb "$i"; run_severn "$i"
  fi
done

# --- summary -----------------------------------------------------------------------------------
manifest=""
[ -f "$SRC/manifest.json" ] && manifest="$SRC/manifest.json"
node -e '
  const fs = require("fs");
  const [out, src, runs, threads, duckdbOnly, csvBytes, manifest, ...files] = process.argv.slice(1);
  fs.writeFileSync(out, JSON.stringify({src, runs: +runs, threads: +threads, duckdb_only: duckdbOnly === "1",
    csv_bytes: +csvBytes, manifest: manifest || null, files}, null, 2) + "\n");
' "$RESULTS/meta.json" "$SRC" "$RUNS" "$THREADS" "$DUCKDB_ONLY" "$csv_bytes" "$manifest" "${FILES[@]}"

node "$ROOT/bench/summarize_ingest_bench.mjs" "$RESULTS" | tee "$RESULTS/summary.md"
say "raw results and summary.md are in $RESULTS"
