#!/bin/sh
# bench/run.sh BUILD: the benchmark behind `make bench`.  (1) One UBL quote of
# BENCH_LINES (200,000) lines: a bare libxml2 SAX2 walk (sax.c), the reader
# walk (walk.c) and `bidcmp import` of the same file in one run, with the
# import/SAX throughput ratio (wall clock; CPU beside) judged against 0.5.
# (1b) Peak memory (/usr/bin/time %M) of importing a ~500 MB quote of
# BENCH_MEM_LINES (580,000) lines in each format, judged against 64 MB
# (BENCH_MEM=0 skips it).  (2) The EDIFACT and X12
# tokenizer benchmarks, when their sources exist, judged against 200 MB/s.
# (3) A round of BENCH_PARTS x BENCH_SUPPLIERS (20,000 x 12) UBL files: the
# walk, import, award and report (BENCH_ROUND=0 skips it).  BENCH_CALLGRIND=1
# adds callgrind counts of a small award.
set -e

build=${1:-build}
here=$(dirname "$0")
out=$here/out
bidcmp=$build/bidcmp
parts=${BENCH_PARTS:-20000}
suppliers=${BENCH_SUPPLIERS:-12}
seed=${BENCH_SEED:-1}
cc=${CC:-cc}
# The award date is pinned so that every run sees the same eligible quotes.
export BIDCMP_TODAY=2026-12-01

die() { echo "bench: $*" >&2; exit 1; }

[ -x "$bidcmp" ] || die "$bidcmp not built (run make first)"
case $(date +%N) in
*[!0-9]*|'') die "needs a date(1) with %N (GNU coreutils) for millisecond timing" ;;
esac

now() { date +%s%N; }
# timed OUT CMD...: runs CMD (stdout to OUT), sets T_WALL and T_CPU (user +
# system seconds; the machine may be shared, and CPU time is what the
# neighbours cannot inflate).  Fails like CMD.
timed() {
	_o=$1; shift
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%e %U %S' -o "$out/time.txt" "$@" >"$_o" 2>"$_o.err" || return 1
		T_WALL=$(awk '{ printf "%.3f", $1 }' "$out/time.txt")
		T_CPU=$(awk '{ printf "%.3f", $2 + $3 }' "$out/time.txt")
	else
		_t0=$(now); "$@" >"$_o" 2>"$_o.err" || return 1; _t1=$(now)
		T_WALL=$(secs "$_t0" "$_t1"); T_CPU=$T_WALL
	fi
}
# best3 VAR_PREFIX OUT CMD...: best of 3 runs of CMD -> PREFIX_wall, PREFIX_cpu
best3() {
	_p=$1; shift
	_bw= _bc=
	for _ in 1 2 3; do
		timed "$@" || return 1
		_bw=$(min "${_bw:-$T_WALL}" "$T_WALL"); _bc=$(min "${_bc:-$T_CPU}" "$T_CPU")
	done
	eval "${_p}_wall=\$_bw ${_p}_cpu=\$_bc"
}
# ratio A B: A / B with 2 decimals
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
verdict() { awk -v r="$1" -v t="$2" 'BEGIN { print (r + 0 >= t) ? "PASS" : "FAIL" }'; }
# secs T0 T1: nanosecond stamps -> seconds with 3 decimals
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }
# min X Y: the smaller of two decimal numbers
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a < b) ? a : b }'; }
# rate N S: N per second, rounded
rate() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "-" }'; }

mkdir -p "$out"
xml_flags=$(pkg-config --cflags --libs libxml-2.0) || die "pkg-config libxml-2.0 failed"
$cc -std=c11 -Wall -Wextra -Wpedantic -O2 -o "$out/gen" "$here/gen.c"
# shellcheck disable=SC2086 # pkg-config output is a word list
$cc -std=c11 -Wall -Wextra -Wpedantic -O2 -o "$out/walk" "$here/walk.c" $xml_flags
# shellcheck disable=SC2086
$cc -std=c11 -Wall -Wextra -Wpedantic -Wshadow -O2 -o "$out/sax" "$here/sax.c" $xml_flags

# ---- (1) one big UBL quote: SAX walk, reader walk, import ------------------
nlines=${BENCH_LINES:-200000}
one=$out/one
echo "bench: generating one UBL quote of $nlines lines in $one"
rm -rf "$one" && mkdir -p "$one"
"$out/gen" "$one" "$nlines" 1 "$seed"
qone=$one/quote-01.xml
one_bytes=$(wc -c <"$qone")
# The round, once; each import starts from a copy of this database.
rm -f "$out/one-base.db" "$out/one-base.db-wal" "$out/one-base.db-shm"
one_round=$("$bidcmp" --db "$out/one-base.db" round create "$one/rfq.xml") || die "round create failed"
cat "$qone" >/dev/null

best3 sax "$out/sax.txt" "$out/sax" "$qone" || die "sax failed: $(cat "$out/sax.txt.err")"
sax_lines=$(awk '{ for (i = 1; i < NF; i++) if ($i == "quote_lines") print $(i + 1) }' "$out/sax.txt")
best3 rdr "$out/walk1.txt" "$out/walk" "$qone" || die "walk failed: $(cat "$out/walk1.txt.err")"
# Each import starts from a fresh copy of the round (copying is not timed).
imp_wall= imp_cpu=
for _ in 1 2 3; do
	rm -f "$out/one.db" "$out/one.db-wal" "$out/one.db-shm"
	cp "$out/one-base.db" "$out/one.db"
	timed "$out/import1.log" "$bidcmp" --db "$out/one.db" import "$one_round" "$qone" ||
		die "import failed: $(tail -3 "$out/import1.log.err")"
	imp_wall=$(min "${imp_wall:-$T_WALL}" "$T_WALL"); imp_cpu=$(min "${imp_cpu:-$T_CPU}" "$T_CPU")
done
imp_lines=$(awk '{ for (i = 1; i < NF; i++) if ($i == "imported") n += $(i + 1) } END { print n + 0 }' "$out/import1.log")
[ "$imp_lines" = "$sax_lines" ] ||
	echo "bench: warning: the SAX walk saw $sax_lines quote lines, bidcmp imported $imp_lines"
r_cpu=$(ratio "$sax_cpu" "$imp_cpu")
r_wall=$(ratio "$sax_wall" "$imp_wall")

# The import runs its parse and its store on two threads, so its throughput
# is what the wall clock says (best of 3, on a quiet machine); the CPU
# figures show what it costs in all.  The verdict uses the wall clock.
echo
echo "one UBL quote, $nlines lines, $(awk -v b="$one_bytes" 'BEGIN { printf "%.1f", b / 1048576 }') MiB, best of 3 (lines/s by wall clock; by CPU time in brackets)"
printf '  %-34s %10s  (%s)\n' "SAX walk lines/s (sax.c)" "$(rate "$sax_lines" "$sax_wall")" "$(rate "$sax_lines" "$sax_cpu")"
printf '  %-34s %10s  (%s)\n' "reader walk lines/s (walk.c)" "$(rate "$sax_lines" "$rdr_wall")" "$(rate "$sax_lines" "$rdr_cpu")"
printf '  %-34s %10s  (%s)\n' "bidcmp import lines/s" "$(rate "$imp_lines" "$imp_wall")" "$(rate "$imp_lines" "$imp_cpu")"
printf '  %-34s %10s  (%s)\n' "seconds: SAX, import" "$sax_wall $imp_wall" "$sax_cpu $imp_cpu"
printf '  %-34s %10s  (%s)  %s (target >= 0.5, wall clock)\n' "import/SAX throughput" "$r_wall" "$r_cpu" "$(verdict "$r_wall" 0.5)"

# ---- (1b) peak memory of a ~500 MB quote, every format ----------------------
# The same 580,000 offers (gen DIR N 1 SEED FORMAT) as UBL, cXML, EDIFACT and
# X12, each line padded to about the UBL size, imported into a copy of a
# database holding the 580,000-part round; peak resident memory from
# /usr/bin/time %M.  A CSV bid sheet holds at most 100,000 rows (the
# importer's cap; a larger one is refused): its first 100,000 rows.
if [ "${BENCH_MEM:-1}" = 1 ] && [ -x /usr/bin/time ]; then
	mlines=${BENCH_MEM_LINES:-580000}
	mem=$out/mem
	echo
	echo "bench: generating the $mlines-part round for the memory benchmark in $mem"
	rm -rf "$mem" && mkdir -p "$mem"
	"$out/gen" "$mem" "$mlines" 1 "$seed"
	rm -f "$out/mem-base.db" "$out/mem-base.db-wal" "$out/mem-base.db-shm"
	mem_round=$("$bidcmp" --db "$out/mem-base.db" round create "$mem/rfq.xml") ||
		die "round create failed (memory)"
	"$bidcmp" --db "$out/mem-base.db" fx set GBP 1.17 --date 2026-01-01 >/dev/null
	"$bidcmp" --db "$out/mem-base.db" fx set USD 0.92 --date 2026-01-01 >/dev/null
	rm -f "$mem/rfq.xml"
	echo "peak memory of one import, ~500 MB quote of $mlines lines, round of $mlines parts (target < 64 MB)"
	for fmt in ubl cxml edifact x12 csv; do
		case $fmt in
		ubl) q=$mem/quote-01.xml ;;
		cxml) q=$mem/quote-01.cxml.xml ;;
		edifact) q=$mem/quote-01.edi ;;
		x12) q=$mem/quote-01.x12 ;;
		csv) q=$mem/quote-01.csv ;;
		esac
		[ "$fmt" = ubl ] || "$out/gen" "$mem" "$mlines" 1 "$seed" "$fmt"
		rm -f "$mem/rfq.xml"
		if [ "$fmt" = csv ]; then
			head -n 100001 "$q" >"$q.head" && mv "$q.head" "$q"
		fi
		rm -f "$out/mem.db" "$out/mem.db-wal" "$out/mem.db-shm"
		cp "$out/mem-base.db" "$out/mem.db"
		cat "$q" >/dev/null
		if ! /usr/bin/time -f '%M %e' -o "$out/mem-time.txt" \
			"$bidcmp" --db "$out/mem.db" import "$mem_round" "$q" >"$out/mem-$fmt.log" 2>"$out/mem-$fmt.err"; then
			printf '  %-10s %7s MB  %s\n' "$fmt" "-" "FAIL (refused: $(head -1 "$out/mem-$fmt.err"))"
		else
			kb=$(awk '{ print $1 }' "$out/mem-time.txt")
			printf '  %-10s %7.1f MB  %-8s %s MiB file, %s lines, %s s wall\n' "$fmt" \
				"$(awk -v k="$kb" 'BEGIN { printf "%.1f", k * 1024 / 1e6 }')" \
				"$(awk -v k="$kb" 'BEGIN { print (k * 1024 / 1e6 < 64) ? "PASS" : "FAIL" }')" \
				"$(awk -v b="$(wc -c <"$q")" 'BEGIN { printf "%.0f", b / 1048576 }')" \
				"$(awk '{ for (i = 1; i < NF; i++) if ($i == "imported") print $(i + 1) }' "$out/mem-$fmt.log")" \
				"$(awk '{ print $2 }' "$out/mem-time.txt")"
		fi
		rm -f "$q"
	done
	rm -f "$out/mem.db" "$out/mem.db-wal" "$out/mem.db-shm"
fi

# ---- (2) the EDI tokenizers ------------------------------------------------
pkg_libs=$(pkg-config --libs sqlite3 libxml-2.0 libpcre2-8 libcrypto)
echo
for f in edifact x12; do
	src=$here/bench_$f.c
	if [ ! -f "$src" ]; then
		echo "  $f tokenizer: skipped ($src not there yet)"
		continue
	fi
	[ -f "$build/libbidcmp.a" ] || die "$build/libbidcmp.a not built"
	# shellcheck disable=SC2086
	if ! $cc -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Wall -Wextra -Wpedantic -O2 \
		-Iinclude -Iimporters -o "$out/bench_$f" "$src" \
		"$build/libbidcmp.a" $pkg_libs -lm 2>"$out/bench_$f.cc"; then
		echo "  $f tokenizer: FAIL (does not build: $(head -1 "$out/bench_$f.cc"))"
		continue
	fi
	if ! "$out/bench_$f" >"$out/bench_$f.txt" 2>&1; then
		echo "  $f tokenizer: FAIL ($(tail -1 "$out/bench_$f.txt"))"
		continue
	fi
	mbs=$(awk '/tokenizer alone/ { for (i = 2; i <= NF; i++) if ($i == "MB/s") v = $(i - 1) } END { print v }' "$out/bench_$f.txt")
	printf '  %-34s %10s MB/s  %s (target >= 200)\n' "$f tokenizer" "${mbs:--}" "$(verdict "${mbs:-0}" 200)"
done
[ "${BENCH_ROUND:-1}" = 1 ] || exit 0

# ---- (3) a whole round ------------------------------------------------------

# round: make DIR P V, then a fresh database DB with the round and FX rates.
# Prints the round id.
gen_round() {
	rm -rf "$1" && mkdir -p "$1"
	"$out/gen" "$1" "$2" "$3" "$seed"
}
fresh_db() {
	rm -f "$1" "$1-wal" "$1-shm" "$1-journal"
	id=$("$bidcmp" --db "$1" round create "$2/rfq.xml") || die "round create failed"
	"$bidcmp" --db "$1" fx set GBP 1.17 --date 2026-01-01 >/dev/null
	"$bidcmp" --db "$1" fx set USD 0.92 --date 2026-01-01 >/dev/null
	echo "$id"
}

dir=$out/round
db=$out/bench.db
echo "bench: generating $parts parts x $suppliers suppliers (seed $seed) in $dir"
t0=$(now)
gen_round "$dir" "$parts" "$suppliers"
t1=$(now)
bytes=$(cat "$dir"/quote-*.xml | wc -c)
echo "bench: generated in $(secs "$t0" "$t1") s, quotes $bytes bytes"
# Both contestants read from the page cache.
cat "$dir"/rfq.xml "$dir"/quote-*.xml >/dev/null

# (1) The bare libxml2 walk, best of two.
walk_best=
for _ in 1 2; do
	t0=$(now)
	"$out/walk" "$dir"/quote-*.xml >"$out/walk.txt" || die "walk failed: $(cat "$out/walk.txt")"
	t1=$(now)
	s=$(secs "$t0" "$t1")
	walk_best=${walk_best:-$s}
	walk_best=$(min "$walk_best" "$s")
done
lines=$(awk '{ for (i = 1; i < NF; i++) if ($i == "quote_lines") print $(i + 1) }' "$out/walk.txt")

# (2) bidcmp import of all quote files in one command, best of two; each
# run starts from a fresh database (the same bytes cannot be imported twice).
import_best=
for _ in 1 2; do
	round=$(fresh_db "$db" "$dir")
	t0=$(now)
	if ! "$bidcmp" --db "$db" import "$round" "$dir"/quote-*.xml >"$out/import.log" 2>&1; then
		tail -5 "$out/import.log" >&2
		die "import failed (log: $out/import.log)"
	fi
	t1=$(now)
	s=$(secs "$t0" "$t1")
	import_best=${import_best:-$s}
	import_best=$(min "$import_best" "$s")
done
imported=$(awk '{ for (i = 1; i < NF; i++) if ($i == "imported") n += $(i + 1) } END { print n + 0 }' "$out/import.log")
[ "$imported" = "$lines" ] ||
	echo "bench: warning: the walk saw $lines quote lines, bidcmp imported $imported"

# (3) award and report, once each (they write an award / only read).
t0=$(now)
"$bidcmp" --db "$db" award "$round" >/dev/null 2>"$out/award.err" || die "award failed: $(tail -3 "$out/award.err")"
t1=$(now)
award_s=$(secs "$t0" "$t1")
t0=$(now)
"$bidcmp" --db "$db" report "$round" --format csv >/dev/null 2>"$out/report.err" || die "report failed: $(tail -3 "$out/report.err")"
t1=$(now)
report_s=$(secs "$t0" "$t1")
db_bytes=$(cat "$db" "$db-wal" 2>/dev/null | wc -c)

echo
echo "bidcmp bench, $(date -u +%Y-%m-%d), $(nproc 2>/dev/null || echo '?') cores, libxml2 $(pkg-config --modversion libxml-2.0)"
echo "round $round: $parts parts x $suppliers suppliers, $(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }') MiB of quotes"
printf '  %-28s %12s\n' "quote lines" "$lines"
printf '  %-28s %12s\n' "walk seconds (best of 2)" "$walk_best"
printf '  %-28s %12s\n' "walk lines/s" "$(rate "$lines" "$walk_best")"
printf '  %-28s %12s\n' "import seconds (best of 2)" "$import_best"
printf '  %-28s %12s\n' "import lines/s" "$(rate "$imported" "$import_best")"
printf '  %-28s %12s\n' "ratio import/walk time" "$(awk -v a="$import_best" -v b="$walk_best" 'BEGIN { printf "%.2f", a / b }')"
printf '  %-28s %12s\n' "award seconds" "$award_s"
printf '  %-28s %12s\n' "report --format csv seconds" "$report_s"
printf '  %-28s %12s\n' "database bytes" "$db_bytes"

# ---- (4) the coupled award: rules across parts ------------------------------
# 1,000 x 10 and 5,000 x 12 with 3-tier breaks and binding capacities: the
# Lagrangian decomposition to a proven gap, then CBC alone on 1,000 x 10
# with a time limit (BENCH_CBC_SECONDS, default 60) for comparison; and a
# 100 x 6 round exported in CPLEX LP, solved by us and by the cbc command.
echo
if $cc -std=c11 -O2 -D_POSIX_C_SOURCE=200809L -DBID_HAVE_CBC -Iinclude -Iengine \
	-o "$out/bench_couple" "$here/bench_couple.c" engine/couple.c engine/award_solve.c engine/milp.c \
	$(pkg-config --libs cbc) -lm 2> "$out/bench_couple.cc"; then
	small=$out/couple_small.lp
	"$out/bench_couple" "${BENCH_CBC_SECONDS:-60}" 120 "$small" >"$out/bench_couple.txt" ||
		echo "  coupled award: FAIL (exit $?)"
	sed 's/^/  /' "$out/bench_couple.txt"
	# The same small model through the cbc command, side by side with ours.
	if command -v cbc >/dev/null; then
		cbc_lim=${BENCH_CBC_SECONDS:-60}
		timed "$out/cbc_small.txt" cbc "$small" sec "$cbc_lim" solve quit || true
		cbc_res=$(sed -n 's/^Result - //p' "$out/cbc_small.txt")
		cbc_obj=$(awk '/^Objective value:/ { print $3 }' "$out/cbc_small.txt")
		# ours: "<label> ... objective X  bound Y ..." (costs in currency units)
		field() { awk -v l="$1" -v f="$2" 'index($0, l) == 1 { for (i = 1; i < NF; i++) if ($i == f) print $(i + 1) }' "$out/bench_couple.txt"; }
		dec_bound=$(field "$(sed -n 's/ model written.*//p' "$out/bench_couple.txt") decomposition" bound)
		lib_obj=$(field "$(sed -n 's/ model written.*//p' "$out/bench_couple.txt") with CBC library" objective)
		printf '  %-28s %8s s  %s, objective %s\n' "same model, cbc command" "$T_WALL" "${cbc_res:-no result}" "${cbc_obj:--}"
		# The decomposition's bound must not exceed CBC's optimum; our award
		# closed by CBC's library must reach the same optimum (1e-9 relative:
		# the LP file carries 6 decimals, CBC works in doubles).
		awk -v res="$cbc_res" -v o="$cbc_obj" -v b="$dec_bound" -v l="$lib_obj" 'BEGIN {
			if (res !~ /^Optimal/ || o == "") { print "  cbc did not prove an optimum in the time: no verdict"; exit }
			ok_b = b + 0 <= o + 1e-6 * o; ok_l = (l - o) <= 1e-9 * o && (o - l) <= 1e-9 * o
			printf "  %-28s %s (our bound %s <= cbc optimum %s)\n", "bound below the optimum", ok_b ? "PASS" : "FAIL", b, o
			printf "  %-28s %s (%s)\n", "same optimum as cbc", ok_l ? "PASS" : "FAIL", l }'
	else
		echo "  same model, cbc command: skipped (no cbc; apt-get install coinor-cbc)"
	fi
else
	echo "  coupled award: FAIL (does not build: $(head -1 "$out/bench_couple.cc"))"
fi

# ---- (5) the uncoupled award with price breaks ------------------------------
# 20,000 x 12, 3-tier curves: the exact per-part solver against a bare
# enumeration (every set and tier, no pruning) in the same run; same award
# on every part or FAIL.
echo
if $cc -std=c11 -O2 -Wall -Wextra -Iinclude -Iengine -o "$out/bench_award" \
	"$here/bench_award.c" engine/award_solve.c engine/couple.c engine/milp.c -lm \
	2>"$out/bench_award.cc"; then
	"$out/bench_award" "$parts" "$suppliers" >"$out/bench_award.txt" 2>&1 ||
		echo "  uncoupled award: FAIL (exit $?)"
	sed 's/^/  /' "$out/bench_award.txt"
else
	echo "  uncoupled award: FAIL (does not build: $(head -1 "$out/bench_award.cc"))"
fi

# Optional: instruction counts of the award on a smaller round.
if [ "${BENCH_CALLGRIND:-0}" = 1 ]; then
	command -v valgrind >/dev/null || die "BENCH_CALLGRIND=1 needs valgrind"
	cparts=${BENCH_CALLGRIND_PARTS:-2000}
	cdir=$out/cg-round
	cdb=$out/cg.db
	cg=$out/callgrind.award.out
	gen_round "$cdir" "$cparts" "$suppliers"
	cround=$(fresh_db "$cdb" "$cdir")
	"$bidcmp" --db "$cdb" import "$cround" "$cdir"/quote-*.xml >/dev/null || die "callgrind round import failed"
	valgrind --tool=callgrind --callgrind-out-file="$cg" \
		"$bidcmp" --db "$cdb" award "$cround" >/dev/null 2>"$out/callgrind.log" ||
		die "valgrind failed: $(tail -3 "$out/callgrind.log")"
	echo
	echo "callgrind, award of $cparts parts x $suppliers suppliers ($cg):"
	command -v callgrind_annotate >/dev/null || die "no callgrind_annotate to read $cg"
	# The total, then the functions where the time is spent (self), then
	# bidcmp's own functions with their callees (inclusive).
	callgrind_annotate "$cg" 2>/dev/null | awk '
		/PROGRAM TOTALS/ { print "  total instructions: " $1; next }
		/file:function/ { top = 1; print "  self:"; next }
		/^-/ { next }
		top && NF && n < 10 { sub(/ \[.*\]$/, ""); print "    " $0; n++ }'
	echo "  inclusive, bidcmp's own functions:"
	callgrind_annotate --inclusive=yes "$cg" 2>/dev/null | awk '
		/bidcmp\]$/ && !/\(below main\)|:main / && n < 12 { sub(/ \[.*\]$/, ""); print "    " $0; n++ }'
fi
