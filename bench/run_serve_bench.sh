#!/usr/bin/env bash
# run_serve_bench.sh: `severn serve` under load on localhost, bounded in count and time.
#   1. the measures API (GET /api/measures, an analyst's session) under wrk at CONNECTIONS
#      concurrent connections for SECONDS, RUNS times: requests per second, errors, p50/p95/p99;
#   2. the largest PCN worklist of the store (GET /api/worklists/..., a clinician of every PCN),
#      fetched TIMES times with curl: rows and median milliseconds (identifiable: each read is
#      audited like any other);
#   3. the peer in the same invocation: the same measure computed the way a file-based service
#      would per request (`severn run` of its definition), against the served p50.
# The summary quotes medians, never best runs. wrk and the server share the machine's cores.
#
# Usage: bench/run_serve_bench.sh [RUNS]
# Environment: SEVERN (default build/release/severn), STORE (default out/store), SEVERN_DATA
# (default ../shared/data), REPORT (a served report directory to reuse, as severn serve leaves in
# its data.report; default: built here, minutes on a full store), CONNECTIONS (200), DURATION (20 s),
# TIMES (11). Results go to build/bench/results/serve-YYYYMMDD-HHMMSS/.
set -euo pipefail

die() { echo "run_serve_bench: $*" >&2; exit 1; }
case "${1:-}" in -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;; esac

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${1:-3}"
SEVERN="${SEVERN:-$ROOT/build/release/severn}"
STORE="${STORE:-$ROOT/out/store}"
export SEVERN_DATA="${SEVERN_DATA:-$ROOT/../shared/data}"
CONNECTIONS="${CONNECTIONS:-200}"
SECONDS_EACH="${DURATION:-20}"
TIMES="${TIMES:-11}"
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive whole number, not '$RUNS'"
[ -x "$SEVERN" ] || die "$SEVERN not found: build it with 'make build'"
[ -f "$STORE/manifest.json" ] || die "no store at $STORE: build one with 'make demo' (or set STORE)"
command -v wrk >/dev/null || die "wrk not found: run scripts/setup as root (Debian package wrk)"
command -v curl >/dev/null || die "curl not found"

OUT="$ROOT/build/bench/results/serve-$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"
DIR="$OUT/serve"
"$SEVERN" serve init --dir "$DIR" --store "$STORE" --port 0 > "$OUT/init.txt"
ANALYST_PW=$(awk '$1 == "demo.analyst" { print $3 }' "$OUT/init.txt")
# A clinician of every PCN, so the largest worklist of the store can be asked for.
PCNS=$(awk -F, 'NR > 1 && $1 != "U" { printf " --pcn %s", $1 }' "$SEVERN_DATA/organisations/pcns_stw.csv")
# shellcheck disable=SC2086
"$SEVERN" users add --file "$DIR/users.toml" --name bench.clinician --role clinician $PCNS > "$OUT/clinician.txt"
CLIN_PW=$(head -1 "$OUT/clinician.txt")
if [ -n "${REPORT:-}" ]; then
  sed -i "s|^report = .*|report = \"$REPORT\"|" "$DIR/serve.toml"
fi

"$SEVERN" serve --store "$STORE" --config "$DIR/serve.toml" --ready-file "$DIR/port" > "$OUT/serve.out" 2> "$OUT/serve.log" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 3600); do
  [ -f "$DIR/port" ] && break
  kill -0 $SERVER 2>/dev/null || die "severn serve stopped: $(tail -3 "$OUT/serve.out" "$OUT/serve.log")"
  sleep 1
done
[ -f "$DIR/port" ] || die "severn serve did not start within an hour"
PORT=$(cat "$DIR/port")
BASE="https://127.0.0.1:$PORT"
grep -E "ready in|report (built|reused)" "$OUT/serve.out" || true

sign_in() {  # user password -> cookie "name=value"
  curl -sk -D - -o /dev/null -H 'Content-Type: application/json' -d "{\"user\":\"$1\",\"password\":\"$2\"}" "$BASE/api/login" |
    awk -F'[: ;]+' 'tolower($1) == "set-cookie" { print $2; exit }'
}
ANALYST=$(sign_in demo.analyst "$ANALYST_PW")
CLINICIAN=$(sign_in bench.clinician "$CLIN_PW")
[ -n "$ANALYST" ] && [ -n "$CLINICIAN" ] || die "could not sign in"

# Two measures requests the dashboard makes: the explorer's trend (the whole ICS, every month) and
# its PCN funnel (every PCN, every month: about ten times the bytes).
declare -A MEASURE_PATHS=(
  [trend]="/api/measures?definition=hypertension&measure=cvdp001hyp_prevalence&breakdown=all"
  [pcn]="/api/measures?definition=hypertension&measure=cvdp001hyp_prevalence&breakdown=pcn"
)
for kind in trend pcn; do
  path="${MEASURE_PATHS[$kind]}"
  curl -skf -H "Cookie: $ANALYST" "$BASE$path" -o "$OUT/measures-$kind.json" || die "the measures API failed"
  echo "measures API ($kind): $(wc -c < "$OUT/measures-$kind.json") bytes per response; $CONNECTIONS connections, $SECONDS_EACH s, $RUNS runs"
  : > "$OUT/wrk-$kind.jsonl"
  for r in $(seq 1 "$RUNS"); do
    SEVERN_COOKIE="$ANALYST" wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_EACH}s" --timeout 5s -s "$ROOT/bench/serve_wrk.lua" \
      "$BASE$path" > "$OUT/wrk-$kind-$r.txt"
    tail -1 "$OUT/wrk-$kind-$r.txt" | tee -a "$OUT/wrk-$kind.jsonl"
  done
done

# The largest PCN worklist: every library worklist of every PCN, counted once.
python3 - "$BASE" "$CLINICIAN" "$OUT" <<'PY' > "$OUT/worklist_sizes.txt"
import json, ssl, sys, urllib.request
base, cookie, out = sys.argv[1:4]
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
def get(path):
    req = urllib.request.Request(base + path, headers={"Cookie": cookie})
    return json.load(urllib.request.urlopen(req, context=ctx))
pcns = get("/api/session")["pcns"]
for d in get("/api/definitions")["definitions"]:
    for w in d["worklists"]:
        for p in pcns:
            rows = len(get(f"/api/worklists/{d['name']}/{w['name']}?pcn={p}&purpose=load+test")["table"]["rows"])
            print(rows, f"/api/worklists/{d['name']}/{w['name']}?pcn={p}")
PY
sort -n -r "$OUT/worklist_sizes.txt" > "$OUT/worklist_sizes_sorted.txt"
head -3 "$OUT/worklist_sizes_sorted.txt"
read -r WL_ROWS WL_PATH < "$OUT/worklist_sizes_sorted.txt"
: > "$OUT/worklist_ms.txt"
for _ in $(seq 1 "$TIMES"); do
  curl -skf -H "Cookie: $CLINICIAN" -o /dev/null -w '%{time_total}\n' "$BASE$WL_PATH&purpose=load+test" | awk '{ print $1 * 1000 }' >> "$OUT/worklist_ms.txt"
done

# The peer: computing the measure per request (its definition's run, disclosure control included).
/usr/bin/time -f "%e" -o "$OUT/run.time" "$SEVERN" run library:hypertension --store "$STORE" --out "$OUT/run" --threads 2 > "$OUT/run.log" 2>&1

python3 - "$OUT" "$WL_ROWS" "$WL_PATH" <<'PY' | tee "$OUT/summary.txt"
import json, statistics, sys
out, wl_rows, wl_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def measured(kind):
    runs = [json.loads(l) for l in open(f"{out}/wrk-{kind}.jsonl") if l.strip()]
    med = lambda k: statistics.median(r[k] for r in runs)
    requests = sum(r["requests"] for r in runs)
    err_rate = sum(r["errors"] for r in runs) / max(1, requests)
    size = len(open(f"{out}/measures-{kind}.json", "rb").read())
    print(f"measures API ({kind}, {size} bytes), median of {len(runs)} wrk runs: {med('rps'):.0f} requests/s, "
          f"p50 {med('p50_ms'):.1f} ms, p95 {med('p95_ms'):.1f} ms, p99 {med('p99_ms'):.1f} ms; errors {100 * err_rate:.3f}% of {requests}")
    print(f"  targets: errors < 1% {'met' if err_rate < 0.01 else 'NOT met'}, p95 < 50 ms {'met' if med('p95_ms') < 50 else 'NOT met'}, "
          f"p99 < 100 ms {'met' if med('p99_ms') < 100 else 'NOT met'}")
    return med('p50_ms')
p50 = measured("trend")
measured("pcn")
wl = [float(x) for x in open(f"{out}/worklist_ms.txt")]
run_s = float(open(f"{out}/run.time").read().split()[-1])
print(f"largest PCN worklist: {wl_rows} rows ({wl_path.split('?')[0]}), median {statistics.median(wl):.1f} ms over {len(wl)} fetches "
      f"(target for 10,000 rows: < 200 ms)")
print(f"peer: the same measure computed per request (severn run library:hypertension) {run_s:.1f} s = "
      f"{run_s * 1000 / p50:.0f} x the served p50 of the trend request")
PY
echo "run_serve_bench: results in $OUT"
