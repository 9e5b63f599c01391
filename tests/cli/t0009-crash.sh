#!/bin/sh
# Reliability: an import killed with SIGKILL at random moments (50 times)
# leaves a database that passes integrity_check and audit verify, with the
# document wholly present or wholly absent; an auditor's query during a
# large import neither fails nor waits past the busy timeout.
. "$(dirname "$0")/lib.sh"

# A round of N parts and one supplier's bid sheet for all of them.
make_round() {
	n=$1
	awk -v n="$n" 'BEGIN { print "part,description,quantity,unit,need_by";
		for (i = 1; i <= n; i++) printf "P%06d,part %d,%d,C62,\n", i, i, 100 + i % 900 }' > rfq.csv
	awk -v n="$n" -v s="$2" 'BEGIN {
		print "supplier,part,quantity,unit,currency,price,lead_time_days";
		for (i = 1; i <= n; i++) printf "%s,P%06d,%d,C62,EUR,%d.%02d,%d\n", s, i, 100 + i % 900, 1 + i % 97, i % 100, 5 + i % 20 }' > "quote-$2.csv"
}

test_ok 'set up a 5,000-part round' '
	make_round 5000 S1 &&
	bidcmp round create rfq.csv --id BIG --currency EUR > /dev/null &&
	cp "$BIDCMP_DB" base.db
'

test_ok '50 imports killed with SIGKILL at random moments: all or nothing, verify passes' '
	# how long one whole import takes here, so the kills spread over all of it
	rm -f k.db k.db-wal k.db-shm && cp base.db k.db &&
	t0=$(date +%s%N) && "$BIDCMP" --db k.db import BIG quote-S1.csv > /dev/null && t1=$(date +%s%N) &&
	ms=$(( (t1 - t0) / 1000000 )) &&
	i=0; whole=0; none=0
	while [ $i -lt 50 ]; do
		rm -f k.db k.db-wal k.db-shm && cp base.db k.db &&
		"$BIDCMP" --db k.db import BIG quote-S1.csv > /dev/null 2>&1 &
		pid=$!
		# a delay from 0 to 1.3 times the import time, different each time
		sleep "$(awk -v i=$i -v ms=$ms "BEGIN { srand(i * 7919 + 17); printf \"%.3f\", rand() * ms * 1.3 / 1000 }")"
		kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
		test "$(sqlite3 k.db "PRAGMA integrity_check")" = ok || { echo "integrity after kill $i" >&2; exit 1; }
		"$BIDCMP" --db k.db audit verify > /dev/null || { echo "verify after kill $i" >&2; exit 1; }
		docs=$(sqlite3 k.db "SELECT count(*) FROM documents WHERE kind = '"'"'quote'"'"'")
		lines=$(sqlite3 k.db "SELECT count(*) FROM quote_lines")
		case "$docs/$lines" in
		1/5000) whole=$((whole + 1)) ;;
		0/0) none=$((none + 1)) ;;
		*) echo "kill $i left $docs documents and $lines lines" >&2; exit 1 ;;
		esac
		i=$((i + 1))
	done
	echo "# $whole imports completed, $none killed before commit (one import: $ms ms)" >&2
	test $((whole + none)) = 50 && test $none -gt 0
'

test_ok 'an auditor queries during a large import without failing or waiting' '
	make_round 40000 S2 &&
	bidcmp round create rfq.csv --id HUGE --currency EUR > /dev/null &&
	"$BIDCMP" import HUGE quote-S2.csv > imp.out 2>&1 &
	pid=$!
	n=0; slow=0
	while kill -0 $pid 2>/dev/null && [ $n -lt 200 ]; do
		t0=$(date +%s%N)
		"$BIDCMP" audit query "SELECT count(*) FROM quote_lines" > /dev/null || { echo "query failed" >&2; exit 1; }
		t1=$(date +%s%N)
		[ $(( (t1 - t0) / 1000000 )) -lt 5000 ] || slow=$((slow + 1))
		n=$((n + 1))
	done
	wait $pid && grep -q "imported 40000 lines" imp.out &&
	echo "# $n queries during the import, $slow slower than the busy timeout" >&2 &&
	test $slow = 0 && test $n -ge 1
'

done_testing
