#!/usr/bin/env bash
# Runs one libFuzzer harness with its per-target settings (docs/fuzzing.md).
#
#   run_fuzzer.sh smoke TARGET BINARY SECONDS BUILD_DIR   the ctest run (make test-fuzz): fuzzes for
#       SECONDS from the committed seed corpus; new inputs go to a scratch corpus that is emptied
#       first, so every run starts from the same place. Fails if the harness finds a crash.
#   run_fuzzer.sh long TARGET BINARY SECONDS BUILD_DIR    make fuzz: fuzzes for SECONDS in a child
#       process that is restarted after each crash (-fork=1 -ignore_crashes=1), so one known defect
#       does not stop the search; the corpus grows in BUILD_DIR/corpus/TARGET across runs.
#
# Crash, leak, timeout and out-of-memory inputs are written to BUILD_DIR/artifacts/TARGET/. The
# committed corpus (tests/fuzz/corpus/TARGET) is only read. Scratch files live in BUILD_DIR/tmp/TARGET
# while the harness runs.
set -euo pipefail

mode=$1 target=$2 binary=$3 seconds=$4 build=$5
here=$(cd "$(dirname "$0")" && pwd)
seeds=$here/corpus/$target
artifacts=$build/artifacts/$target
mkdir -p "$artifacts"

# Per target: the largest input worth mutating in the short and the long run (bytes), and the
# slowest a single input may be (seconds) before it is reported as a hang. Long runs allow
# larger inputs: deep nesting and long chains in a definition, many parts of an extract.
case $target in
  csv_source)  smoke_len=4096  long_len=16384 ;;
  sev_check)   smoke_len=4096  long_len=16384 ;;
  stats_table) smoke_len=2048  long_len=8192 ;;
  manifest)    smoke_len=32768 long_len=32768 ;;
  http_request) smoke_len=4096  long_len=16384 ;;
  fhir_export) smoke_len=8192  long_len=32768 ;;
  *) echo "run_fuzzer.sh: unknown target '$target'" >&2; exit 2 ;;
esac
flags=(-timeout=10)
[ -f "$here/dict/$target.dict" ] && flags+=("-dict=$here/dict/$target.dict")

case $mode in
  smoke)
    corpus=$build/smoke/$target
    rm -rf "$corpus"
    mode_flags=(-max_len=$smoke_len)
    ;;
  long)
    corpus=$build/corpus/$target
    mode_flags=(-max_len=$long_len -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
    ;;
  *) echo "run_fuzzer.sh: mode is smoke or long, not '$mode'" >&2; exit 2 ;;
esac
mkdir -p "$corpus"

# The harnesses' scratch directories (tests/fuzz/scratch_dir.h) go here, and are removed at the end
# even for the processes a crash killed.
export TMPDIR=$build/tmp/$target
rm -rf "$TMPDIR"
mkdir -p "$TMPDIR"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
echo "fuzz $target: $seconds s ($mode), corpus $corpus + $seeds, artifacts $artifacts/"
status=0
if [ "$mode" = smoke ]; then
  # Every committed seed once, whole: fuzzing reads seeds cut to -max_len, and some (the fixed
  # reproducers of deep nesting and long chains) are longer.
  "$binary" "${flags[@]}" -artifact_prefix="$artifacts/" "$seeds"/* > "$build/smoke-replay-$target.log" 2>&1 || {
    status=$?
    tail -n 60 "$build/smoke-replay-$target.log"
    echo "fuzz $target: a committed seed in $seeds fails (log: $build/smoke-replay-$target.log)"
    rm -rf "$TMPDIR"
    exit $status
  }
fi
"$binary" "${flags[@]}" "${mode_flags[@]}" -max_total_time="$seconds" -print_final_stats=1 \
  -artifact_prefix="$artifacts/" "$corpus" "$seeds" || status=$?
rm -rf "$TMPDIR"
exit $status
