#!/bin/sh
# Names from the suspect NTFS (made through the ntfs-3g mount, which accepts
# what Windows would refuse) never leave the case folder: backslashes and ".."
# inside names, control and escape characters, newlines, a bidi override,
# very long names (also two that differ only after the cut), names that clash
# on case, a symbolic link, and names Windows refuses (< > " | ? *, a trailing
# dot or space, device names): the case folder must copy to Windows.  A
# tree whose escaped path would pass PATH_MAX goes to _long_paths/; a tree
# 200 folders deep is walked.  Every file is extracted once, byte-identical,
# as a regular file with a printable name, and the manifest keeps the
# original name.
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/lib/wintree.sh"
need jq jq

NTFS_OPTS=streams_interface=xattr ntfs_file vol.img 24
m="$T/mnt"
d="$m/Users/evil/Desktop"
mkdir -p "$d" "$m/Windows/System32/config" "$m/Users/evil/..\\..\\..\\..\\tmp"
long=$(printf 'L%.0s' $(seq 1 240))
esc=$(printf '\033')
n=0
mk() { n=$((n+1)); printf 'content %s %s\n' "$n" "$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')" > "$1" || fail "cannot create '$1' through ntfs-3g"; }
mk "$d/..\\..\\..\\..\\..\\escape1.ps1"
mk "$d/..\\escape2.bat"
mk "$d/a${esc}[31mred$(printf '\a').cmd"
mk "$d/line1
line2.vbs"
mk "$d/tab$(printf '\t')cr$(printf '\r')x.js"
mk "$d/invoice$(printf '\342\200\256')fdp.exe"
mk "$d/${long}A.ps1"
mk "$d/${long}B.ps1"
mk "$d/Run.bat"
mk "$d/run.bat"
mk "$d/RUN.BAT"
mk "$d/a\\b.ps1"
mk "$d/a%5Cb.ps1"
mk "$d/a%255Cb.ps1"
mk "$d/con.bat"
mk "$d/NUL.ps1"
mk "$d/q<u>e\"s|t?i*on.ps1"
mk "$d/trail.ps1."
mk "$d/trail.ps1 "
mk "$d/:colon:.ps1"
mk "$m/Users/evil/..\\..\\..\\..\\tmp/dropped.exe"
ln -s /etc/passwd "$d/link.ps1" 2>/dev/null && n=$((n+1))
# a tree whose escaped names would make the host path longer than PATH_MAX
(cd "$m/Users/evil" && q=$(printf '?%.0s' $(seq 1 100)) && for i in $(seq 1 30); do mkdir "$q$i" && cd "$q$i" || exit 1; done &&
	printf 'deep %s\n' "$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')" > deep.ps1) || fail "cannot build the deep tree"
n=$((n+1))
rnd "$m/Windows/System32/config/SYSTEM" 8192 regf
n=$((n+1))
# a tree 200 folders deep
(cd "$m/Users/evil" && for i in $(seq 1 200); do mkdir d && cd d || exit 1; done && echo bottom > bottom.bat) ||
	fail "cannot build the 200-deep tree"
n=$((n+1))
find "$m" -type f -exec sh -c 'for f; do sha256sum < "$f"; done' _ {} + | cut -c1-64 | sort > src.sums
ntfs_file_umount
[ -e /tmp/dropped.exe ] && fail "/tmp/dropped.exe exists before the run; remove it"
find "$T" \( -path "$T/case" -o -name "*.list" -o -name res.json -o -name err.txt \) -prune -o -print | sort > before.list
before=$(sha256 vol.img)

# exit 1: the generated stand-ins for logs and hives fail to parse, as they should
shodo triage vol.img --case case --evidence H1 --json > res.json 2> err.txt; rc=$?
[ $rc -le 1 ] || { cat err.txt; fail "triage exited $rc"; }
tri=case/H1/triage
lines=$(wc -l < $tri/manifest.jsonl)
[ "$lines" -eq "$n" ] || fail "$lines manifest lines, $n files made"
ok "one manifest line per file made"

# nothing outside the case folder, nothing outside files/
[ -e /tmp/dropped.exe ] && fail "a name wrote /tmp/dropped.exe"
find "$T" \( -path "$T/case" -o -name "*.list" -o -name res.json -o -name err.txt \) -prune -o -print | sort > after.list
diff before.list after.list || fail "files appeared outside the case folder"
files=$(cd case && realpath "$PWD")/H1/triage/files/
jq -r '.extracted' $tri/manifest.jsonl > ext.list
[ "$(sort -u ext.list | wc -l)" -eq "$n" ] || fail "two files were given the same extracted name"
[ "$(tr 'A-Z' 'a-z' < ext.list | sort -u | wc -l)" -eq "$n" ] || fail "extracted names clash on a case-insensitive host"
while IFS= read -r e; do
	printf '%s\n' "$e" | tr '/' '\n' | grep -qx '\.\.\?' && fail "extracted path has a '.' or '..' component: $e"
	r=$(realpath "case/$e") || fail "cannot resolve case/$e"
	case $r in "$files"*) ;; *) fail "extracted file outside files/: $r" ;; esac
	[ -f "case/$e" ] && [ ! -L "case/$e" ] || fail "not a regular file: $e"
	printf '%s\n' "$e" | tr '/' '\n' | awk 'length($0) > 255 { exit 1 }' || fail "component over 255 bytes: $e"
done < ext.list
[ -z "$(find case -name '*[[:cntrl:]]*')" ] || fail "a control character reached a host file name"
[ -z "$(find case -type l)" ] || fail "a symbolic link in the case folder"
ok "nothing outside the case folder, nothing outside files/"
# and portable to Windows: no reserved characters, no trailing dot or space, no device names
[ -z "$(find case -name '*[<>:\"|?*\\]*')" ] || fail "a name Windows refuses: $(find case -name '*[<>:\"|?*\\]*')"
[ -z "$(find case -name '*.' -o -name '* ')" ] || fail "a name ending in a dot or space"
find case | awk -F/ '{ n = tolower($NF); sub(/\..*/, "", n); if (n ~ /^(con|prn|aux|nul|com[1-9]|lpt[1-9])$/) { print; bad = 1 } } END { exit bad }' ||
	fail "a Windows device name in the case folder"

# the contents are the ones written, each once
jq -r 'select(.path | endswith("link.ps1") | not) | .sha256' $tri/manifest.jsonl | sort > got.sums
diff src.sums got.sums || fail "contents differ from what was written (< source, > manifest)"
while IFS= read -r e; do
	s=$(jq -r --arg e "$e" 'select(.extracted==$e) | .sha256' $tri/manifest.jsonl)
	[ "$(sha256 "case/$e")" = "$s" ] || fail "$e: sha256 differs from the manifest"
done < ext.list
ok "the contents are the ones written, each once"

# the manifest keeps the original names
for want in 'Users/evil/Desktop/..\..\..\..\..\escape1.ps1' "Users/evil/Desktop/a${esc}[31mred$(printf '\a').cmd" \
	"Users/evil/Desktop/line1
line2.vbs" "Users/evil/Desktop/invoice$(printf '\342\200\256')fdp.exe" "Users/evil/Desktop/${long}B.ps1" \
	'Users/evil/Desktop/RUN.BAT' 'Users/evil/Desktop/run.bat' 'Users/evil/Desktop/a%5Cb.ps1' 'Users/evil/Desktop/:colon:.ps1' \
	'Users/evil/Desktop/q<u>e"s|t?i*on.ps1' 'Users/evil/Desktop/trail.ps1 ' 'Users/evil/Desktop/NUL.ps1' \
	'Users/evil/..\..\..\..\tmp/dropped.exe'; do
	[ "$(jq --arg p "$want" 'select(.path==$p) | .path' $tri/manifest.jsonl | wc -l)" = 1 ] ||
		fail "original name not in the manifest: $want"
done
deep=$(jq -r 'select(.path | endswith("/deep.ps1")) | .extracted' $tri/manifest.jsonl)
case $deep in H1/triage/files/fs@0/_long_paths/*/deep.ps1) ;; *) fail "deep file: '$deep'" ;; esac
[ "$(jq -r 'select(.path | endswith("/deep.ps1")) | .path' $tri/manifest.jsonl | tr '/' '\n' | wc -l)" = 33 ] ||
	fail "the manifest does not keep the deep file's original path"
[ -z "$(find case | awk 'length($0) > 1200')" ] || fail "a case-folder path over 1200 bytes"
grep -q "_long_paths/.*/deep.ps1" case/SHA256SUMS || fail "the deep file is not in SHA256SUMS"
(cd case && sha256sum -c --quiet SHA256SUMS) || fail "SHA256SUMS does not verify"
[ "$(sha256 vol.img)" = "$before" ] || fail "source changed"
ok "hostile names stay inside the case folder"
