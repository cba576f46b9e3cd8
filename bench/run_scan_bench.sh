#!/usr/bin/env bash
# run_scan_bench.sh: how fast a full scan of clinical_events reads from a store, beside the
# machine's memory bandwidth measured in the same invocation.
#
# Usage: bench/run_scan_bench.sh STORE_DIR [RUNS]
#   STORE_DIR  a store built by `severn ingest` (e.g. out/store after `make demo`)
#   RUNS       runs per kernel (default 9); medians are quoted
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STORE="${1:?usage: bench/run_scan_bench.sh STORE_DIR [RUNS]}"
RUNS="${2:-9}"
BIN="$ROOT/build/release/bench"
[ -x "$BIN/store_scan" ] && [ -x "$BIN/memory_bandwidth" ] || {
  echo "run_scan_bench: build first (make build)" >&2
  exit 1
}
mem="$("$BIN/memory_bandwidth")"
scan="$("$BIN/store_scan" "$STORE" "$RUNS")"
node - "$mem" "$scan" <<'JS'
const mem = JSON.parse(process.argv[2]);
const scan = JSON.parse(process.argv[3]);
console.log(`clinical_events: ${scan.rows} rows, ${scan.persons} persons; medians of ${scan.runs} runs`);
console.log(`memory read bandwidth: ${mem.read_gbps_1thread} GB/s on 1 thread, ${mem.read_gbps_all} GB/s on ${mem.threads}`);
console.log('| kernel | MB read | 1 thread GB/s | share of bandwidth | all threads GB/s | share of bandwidth |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const k of ['column', 'per_person', 'per_person_masked']) {
  const c = scan[k];
  const pct = (a, b) => (100 * a / b).toFixed(0) + '%';
  console.log(`| ${k} | ${(c.bytes / 1e6).toFixed(1)} | ${c.gbps_1thread} | ${pct(c.gbps_1thread, mem.read_gbps_1thread)} | ${c.gbps_all} | ${pct(c.gbps_all, mem.read_gbps_all)} |`);
}
JS
