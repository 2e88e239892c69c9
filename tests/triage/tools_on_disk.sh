#!/bin/sh
# Tools on disk, not only tools run: attack and admin tools in user-writable
# places are flagged in the summary although no prefetch shows them run —
# by name (mimikatz.exe in Downloads, PsExec64.exe in Windows/Temp), by the
# OriginalFilename of the version resource (mimikatz renamed svchelper.exe in
# Temp; read back with exiftool) and by hash (PsExec's bytes renamed
# update.exe, no version resource).  A program with an ordinary version
# resource is listed, not flagged; one under Program Files is not collected.
# The PE files are built here with binutils (windres, as, ld), not downloaded.
. "$SHODO_TOP/tests/lib/common.sh"
need x86_64-w64-mingw32-windres binutils-mingw-w64-x86-64; need exiftool libimage-exiftool-perl
need sqlite3 sqlite3; need jq jq

pe() { # pe OUT ORIGINAL-FILENAME PRODUCT
	cat > v.rc <<EOF
1 VERSIONINFO
FILEVERSION 2,2,0,0
PRODUCTVERSION 2,2,0,0
FILEOS 0x40004
FILETYPE 0x1
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "040904b0"
    BEGIN
      VALUE "CompanyName", "Example Corp"
      VALUE "FileDescription", "$3"
      VALUE "InternalName", "${2%.exe}"
      VALUE "OriginalFilename", "$2"
      VALUE "ProductName", "$3"
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x409, 1200
  END
END
EOF
	printf '.text\n.globl _start\n_start:\n ret\n' > s.s
	x86_64-w64-mingw32-windres --preprocessor=cat v.rc -O coff -o v.o || fail "windres"
	x86_64-w64-mingw32-as s.s -o s.o && x86_64-w64-mingw32-ld -e _start s.o v.o -o "$1" || fail "ld"
}
pe mimi.exe mimikatz.exe mimikatz
pe notepadpp.exe notepad++.exe "Notepad++"
[ "$(exiftool -s3 -OriginalFileName mimi.exe)" = mimikatz.exe ] || fail "exiftool does not read the resource"
{ printf 'MZ'; head -c 20000 /dev/urandom; } > psexec.bin

ntfs_image disk.raw 48
m=$T/mnt
mkdir -p "$m/Windows/System32/config" "$m/Windows/Temp" "$m/Users/bob/AppData/Local/Temp" "$m/Users/bob/Downloads" \
	"$m/ProgramData/upd" "$m/Program Files/Sysinternals"
cp mimi.exe "$m/Users/bob/AppData/Local/Temp/svchelper.exe"
cp mimi.exe "$m/Users/bob/Downloads/mimikatz.exe"
cp psexec.bin "$m/Windows/Temp/PsExec64.exe"
cp psexec.bin "$m/ProgramData/upd/update.exe"
cp notepadpp.exe "$m/Users/bob/Downloads/tool.exe"
cp psexec.bin "$m/Program Files/Sysinternals/PsExec.exe"
ntfs_umount

shodo triage disk.raw --case case --evidence T1 --json > res.json; rc=$?
[ $rc -le 1 ] || fail "triage exited $rc"
db=case/T1/triage/triage.db
sqlite3 -separator '|' "$db" "select path, coalesce(flag,''), coalesce(matched_by,''), coalesce(original_name,''), sha256
	from executables order by path" > got
cat > want <<EOF
ProgramData/upd/update.exe|lateral movement: psexec|hash||$(sha256 psexec.bin)
Users/bob/AppData/Local/Temp/svchelper.exe|credential theft: mimikatz|OriginalFilename|$(exiftool -s3 -OriginalFileName mimi.exe)|$(sha256 mimi.exe)
Users/bob/Downloads/mimikatz.exe|credential theft: mimikatz|name|mimikatz.exe|$(sha256 mimi.exe)
Users/bob/Downloads/tool.exe|||$(exiftool -s3 -OriginalFileName notepadpp.exe)|$(sha256 notepadpp.exe)
Windows/Temp/PsExec64.exe|lateral movement: psexec|name||$(sha256 psexec.bin)
EOF
diff want got > d.txt || { cat d.txt; fail "executables differ (< expected, > got)"; }
[ "$(sqlite3 "$db" "select product from executables where path = 'Users/bob/Downloads/tool.exe'")" = \
  "$(exiftool -s3 -ProductName notepadpp.exe)" ] || fail "ProductName"
[ "$(sqlite3 "$db" "select count(*) from prefetch")" = 0 ] || fail "there should be no prefetch"
s=case/T1/triage/summary.txt
grep -q "^TOOLS ON DISK: 4 flagged in user-writable places" $s || fail "summary: $(grep -A5 TOOLS $s)"
grep -q "credential theft: mimikatz: Users/bob/AppData/Local/Temp/svchelper.exe (by OriginalFilename mimikatz.exe); not seen run (no prefetch)" $s ||
	fail "summary line for the renamed mimikatz: $(grep -A5 'TOOLS ON DISK' $s)"
grep -q "lateral movement: psexec: ProgramData/upd/update.exe (by hash)" $s || fail "summary: hash match"
[ -s case/T1/triage/executables.csv ] || fail "executables.csv"
ok "tools on disk flagged by name, version resource (as exiftool reads it) and hash, with no prefetch"
