#!/bin/sh
# Run every libFuzzer target of DIR for SECONDS each, seeded from the
# fixtures of its format (copied, so the repository is never written).
# A crash, leak or timeout fails that target.  Writes DIR/summary.
dir=${1:-build-fuzz}
secs=${2:-20}
passed=0 failed=0
for t in "$dir"/fuzz_*; do
	[ -x "$t" ] || continue
	n=$(basename "$t")
	case $n in
	fuzz_import) seeds="fixtures/ubl fixtures/csv fixtures/demo" ;;
	fuzz_csv)    seeds="fixtures/csvquote fixtures/csv" ;;
	fuzz_rates)  seeds="fixtures/fx" ;;
	fuzz_store)  seeds="fixtures/demo fixtures/csvquote fixtures/edifact fixtures/x12 fixtures/cxml fixtures/ubl" ;;
	fuzz_*)      seeds="fixtures/${n#fuzz_}" ;;
	esac
	corpus=$(mktemp -d)
	for s in $seeds; do [ -d "$s" ] && cp "$s"/* "$corpus"/ 2>/dev/null; done
	if "$t" -max_total_time="$secs" -timeout=10 -artifact_prefix="$dir/$n-" -rss_limit_mb=2048 -print_final_stats=1 \
		"$corpus" > "$dir/$n.log" 2>&1; then
		echo "ok   $n ($(grep -o 'stat::number_of_executed_units: *[0-9]*' "$dir/$n.log" | grep -o '[0-9]*$') runs in ${secs}s)"
		passed=$((passed + 1))
	else
		echo "FAIL $n (see $dir/$n.log)"
		grep -E "ERROR|SUMMARY|Test unit written" "$dir/$n.log" | head -5
		failed=$((failed + 1))
	fi
	rm -rf "$corpus"
done
echo "$passed $failed" > "$dir/summary"
echo "$dir: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
