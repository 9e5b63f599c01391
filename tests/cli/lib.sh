# lib.sh - a tiny git-style test library for the CLI tests.
# Each test script sources it, runs `expect_ok`/`expect_fail` blocks and
# prints TAP-like "ok N - title" / "not ok N - title" lines.
# BIDCMP is the binary under test; TOP the repository root.

: "${BIDCMP:=$TOP/build/bidcmp}"
: "${TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
SHARED="$TOP/../shared/samples"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
export BIDCMP_DB="$tmp/test.db"
export BIDCMP_TODAY=2026-12-01
n=0
failed=0

bidcmp() { "$BIDCMP" "$@"; }

# demo_rates: the demo round's three rates into the round currency (EUR).
demo_rates() {
	for c in "GBP 1.1650" "DKK 0.134080" "USD 0.9210"; do
		bidcmp fx set $c --date 2026-11-27 > /dev/null || return 1
	done
}

# demo_round: the demo round from fixtures/demo with its rates and its four quotes.
demo_round() {
	bidcmp round create "$TOP/fixtures/demo/rfq.xml" > /dev/null && demo_rates &&
	bidcmp import MRO-2026-Q4 "$TOP/fixtures/demo/quote-acme.xml" \
		"$TOP/fixtures/demo/quote-britpart.xml" "$TOP/fixtures/demo/quote-nordisk.xml" \
		"$TOP/fixtures/demo/quote-ustool.xml" > /dev/null
}

# test_ok TITLE COMMANDS: passes when COMMANDS exit 0.
test_ok() {
	n=$((n + 1))
	if (eval "$2") > "$tmp/.out" 2> "$tmp/.err"; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		sed 's/^/#   /' "$tmp/.out" "$tmp/.err" | head -30
		failed=$((failed + 1))
	fi
}

# test_skip TITLE REASON
test_skip() {
	n=$((n + 1))
	echo "ok $n - $1 # SKIP $2"
}

# test_cmp EXPECTED ACTUAL: like git's, shows the diff on failure.
test_cmp() {
	diff -u "$1" "$2" >&2
}

# must_fail STATUS CMD...: the command exits with exactly STATUS.
must_fail() {
	want=$1; shift
	"$@"; got=$?
	if [ "$got" -ne "$want" ]; then
		echo "expected exit $want, got $got: $*" >&2
		return 1
	fi
	return 0
}

# rows TABLE: the number of rows of a table in the test database.
rows() {
	sqlite3 "$BIDCMP_DB" "SELECT count(*) FROM $1"
}

done_testing() {
	echo "# $n tests, $failed failed"
	[ "$failed" -eq 0 ]
}
