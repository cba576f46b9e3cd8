#!/usr/bin/env bash
# The SQL engine against the native engine on one definition and store, in one invocation:
#   native     severn run --store STORE (the engine's own evaluate time, from run.json)
#   postgres   severn run --engine postgres on a throwaway PostgreSQL 15 cluster loaded by
#              severn export --to-postgres (the evaluate time: the SQL's, from run.json)
#   duckdb     the same generated SQL (severn sql --dialect duckdb) on a DuckDB database loaded from
#              severn export --to-duckdb, through tests/sql/duckdb_runner.mjs (wall time of the query)
# Every engine runs RUNS times, interleaved; the summary quotes medians, never best runs, and each
# SQL engine's ratio to the native engine. The outputs of the PostgreSQL run are compared with the
# native run's, byte for byte.
#
#   bench/run_sql_engine_bench.sh [STORE] [DEFINITION] [RUNS]
#     STORE       default: a 3,000-person synthetic store made under out/bench-sql (seed 7)
#     DEFINITION  default: definitions/ics_core_measures.sev
#     RUNS        default: 3
#
# Needs: a built build/release/severn, PostgreSQL 15 binaries (/usr/lib/postgresql/15/bin), node
# with bench/node_modules (scripts/setup), run as root (the cluster runs as user severn-test).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SEVERN="$ROOT/build/release/severn"
WORK="$ROOT/out/bench-sql"
STORE="${1:-}"
DEF="${2:-$ROOT/definitions/ics_core_measures.sev}"
RUNS="${3:-3}"
PGBIN=/usr/lib/postgresql/15/bin

die() { echo "run_sql_engine_bench: $*" >&2; exit 1; }
[ -x "$SEVERN" ] || die "$SEVERN not built (make build)"
[ -x "$PGBIN/initdb" ] || die "PostgreSQL 15 not found in $PGBIN (scripts/setup)"
[ -d "$ROOT/bench/node_modules/@duckdb/node-api" ] || die "bench/node_modules missing (scripts/setup)"
mkdir -p "$WORK"

if [ -z "$STORE" ]; then
  STORE="$WORK/store"
  if [ ! -f "$STORE/manifest.json" ]; then
    rm -rf "$WORK/src" "$STORE"
    "$SEVERN" synth --out "$WORK/src" --people 3000 --seed 7 >/dev/null
    (umask 077 && head -c 32 /dev/urandom > "$WORK/key")
    "$SEVERN" ingest "$WORK/src" --store "$STORE" --key-file "$WORK/key" >/dev/null
  fi
fi
INDEX="$(grep -o '"data_end": "[0-9-]*"' "$STORE/manifest.json" | grep -o '[0-9]\{4\}-[0-9-]*' || true)"
[ -n "$INDEX" ] || die "$STORE/manifest.json records no data end"

# A throwaway cluster, stopped on exit.
PGDIR="$(mktemp -d /tmp/severn-bench-pg.XXXXXX)"
id severn-test >/dev/null 2>&1 || useradd --system --no-create-home severn-test
chown severn-test "$PGDIR"
cleanup() { runuser -u severn-test -- "$PGBIN/pg_ctl" -D "$PGDIR/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$PGDIR"; }
trap cleanup EXIT
runuser -u severn-test -- "$PGBIN/initdb" -D "$PGDIR/data" -A trust -U postgres >/dev/null
runuser -u severn-test -- "$PGBIN/pg_ctl" -D "$PGDIR/data" -w -l "$PGDIR/log" \
  -o "-c listen_addresses='' -c unix_socket_directories=$PGDIR -c fsync=off" start >/dev/null
DSN="host=$PGDIR user=postgres dbname=postgres"

echo "loading $STORE into PostgreSQL and DuckDB (untimed)" >&2
"$SEVERN" export --store "$STORE" --to-postgres "$DSN" --schema bench >/dev/null
rm -rf "$WORK/duckdb" "$WORK/bench.duckdb"
"$SEVERN" export --store "$STORE" --to-duckdb "$WORK/duckdb" >/dev/null
node "$ROOT/tests/sql/duckdb_runner.mjs" load --db "$WORK/bench.duckdb" --script "$WORK/duckdb/load.sql"
"$SEVERN" sql "$DEF" --dialect duckdb --index-date "$INDEX" > "$WORK/definition.duckdb.sql"

evaluate_seconds() { grep -o '"evaluate": [0-9.]*' "$1/run.json" | head -1 | grep -o '[0-9.]*$'; }
native=() postgres=() duckdb=()
for i in $(seq 1 "$RUNS"); do
  "$SEVERN" run "$DEF" --store "$STORE" --index-date "$INDEX" --out "$WORK/native" --no-disclosure-control >/dev/null 2>&1
  native+=("$(evaluate_seconds "$WORK/native")")
  "$SEVERN" run "$DEF" --engine postgres --dsn "$DSN" --schema bench --index-date "$INDEX" --out "$WORK/postgres" \
    --no-disclosure-control >/dev/null 2>&1
  postgres+=("$(evaluate_seconds "$WORK/postgres")")
  start=$(date +%s.%N)
  node "$ROOT/tests/sql/duckdb_runner.mjs" query --db "$WORK/bench.duckdb" --sql "$WORK/definition.duckdb.sql" \
    --out "$WORK/duckdb.json"
  duckdb+=("$(echo "$(date +%s.%N) - $start" | bc)")
done
same=yes
for f in dataset.csv measures.csv; do cmp -s "$WORK/native/$f" "$WORK/postgres/$f" || same=no; done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
n=$(median "${native[@]}"); p=$(median "${postgres[@]}"); d=$(median "${duckdb[@]}")
persons=$(grep -o '"persons_scanned": [0-9]*' "$WORK/native/run.json" | grep -o '[0-9]*$')
echo
echo "| engine | evaluate (median of $RUNS) | runs | ratio to native |"
echo "|---|---|---|---|"
echo "| native | ${n} s | ${native[*]} | 1 |"
echo "| postgres (generated SQL) | ${p} s | ${postgres[*]} | $(echo "scale=0; $p / $n" | bc)x |"
echo "| duckdb (generated SQL) | ${d} s | ${duckdb[*]} | $(echo "scale=0; $d / $n" | bc)x |"
echo
echo "$(basename "$DEF") over $persons persons, index date $INDEX; PostgreSQL outputs identical to native: $same"
