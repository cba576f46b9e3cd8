#!/usr/bin/env bash
# The partner linking stage of severn ingest on a synthetic ICS with ground truth: builds a store,
# prints the stage's seconds by phase, and the precision and recall of the partner links against
# truth/partner_records.csv (docs/linkage.md, "Linking inside severn ingest"). Fails below
# precision 0.999 or recall 0.995.
#   bench/run_ingest_linkage_accuracy.sh EXTRACT_DIR KEY_FILE [STORE_DIR]
set -euo pipefail
src=${1:?extract directory (severn synth output)}
key=${2:?pseudonymisation key file}
store=${3:-$(mktemp -d)/store}
here=$(cd "$(dirname "$0")/.." && pwd)
severn=${SEVERN:-$here/build/release/severn}
timings=$(mktemp)
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
nice "$severn" ingest "$src" --store "$store" --key-file "$key" --as-of 2025-04-01 --threads 2 --quiet \
  --timings "$timings"
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$timings" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))["partner_linking"]
print("partner linking stage: %.2f s" % t["seconds"])
for p in t["phases"]:
    print("  %-32s %6.2f s" % (p["phase"], p["seconds"]))
PY
"$severn" identity evaluate --store "$store" --extract "$src" --min-precision 0.999 --min-recall 0.995 2>/dev/null
