#!/bin/sh
# The quick and the full profile reach the same encryption answer on the same
# disk (the same extensions, counts and times), a clean disk says "none found"
# in both, and a store that could not measure says "NOT MEASURED" in its own
# summary and in the fleet view.  Counts are checked against the files that
# ntfs-3g wrote and against fls.
. "$SHODO_TOP/tests/lib/common.sh"
need sqlite3 sqlite3; need fls sleuthkit
ntfs_image enc.raw 48
m=$T/mnt
mkdir -p "$m/Users/anna/Documents" "$m/Data" "$m/Program Files/Schemas" "$m/Windows/System32/config"
i=0
while [ $i -lt 12 ]; do
	echo x > "$m/Users/anna/Documents/report$i.docx.lockbit"
	touch -d "2024-03-02 03:$((10 + i)):00 UTC" "$m/Users/anna/Documents/report$i.docx.lockbit"
	i=$((i + 1))
done
# a random extension replacing the real one
i=0
while [ $i -lt 60 ]; do echo y > "$m/Data/scan$i.x7k2q9"; i=$((i + 1)); done
touch -d "2024-03-02 03:15:00 UTC" "$m"/Data/*.x7k2q9
# a doubled extension that is not encryption: 20 of 50 .xsd files
i=0
while [ $i -lt 50 ]; do
	if [ $i -lt 20 ]; then echo z > "$m/Program Files/Schemas/s$i.xml.xsd"; else echo z > "$m/Program Files/Schemas/o$i.xsd"; fi
	i=$((i + 1))
done
ntfs_umount
cp enc.raw clean.raw
# fls agrees on what is there
[ "$(fls -r -o 2048 enc.raw | grep -c '\.docx\.lockbit$')" = 12 ] || fail "fls does not see 12 .lockbit files"
[ "$(fls -r -o 2048 enc.raw | grep -c '\.x7k2q9$')" = 60 ] || fail "fls does not see 60 .x7k2q9 files"

shodo triage enc.raw --case case --evidence QUICK --profile quick -q; [ $? -le 1 ] || fail "quick triage"
shodo triage enc.raw --case case --evidence FULL --profile full -q; [ $? -le 1 ] || fail "full triage"
q() { sqlite3 "case/$1/triage/triage.db" "$2"; }
for ev in QUICK FULL; do
	[ "$(q $ev "select group_concat(extension || ':' || count, ' ') from (select * from encrypted_extensions order by extension)")" = \
		".lockbit:12 .x7k2q9:60" ] || fail "$ev: $(q $ev 'select extension, count from encrypted_extensions')"
	[ "$(q $ev "select first_mtime || ' ' || last_mtime from encrypted_extensions where extension = '.lockbit'")" = \
		"2024-03-02T03:10:00Z 2024-03-02T03:21:00Z" ] || fail "$ev: encryption times"
	[ "$(q $ev "select value from scope_info where key = 'encryption'")" = found ] || fail "$ev: state"
	[ "$(q $ev "select files from ext_counts where ext = 'xsd'")" = 50 ] || fail "$ev: .xsd total"
	grep -Fxq "ENCRYPTION: 72 files, 2024-03-02 03:10:00Z .. 2024-03-02 03:21:00Z" case/$ev/triage/summary.txt ||
		{ cat case/$ev/triage/summary.txt; fail "$ev: summary line"; }
done
# only the full profile lists the files whose extension was replaced
[ "$(q FULL "select first_mtime from encrypted_extensions where extension = '.x7k2q9'")" = 2024-03-02T03:15:00Z ] ||
	fail "full: .x7k2q9 times"
grep -Fxq "  .x7k2q9: 60 files, times and names not listed (quick profile)" case/QUICK/triage/summary.txt ||
	fail "quick: the .x7k2q9 line does not say what was not listed"

shodo triage clean.raw --case clean --evidence C1 --profile quick -q; [ $? -le 1 ] || fail "clean quick"
# the same disk without the encrypted files: fresh image, nothing appended
ntfs_image none.raw 32
mkdir -p "$T/mnt/Users/anna/Documents"; echo a > "$T/mnt/Users/anna/Documents/report.docx"
ntfs_umount
for p in quick full; do
	shodo triage none.raw --case clean --evidence N$p --profile $p -q; [ $? -le 1 ] || fail "clean $p"
	grep -q "^ENCRYPTION: none found (" clean/N$p/triage/summary.txt || fail "clean $p: $(grep ENCRYPTION clean/N$p/triage/summary.txt)"
	grep -q '<p class="ok">None found.</p>' clean/N$p/triage/report.html || fail "clean $p: report.html"
done
# a store that could not measure (no names counted, no listing): as an older
# store or a run without a file system would leave it
rm -rf clean/C1
cp -r clean/Nquick clean/OLD 2>/dev/null || cp -r clean/Nquick clean/OLD
sqlite3 clean/OLD/triage/triage.db "delete from ext_counts; delete from files; delete from scope_info where key like 'encryption%'"
shodo report clean -q; [ $? -le 1 ] || fail "shodo report"
grep -Fxq "ENCRYPTION: none found on 2 hosts, NOT MEASURED on 1" clean/summary.txt ||
	{ cat clean/summary.txt; fail "fleet encryption line"; }
grep -q "^  not measured: " clean/summary.txt || fail "fleet does not name the unmeasured host"
ok "quick and full agree (.lockbit 12, .x7k2q9 60, .xsd not encryption); none found vs not measured"
