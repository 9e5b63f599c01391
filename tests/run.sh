#!/bin/sh
# Run every unit test binary and CLI test script of one build directory.
# Counts cmocka's per-binary results and the CLI scripts' own counts, and
# writes "PASSED FAILED" to BUILD/summary; prints a plain summary line.
build=${1:-build}
top=$(pwd)
passed=0 failed=0
log="$build/test.log"
: > "$log"
for t in "$build"/tests/*; do
	[ -x "$t" ] || continue
	out=$("$t" 2>&1); rc=$?
	printf '%s\n' "$out" >> "$log"
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	passed=$((passed + p)); failed=$((failed + f))
	if [ "$f" -ne 0 ]; then echo "FAIL $(basename "$t")"; printf '%s\n' "$out" | grep -E 'FAIL|ERROR|error|Assert|runtime error' | head -20; else echo "ok   $(basename "$t") ($p)"; fi
done
for t in tests/cli/t[0-9]*.sh; do
	[ -f "$t" ] || continue
	out=$(BIDCMP="$top/$build/bidcmp" TOP="$top" sh "$t" 2>&1); rc=$?
	printf '%s\n' "$out" >> "$log"
	p=$(printf '%s\n' "$out" | grep -c '^ok ')
	f=$(printf '%s\n' "$out" | grep -c '^not ok ')
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	passed=$((passed + p)); failed=$((failed + f))
	if [ "$f" -ne 0 ]; then echo "FAIL $(basename "$t")"; printf '%s\n' "$out" | grep -A8 '^not ok' | head -40; else echo "ok   $(basename "$t") ($p)"; fi
done
echo "$passed $failed" > "$build/summary"
echo "$build: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
