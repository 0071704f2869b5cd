#!/usr/bin/env bash
# convlab model test over a folder of ONNX backend test cases, with what must
# hold: no case fails, at least MIN_PASS cases pass, and every case named in
# MUST_PASS (a file of case names, one per line) is among them - so a change
# that quietly turns passing cases into "unsupported" is caught too. Prints
# the counts and the skipped (unsupported) cases with their reasons.
# Usage: onnx_model_test.sh CONVLAB CASES_GLOB_DIR MIN_PASS MUST_PASS_FILE [--backend gpu]
set -uo pipefail
convlab=$1 dir=$2 min_pass=$3 must_pass=$4
shift 4
if [ ! -d "$dir" ]; then
  echo "skip: $dir is not here (Debian's libonnx-testdata; scripts/test installs it)"
  exit 77
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$convlab" model test --verbose "$@" "$dir"/*/ >"$out" 2>&1
status=$?
summary=$(tail -n 1 "$out")
echo "$summary"
echo "skipped (unsupported) cases and why:"
grep '^unsupported ' "$out" | sed 's/^unsupported /  /' | cut -c1-160
fail=0
if [ "$status" -ne 0 ] || grep -q '^fail ' "$out"; then
  echo "FAILED: cases that fail:"
  grep '^fail ' "$out"
  fail=1
fi
passed=$(grep -c '^pass ' "$out")
if [ "$passed" -lt "$min_pass" ]; then
  echo "FAILED: $passed cases pass, expected at least $min_pass"
  fail=1
fi
while IFS= read -r name; do
  [ -z "$name" ] && continue
  case "$name" in \#*) continue ;; esac
  if ! grep -q "^pass $name " "$out"; then
    echo "FAILED: $name does not pass: $(grep " $name\( \|$\)" "$out" | head -n 1)"
    fail=1
  fi
done <"$must_pass"
exit $fail
