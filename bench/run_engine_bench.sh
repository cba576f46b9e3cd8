#!/usr/bin/env bash
# run_engine_bench.sh: the definition engine against DuckDB. `severn run` evaluates the 38 core
# measures of definitions/ics_core_measures.sev (12 monthly intervals, 5 breakdowns) over a store;
# DuckDB answers the same measures with the hand-written SQL in bench/ics_core_measures.sql over
# the same data. Both outputs are checked to be identical, row for row.
#
# Usage: bench/run_engine_bench.sh [RUNS]
#   RUNS   runs per engine (default 3); the summary quotes medians, never best runs
#
# Environment:
#   THREADS      worker threads for both engines (default 2, the size of the project's machines)
#   SEVERN       Severn binary (default build/release/severn); it is run, never built
#   STORE        the store (default out/store, which `make demo` builds)
#   SEVERN_DATA  the reference-data pack (default ../shared/data beside the repository)
#   DUCKDB_DB    DuckDB database file (default build/bench/engine/ics.duckdb); built once by
#                `engine_duckdb.mjs prepare` and reused while the store and code lists are unchanged
#   BENCH_TMPDIR where each run's output goes before it is copied (default $TMPDIR or /tmp)
#
# What it does:
#   1. loads the store's tables, the code lists and the reference tables into the DuckDB database
#      file (untimed; skipped when the database is up to date);
#   2. measures memory read bandwidth (build/release/bench/memory_bandwidth, as run_scan_bench.sh);
#   3. runs each engine once, untimed, so that the store and the database are in the page cache;
#   4. for each run, runs Severn and DuckDB under /usr/bin/time -v, one after the other, swapping
#      which goes first on every run;
#   5. compares every run's two measures.csv files exactly (sorted rows, as text);
#   6. prints a Markdown summary: medians of wall time and peak RSS, the DuckDB/Severn ratio, the
#      memory-bandwidth floor and the verification result. The summary and every raw file are
#      saved under build/bench/results/engine-YYYYMMDD-HHMMSS/.
#
# Exits 1 if the outputs differ (after printing the summary).
#
# Needs: node with bench/node_modules (scripts/setup-bench), GNU time at /usr/bin/time, and a built
# build/release/severn and build/release/bench/memory_bandwidth (make build).
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }
die() { echo "run_engine_bench: $*" >&2; exit 1; }
say() { echo "run_engine_bench: $*" >&2; }

case "${1:-}" in -h|--help) usage; exit 0 ;; esac
[ $# -le 1 ] || die "too many arguments (see --help)"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${1:-3}"
THREADS="${THREADS:-2}"
SEVERN="${SEVERN:-$ROOT/build/release/severn}"
STORE="${STORE:-$ROOT/out/store}"
export SEVERN_DATA="${SEVERN_DATA:-$ROOT/../shared/data}"
DB="${DUCKDB_DB:-$ROOT/build/bench/engine/ics.duckdb}"
DEF="$ROOT/definitions/ics_core_measures.sev"
SQL="$ROOT/bench/ics_core_measures.sql"
MEMBW="$ROOT/build/release/bench/memory_bandwidth"
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive whole number, not '$RUNS'"
[[ "$THREADS" =~ ^[1-9][0-9]*$ ]] || die "THREADS must be a positive whole number, not '$THREADS'"

# --- tools and inputs --------------------------------------------------------------------------
command -v node >/dev/null || die "node not found: run scripts/setup-bench (as root)"
[ -x /usr/bin/time ] || die "/usr/bin/time (GNU time) not found: apt-get install time"
[ -d "$ROOT/bench/node_modules/@duckdb/node-api" ] || die "bench/node_modules is not installed: run scripts/setup-bench (as root)"
[ -x "$SEVERN" ] || die "$SEVERN not found: build it with 'make build'"
[ -x "$MEMBW" ] || die "$MEMBW not found: build it with 'make build'"
[ -f "$STORE/manifest.json" ] || die "no store at $STORE: build one with 'make demo' (or set STORE)"
[ -d "$SEVERN_DATA/codelists" ] || die "reference-data pack not found at $SEVERN_DATA (set SEVERN_DATA)"
"$SEVERN" run --help 2>&1 | grep -q -- '--threads' || die "'$SEVERN run --help' does not list --threads"

WORK="$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/severn-engine-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM   # so the EXIT trap also cleans up after Ctrl-C or kill
RESULTS="$ROOT/build/bench/results/engine-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$RESULTS"

# --- 1. the DuckDB database (untimed) -----------------------------------------------------------
say "preparing the DuckDB database $DB (untimed; skipped if up to date)"
node "$ROOT/bench/engine_duckdb.mjs" prepare --store "$STORE" --sev "$DEF" --db "$DB" \
  --severn "$SEVERN" --data "$SEVERN_DATA" 2> >(tee "$RESULTS/duckdb_prepare.txt" >&2)

# --- 2. memory bandwidth -----------------------------------------------------------------------
say "measuring memory bandwidth"
"$MEMBW" > "$RESULTS/memory_bandwidth.json"

# --- 3 and 4. runs ------------------------------------------------------------------------------
# run_severn N: one Severn run; N = 0 is the untimed warm-up.
run_severn() {
  local i=$1 out="$WORK/severn-$1"
  rm -rf "$out"
  say "run $i/$RUNS: severn run"
  if ! /usr/bin/time -v -o "$RESULTS/severn_time_$i.txt" \
      "$SEVERN" run "$DEF" --store "$STORE" --out "$out" --threads "$THREADS" --no-disclosure-control \
      > "$RESULTS/severn_stdout_$i.txt" 2> "$RESULTS/severn_stderr_$i.txt"; then
    tail -n 20 "$RESULTS/severn_stderr_$i.txt" >&2 || true
    die "severn run failed on run $i (logs in $RESULTS)"
  fi
  # The SQL answers counts and value only: compare those columns (limits, statistic and notes
  # come after them). Disclosure control is off so both sides give exact counts.
  cut -d, -f1-8 "$out/measures.csv" > "$RESULTS/severn_measures_$i.csv"
  cp "$out/run.json" "$RESULTS/severn_run_$i.json"
  rm -rf "$out"   # dataset.csv (one row per person) is not kept
}

run_duckdb() {
  local i=$1 out="$WORK/duckdb-$1"
  rm -rf "$out"
  say "run $i/$RUNS: duckdb query"
  if ! /usr/bin/time -v -o "$RESULTS/duckdb_time_$i.txt" \
      node "$ROOT/bench/engine_duckdb.mjs" query --db "$DB" --sql "$SQL" --out "$out" --threads "$THREADS" \
      > "$RESULTS/duckdb_$i.json" 2> "$RESULTS/duckdb_stderr_$i.txt"; then
    tail -n 20 "$RESULTS/duckdb_stderr_$i.txt" >&2 || true
    die "DuckDB query failed on run $i (logs in $RESULTS)"
  fi
  cp "$out/measures.csv" "$RESULTS/duckdb_measures_$i.csv"
  rm -rf "$out"
}

say "warm-up (untimed): one run of each engine"
run_severn 0
run_duckdb 0
for (( i = 1; i <= RUNS; i++ )); do
  if (( i % 2 == 1 )); then
    run_severn "$i"; run_duckdb "$i"
  else
    run_duckdb "$i"; run_severn "$i"
  fi
done

# --- 5. verification ---------------------------------------------------------------------------
verified=1
for (( i = 1; i <= RUNS; i++ )); do
  if ! node "$ROOT/bench/engine_duckdb.mjs" compare "$RESULTS/severn_measures_$i.csv" \
      "$RESULTS/duckdb_measures_$i.csv" > "$RESULTS/compare_$i.json"; then
    verified=0
    say "run $i: the outputs differ (see $RESULTS/compare_$i.json)"
  fi
done
# Keep one copy of each output when every run gave the same file.
for engine in severn duckdb; do
  same=1
  for (( i = 2; i <= RUNS; i++ )); do
    cmp -s "$RESULTS/${engine}_measures_1.csv" "$RESULTS/${engine}_measures_$i.csv" || same=0
  done
  if (( same )); then
    cp "$RESULTS/${engine}_measures_1.csv" "$RESULTS/${engine}_measures.csv"
    rm -f "$RESULTS/${engine}_measures_"[0-9]*.csv
  fi
done

# --- 6. summary --------------------------------------------------------------------------------
{
  echo "{"
  echo "  \"runs\": $RUNS, \"threads\": $THREADS,"
  echo "  \"severn\": \"$SEVERN\", \"severn_commit\": \"$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)\","
  echo "  \"severn_built\": \"$(date -r "$SEVERN" '+%Y-%m-%d %H:%M')\","
  echo "  \"store\": \"$STORE\", \"definition\": \"$DEF\", \"sql\": \"$SQL\", \"duckdb_db\": \"$DB\","
  echo "  \"cpu\": \"$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)\", \"cores\": $(nproc),"
  echo "  \"ram_kib\": $(sed -n 's/^MemTotal: *\([0-9]*\) kB/\1/p' /proc/meminfo),"
  echo "  \"os\": \"$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")\","
  echo "  \"date\": \"$(date +%Y-%m-%d)\""
  echo "}"
} > "$RESULTS/meta.json"

node - "$RESULTS" "$STORE" "$verified" <<'JS' | tee "$RESULTS/summary.md"
const fs = require('fs');
const path = require('path');
const [results, store, verified] = process.argv.slice(2);
const meta = JSON.parse(fs.readFileSync(path.join(results, 'meta.json'), 'utf8'));
const mem = JSON.parse(fs.readFileSync(path.join(results, 'memory_bandwidth.json'), 'utf8'));
const runs = Array.from({ length: meta.runs }, (_, k) => k + 1);

// GNU time -v: wall clock "h:mm:ss" or "m:ss.ss", and maximum resident set size in KiB.
function timeV(file) {
  const text = fs.readFileSync(file, 'utf8');
  const wall = text.match(/Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (.*)/)[1].trim();
  const seconds = wall.split(':').reduce((acc, part) => acc * 60 + Number(part), 0);
  const rssKiB = Number(text.match(/Maximum resident set size \(kbytes\): (\d+)/)[1]);
  return { seconds, rssMiB: rssKiB / 1024 };
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const f = (x, d = 2) => x.toFixed(d);
const group = (x) => Math.round(x).toLocaleString('en-GB');

const sev = runs.map((i) => ({
  ...timeV(path.join(results, `severn_time_${i}.txt`)),
  own: JSON.parse(fs.readFileSync(path.join(results, `severn_run_${i}.json`), 'utf8')),
}));
const ddb = runs.map((i) => ({
  ...timeV(path.join(results, `duckdb_time_${i}.txt`)),
  own: JSON.parse(fs.readFileSync(path.join(results, `duckdb_${i}.json`), 'utf8')),
}));
const compares = runs.map((i) => JSON.parse(fs.readFileSync(path.join(results, `compare_${i}.json`), 'utf8')));

const sevWall = median(sev.map((r) => r.seconds));
const sevRss = median(sev.map((r) => r.rssMiB));
const sevOwn = median(sev.map((r) => r.own.seconds_total));
const ddbWall = median(ddb.map((r) => r.seconds));
const ddbRss = median(ddb.map((r) => r.rssMiB));
const ddbQuery = median(ddb.map((r) => r.own.query_seconds));

// The store columns the 38 measures read (definitions/ics_core_measures.sev), each read once in
// full: their value arrays, validity bitmaps and list offsets, and each table's person offsets.
// patients.pseudonym is there because `severn run` also writes dataset.csv.
const COLUMNS = {
  patients: ['date_of_birth', 'lsoa21_code', 'ethnic_category', 'pseudonym'],
  practice_registrations: ['start_date', 'end_date', 'practice_code'],
  clinical_events: ['date', 'snomedct_code', 'numeric_value'],
  medications: ['date', 'dmd_code'],
  apcs: ['admission_date', 'admission_method', 'primary_diagnosis', 'secondary_diagnoses'],
  ec: ['arrival_date'],
  opa: ['appointment_date', 'treatment_function_code'],
};
let bytes = 0;
const size = (p) => (fs.existsSync(p) ? fs.statSync(p).size : 0);
for (const [table, cols] of Object.entries(COLUMNS)) {
  const dir = path.join(store, 'tables', table);
  if (!fs.existsSync(path.join(dir, `${cols[0]}.bin`))) throw new Error(`${dir}/${cols[0]}.bin not found`);
  bytes += size(path.join(dir, 'person_offsets.bin'));
  for (const c of cols) for (const ext of ['bin', 'valid', 'list']) bytes += size(path.join(dir, `${c}.${ext}`));
}
const bw = mem.read_gbps_all * 1e9;
const floor = bytes / bw;
const rows = compares[0].rows;
const ok = verified === '1' && compares.every((c) => c.identical);

const lines = [];
lines.push(`# Definition engine vs DuckDB: ${path.basename(meta.definition)}`);
lines.push('');
lines.push(`${meta.date}; ${meta.cores} cores (${meta.cpu}), ${f(meta.ram_kib / 1048576, 1)} GiB RAM, ${meta.os}; ` +
  `repository at ${meta.severn_commit} (Severn binary built ${meta.severn_built}), DuckDB ${ddb[0].own.version}; ` +
  `${meta.threads} threads each; ` +
  `median of ${meta.runs} interleaved runs after one untimed warm-up run of each.`);
lines.push('');
lines.push('| engine | wall time (median) | runs | peak RSS (median) | own timer (median) |');
lines.push('|---|---:|---|---:|---:|');
lines.push(`| Severn \`severn run\` | **${f(sevWall)} s** | ${sev.map((r) => f(r.seconds)).join(', ')} s | ` +
  `${group(sevRss)} MiB | ${f(sevOwn)} s (run.json total) |`);
lines.push(`| DuckDB query (process) | ${f(ddbWall)} s | ${ddb.map((r) => f(r.seconds)).join(', ')} s | ` +
  `${group(ddbRss)} MiB | **${f(ddbQuery)} s** (query and CSV only: ${ddb.map((r) => f(r.own.query_seconds)).join(', ')} s) |`);
lines.push('');
lines.push(`* **DuckDB query time / Severn wall time: ${f(ddbQuery / sevWall, 1)}×** ` +
  `(process wall times: ${f(ddbWall / sevWall, 1)}×). Issue 15 asks for at least 10× (an earlier issue, 5×).`);
lines.push(`* Severn: ${f(sevWall)} s (at most 10 s asked) and ${f(sevRss / 1024)} GiB peak RSS (at most 4 GB asked).`);
lines.push(`* Memory-bandwidth floor: the measures read ${f(bytes / 1e6, 1)} MB of store columns; at ` +
  `${mem.read_gbps_all} GB/s (memory_bandwidth, ${mem.threads} threads) that is ${f(floor * 1000, 1)} ms. ` +
  `**Severn takes ${Math.round(sevWall / floor)}× the floor** (DuckDB's query ${Math.round(ddbQuery / floor)}×).`);
lines.push(`* Verification: ${ok ? `**identical**: all ${group(rows)} rows (measure × interval × breakdown × group: ` +
  `numerator, denominator, value) match in each of the ${meta.runs} runs` :
  `**the outputs differ**: see compare_*.json in ${results}`}.`);
lines.push('');
lines.push(`Raw results: ${results}`);
console.log(lines.join('\n'));
JS

(( verified )) || die "the Severn and DuckDB outputs differ"
say "raw results and summary.md are in $RESULTS"
