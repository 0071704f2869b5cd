# Helpers for the script tests (tests/scripts/*.sh): run a command, check its
# exit code and that its output holds an exact line. Failures are counted and
# shown with the whole output; expect_done ends the test.
# shellcheck shell=bash

EXPECT_FAILURES=0

# expect_line NAME CODE LINE COMMAND...: COMMAND exits with CODE and prints
# LINE (a whole line, on stdout or stderr).
expect_line() {
  local name="$1" code="$2" line="$3" output status=0
  shift 3
  output="$("$@" 2>&1)" || status=$?
  if [ "$status" != "$code" ] || ! grep -Fxq -- "$line" <<<"$output"; then
    echo "FAIL $name: wanted exit $code and the line"
    echo "  $line"
    echo "got exit $status and:"
    echo "  | ${output//$'\n'/$'\n'  | }"
    EXPECT_FAILURES=$((EXPECT_FAILURES + 1))
  else
    echo "ok   $name"
  fi
  EXPECT_OUTPUT="$output"
}

# expect_in NAME LINE: the last command's output also holds LINE.
expect_in() { expect_grep "$1" -Fx "$2"; }
# expect_match NAME REGEX: the last command's output has a line matching REGEX.
expect_match() { expect_grep "$1" -E "$2"; }

expect_grep() {
  if grep -q "$2" -- "$3" <<<"$EXPECT_OUTPUT"; then
    echo "ok   $1"
  else
    echo "FAIL $1: no line '$3' ($2) in the output above"
    EXPECT_FAILURES=$((EXPECT_FAILURES + 1))
  fi
}

expect_done() {
  [ "$EXPECT_FAILURES" -eq 0 ] || { echo "$EXPECT_FAILURES check(s) failed"; exit 1; }
  echo "all checks passed"
}
