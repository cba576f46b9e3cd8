#!/usr/bin/env bash
# run_fhir_bench.sh: `severn ingest` of a synthetic ICS whose GP record is a FHIR Bulk Data export,
# beside DuckDB reading the same NDJSON files with read_json, in one invocation (docs/fhir.md).
#
# Usage: bench/run_fhir_bench.sh EXTRACT [RUNS]
#
#   EXTRACT  output of `severn synth --format fhir` (EXTRACT/fhir/gp/*.ndjson and the other CSVs)
#   RUNS     runs per engine (default 3); the summary quotes medians, never best runs
#
# Environment: THREADS (default 2), SEVERN (default build/release/severn), BENCH_TMPDIR (where
# the store and the database go; default $TMPDIR or /tmp).
#
# Each run: Severn and DuckDB one after the other under /usr/bin/time, swapping which goes first;
# the files are read once beforehand so both start from the page cache. Figures:
#   severn end to end   the whole ingest (FHIR GP record, the other partners' CSVs, linkage, store)
#   severn FHIR stage   reading and mapping the export (timings.json "fhir") plus building the three
#                       GP tables from it
#   duckdb read_json    the five NDJSON files into tables of the fields the mapping reads, on disk
# MB/s is the export's NDJSON bytes over each time. Peak memory is the process's maximum RSS.
set -euo pipefail

die() { echo "run_fhir_bench: $*" >&2; exit 1; }
say() { echo "run_fhir_bench: $*" >&2; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ $# -ge 1 ] && [ $# -le 2 ] || die "usage: bench/run_fhir_bench.sh EXTRACT [RUNS]"
SRC="$(cd "$1" && pwd)" || die "$1 not found"
RUNS="${2:-3}"
THREADS="${THREADS:-2}"
SEVERN="${SEVERN:-$ROOT/build/release/severn}"
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive whole number, not '$RUNS'"
[ -d "$SRC/fhir/gp" ] || die "$SRC/fhir/gp not found: make it with 'severn synth --format fhir --out $1'"
[ -x "$SEVERN" ] || die "$SEVERN not found: make build"
[ -x /usr/bin/time ] || die "/usr/bin/time (GNU time) not found"
[ -d "$ROOT/bench/node_modules/@duckdb/node-api" ] || die "bench/node_modules is not installed: run scripts/setup-bench (as root)"

WORK="$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/severn-fhir-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM
RESULTS="$ROOT/build/bench/results/fhir-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$RESULTS"
head -c 32 /dev/urandom > "$WORK/key"

ndjson_bytes=$(cat "$SRC"/fhir/gp/*.ndjson | wc -c)
say "warming the page cache: $SRC ($(( ndjson_bytes / 1000000 )) MB of NDJSON)"
find "$SRC" -type f -exec cat {} + > /dev/null

run_severn() {
  rm -rf "$WORK/store"
  /usr/bin/time -f '{"wall": %e, "max_rss_kb": %M}' -o "$RESULTS/severn-$1.time" \
    "$SEVERN" ingest "$SRC" --store "$WORK/store" --key-file "$WORK/key" --as-of 2025-04-01 \
    --threads "$THREADS" --quiet --timings "$RESULTS/severn-$1.json" > "$RESULTS/severn-$1.log" 2>&1 ||
    die "severn ingest failed: $RESULTS/severn-$1.log"
  rm -rf "$WORK/store"
}
run_duckdb() {
  /usr/bin/time -f '{"wall": %e, "max_rss_kb": %M}' -o "$RESULTS/duckdb-$1.time" \
    node "$ROOT/bench/duckdb_fhir.mjs" "$SRC" "$THREADS" --db-dir "$WORK" > "$RESULTS/duckdb-$1.json" 2> "$RESULTS/duckdb-$1.log" ||
    die "duckdb failed: $RESULTS/duckdb-$1.log"
}
for i in $(seq 1 "$RUNS"); do
  say "run $i of $RUNS"
  if [ $(( i % 2 )) -eq 1 ]; then run_severn "$i"; run_duckdb "$i"; else run_duckdb "$i"; run_severn "$i"; fi
done

node - "$RESULTS" "$RUNS" "$ndjson_bytes" "$THREADS" <<'EOF' | tee "$RESULTS/summary.md"
const fs = require('fs');
const [dir, runs, bytes, threads] = process.argv.slice(2);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const read = (f) => JSON.parse(fs.readFileSync(`${dir}/${f}`, 'utf8'));
const S = [], D = [];
for (let i = 1; i <= Number(runs); ++i) {
  const t = read(`severn-${i}.json`), tm = read(`severn-${i}.time`);
  const gp = t.tables.filter((x) => ['patients', 'clinical_events', 'medications'].includes(x.table)).reduce((a, x) => a + x.seconds, 0);
  S.push({ wall: tm.wall, total: t.total_seconds, stage: t.fhir.read_and_map_seconds + gp, rss: tm.max_rss_kb / 1024 });
  const d = read(`duckdb-${i}.json`), dm = read(`duckdb-${i}.time`);
  D.push({ wall: dm.wall, total: d.total_seconds, rss: dm.max_rss_kb / 1024, version: d.version });
}
const mb = Number(bytes) / 1e6;
const row = (name, secs, rss) => `| ${name} | ${secs.toFixed(2)} | ${(mb / secs).toFixed(0)} | ${rss.toFixed(0)} |`;
const sEnd = median(S.map((x) => x.total)), sStage = median(S.map((x) => x.stage)), dTot = median(D.map((x) => x.total));
console.log(`FHIR bench: ${mb.toFixed(0)} MB of NDJSON, ${threads} threads, ${runs} runs (medians); DuckDB ${D[0].version}\n`);
console.log('| what | seconds | MB/s of NDJSON | peak RSS (MB) |');
console.log('|---|---|---|---|');
console.log(row('severn ingest, end to end (all partners, linkage, store)', sEnd, median(S.map((x) => x.rss))));
console.log(row('severn FHIR stage (read, map, GP tables)', sStage, median(S.map((x) => x.rss))));
console.log(row('duckdb read_json into tables', dTot, median(D.map((x) => x.rss))));
console.log(`\nratio duckdb / severn FHIR stage: ${(dTot / sStage).toFixed(2)}`);
EOF
say "results in $RESULTS"
