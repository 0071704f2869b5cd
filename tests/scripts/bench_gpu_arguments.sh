#!/usr/bin/env bash
# ctest "bench_gpu: arguments": scripts/bench-gpu's --help and its usage
# errors (exit 2, naming the option, what is wrong and what is valid), all
# before anything is built or written.
#   tests/scripts/bench_gpu_arguments.sh SOURCE_DIR WORK_DIR
set -euo pipefail
# shellcheck source=tests/scripts/expect.sh
source "$(dirname "$0")/expect.sh"
script="$1/scripts/bench-gpu"
work="$2"
rm -rf "$work"
mkdir -p "$work/empty"
build="$work/never-made"
see="Run 'scripts/bench-gpu --help' for the options."

expect_line "--help" 0 "Usage: scripts/bench-gpu [OPTIONS]" "$script" --help
for option in --debs --download-debs --sizes --runs --warmup --build-dir --jobs --python --no-pytorch \
  --allow-software --use-deb-libs --stop-after; do
  grep -q -- "^  $option" <<<"$EXPECT_OUTPUT" || {
    echo "FAIL --help does not document $option"
    EXPECT_FAILURES=$((EXPECT_FAILURES + 1))
  }
done

expect_line "unknown option" 2 "bench-gpu: unknown option '--frobnicate'; valid: --debs, --download-debs, --sizes, --runs, --warmup, --build-dir, --jobs, --python, --no-pytorch, --allow-software, --use-deb-libs, --stop-after, --help" \
  "$script" --build-dir "$build" --frobnicate
expect_in "unknown option: points to --help" "$see"
expect_line "sizes not a multiple of 16" 2 "bench-gpu: --sizes '256,100': '100' is not usable; valid: multiples of 16 from 16 to 2048, comma-separated, e.g. 256,512,1024" \
  "$script" --build-dir "$build" --sizes 256,100
expect_line "sizes not a number" 2 "bench-gpu: --sizes 'big': 'big' is not usable; valid: multiples of 16 from 16 to 2048, comma-separated, e.g. 256,512,1024" \
  "$script" --build-dir "$build" --sizes=big
expect_line "sizes too large" 2 "bench-gpu: --sizes '4096': '4096' is not usable; valid: multiples of 16 from 16 to 2048, comma-separated, e.g. 256,512,1024" \
  "$script" --build-dir "$build" --sizes 4096
expect_line "sizes without a value" 2 "bench-gpu: --sizes needs a value" "$script" --build-dir "$build" --sizes
expect_line "runs zero" 2 "bench-gpu: --runs '0' is not usable; valid: a whole number from 1 to 10000" \
  "$script" --build-dir "$build" --runs 0
expect_line "warmup negative" 2 "bench-gpu: --warmup '-1' is not usable; valid: a whole number from 0 to 10000" \
  "$script" --build-dir "$build" --warmup -1
expect_line "flag with a value" 2 "bench-gpu: --no-pytorch takes no value" "$script" --build-dir "$build" --no-pytorch=yes
expect_line "unknown step" 2 "bench-gpu: --stop-after 'test' is not a step; valid: check, probe, configure, build, bench" \
  "$script" --build-dir "$build" --stop-after test
expect_line "missing --debs folder" 2 "bench-gpu: --debs '$work/nowhere' is not a folder; valid: a folder of .deb files (scripts/bench-gpu --download-debs DIR makes one)" \
  "$script" --build-dir "$build" --debs "$work/nowhere"
expect_line "--debs folder without .deb" 2 "bench-gpu: --debs '$work/empty' holds no .deb files; make them on a Debian 12 machine with scripts/bench-gpu --download-debs DIR" \
  "$script" --build-dir "$build" --debs "$work/empty"
expect_line "download and debs together" 2 "bench-gpu: --download-debs and --debs do not go together: download on a Debian machine, then use --debs on the GPU machine" \
  "$script" --build-dir "$build" --download-debs "$work/d" --debs "$work/empty"
if [ -e "$build" ] || [ -e "$work/d" ]; then
  echo "FAIL a usage error wrote a folder"
  EXPECT_FAILURES=$((EXPECT_FAILURES + 1))
fi
expect_done
