#!/bin/sh
# shodo triage on an NTFS image holding generated SYSTEM/SOFTWARE/SAM hives
# and executables: posture.csv and triage.db carry the findings, the
# credential digests and the reuse review, whose hashes, window and
# user-writable flags agree with sha256sum/sha1sum/md5sum of the files
# written and with the times set on them.
. "$SHODO_TOP/tests/lib/common.sh"
need sqlite3 sqlite3
MKHIVE=$HELPERS/mkhive
MKSAM=$HELPERS/mksam
[ -x "$MKHIVE" ] && [ -x "$MKSAM" ] || fail "test helpers not built"
TAB=$(printf '\t')

"$MKSAM" --rev 2 --computer PC1 --nt-out nt.txt sys.txt sam.txt Administrator:500:Spring2023:a Guest:501::d || fail mksam
cat >> sys.txt <<EOF
D${TAB}ControlSet001\\Services\\SharedAccess\\Parameters\\FirewallPolicy\\DomainProfile${TAB}EnableFirewall${TAB}0
D${TAB}ControlSet001\\Control\\Terminal Server${TAB}fDenyTSConnections${TAB}0
D${TAB}ControlSet001\\Control\\Terminal Server\\WinStations\\RDP-Tcp${TAB}UserAuthentication${TAB}1
EOF
printf 'S\tMicrosoft\\Windows NT\\CurrentVersion\tCurrentBuildNumber\t17763\n' > soft.txt
"$MKHIVE" SYSTEM < sys.txt && "$MKHIVE" SAM < sam.txt && "$MKHIVE" SOFTWARE < soft.txt || fail mkhive

ntfs_image disk.raw 48
c="$T/mnt/Windows/System32/config"
mkdir -p "$c" "$T/mnt/Users/alice/Downloads" "$T/mnt/ProgramData/svc" "$T/mnt/Program Files/App"
cp SYSTEM SAM SOFTWARE "$c/"
{ printf 'MZ'; head -c 70000 /dev/urandom; } > "$T/mnt/Users/alice/Downloads/AnyDesk.exe"
printf '@echo off\r\nvssadmin delete shadows /all /quiet\r\n' > "$T/mnt/ProgramData/svc/start.cmd"
{ printf 'MZ'; head -c 3000 /dev/urandom; } > "$T/mnt/Program Files/App/app.exe"
touch -d 2023-06-01T10:00:00Z "$T/mnt/Users/alice/Downloads/AnyDesk.exe" "$T/mnt/ProgramData/svc/start.cmd"
touch -d 2020-01-01T10:00:00Z "$T/mnt/Program Files/App/app.exe"
for f in Users/alice/Downloads/AnyDesk.exe ProgramData/svc/start.cmd; do
	(cd "$T/mnt" && printf '%s %s %s %s\n' "$f" "$(md5sum < "$f" | cut -d' ' -f1)" \
		"$(sha1sum < "$f" | cut -d' ' -f1)" "$(sha256sum < "$f" | cut -d' ' -f1)") >> want.txt
done
ntfs_umount

shodo triage disk.raw --case case --evidence PC1 --profile full --since 2023-05-01T00:00:00Z \
	--until 2023-07-01T00:00:00Z > out.txt 2> err.txt
rc=$?
[ $rc -le 1 ] || { cat err.txt; fail "triage exited $rc"; }
tri=case/PC1/triage
[ -s $tri/posture.csv ] || fail "no posture.csv"
grep -q '^high,firewall,firewall domain profile off,' $tri/posture.csv || fail "firewall finding missing"
grep -q '^medium,remote access,RDP enabled,' $tri/posture.csv || fail "RDP finding missing"
grep -q '^medium,accounts,built-in Administrator account enabled' $tri/posture.csv || fail "account finding missing"
[ "$(sqlite3 $tri/triage.db "SELECT count(*) FROM credential_digests WHERE length(digest) = 64")" = 2 ] ||
	fail "credential digests"
[ -f case/.shodo/credential.key ] || fail "no case key"
(cd case && sha256sum -c --quiet SHA256SUMS) || fail "SHA256SUMS does not verify"
grep -q 'posture.csv' case/SHA256SUMS || fail "posture.csv not in SHA256SUMS"
grep -q 'credential.key' case/SHA256SUMS && fail "the case key is listed in SHA256SUMS"
for h in $(cut -d: -f3 nt.txt); do
	grep -rqi "$h" case && fail "an NT hash is in the case folder"
done

# reuse review: hashes as the files written, window and writable flags
[ -s $tri/reuse_review.csv ] || fail "no reuse_review.csv"
tr -d '\r' < $tri/reuse_review.csv > review.csv
R=review.csv
head -n 1 $R | grep -q '^path,volume,kind,size,mtime,crtime,md5,sha1,sha256,in_window,user_writable' || fail "header"
while read -r path m5 s1 s256; do
	row=$(grep "^$path," $R) || { cat $R; fail "$path not in the reuse review"; }
	echo "$row" | grep -q ",$m5,$s1,$s256,1,1$" || fail "$path: hashes/window/writable wrong: $row"
done < want.txt
row=$(grep '^Program Files/App/app.exe,' $R) || fail "listed executable missing from the review"
echo "$row" | grep -q ',executable,3002,2020-01-01T10:00:00' || fail "app.exe size/mtime: $row"
echo "$row" | grep -q ',0,0$' || fail "app.exe must be outside the window and not user-writable: $row"
grep -q '^Users/alice/Downloads/AnyDesk.exe,[^,]*,executable,70002,' $R || fail "kind/size of AnyDesk.exe"
grep -q '^ProgramData/svc/start.cmd,[^,]*,script,' $R || fail "kind of start.cmd"
grep -qi 'SYSTEM,' $R && fail "hives are not reviewed files"
[ "$(sqlite3 $tri/triage.db "SELECT count(*) FROM reuse_review")" = "$(($(wc -l < $R) - 1))" ] || fail "csv and table differ"
ok "triage: posture findings, digests and reuse review"
