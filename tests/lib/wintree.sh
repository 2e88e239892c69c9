# tests/lib/wintree.sh — a Windows-like tree for triage tests (sourced after
# common.sh).  wintree ROOT writes files at the places triage collects from,
# plus decoys, and records what must be collected in $T/expect (lines
# "category<TAB>path").  Real artifacts from the corpus are used when it is
# there, generated look-alikes when not.

# rnd FILE SIZE [MAGIC]: SIZE bytes, starting with MAGIC
rnd() {
	mkdir -p "$(dirname "$1")"
	{ [ -n "${3:-}" ] && printf '%s' "$3"; head -c "$2" /dev/urandom; } > "$1"
}

# put ROOT CATEGORY PATH SIZE [MAGIC]: an expected file
put() {
	rnd "$1/$3" "$4" "${5:-}"
	printf '%s\t%s\n' "$2" "$3" >> "$T/expect"
}

# cput ROOT CATEGORY PATH CORPUS_GLOB SIZE MAGIC: a corpus file when one matches
cput() {
	src=""
	if [ -d "$CORPUS" ]; then
		src=$(find "$CORPUS"/$4 -type f -size -3M 2>/dev/null | sort | head -n 1)
	fi
	if [ -n "$src" ]; then
		mkdir -p "$(dirname "$1/$3")"; cp "$src" "$1/$3"
		printf '%s\t%s\n' "$2" "$3" >> "$T/expect"
	else
		put "$1" "$2" "$3" "$5" "$6"
	fi
}

wintree() {
	r=$1
	: > "$T/expect"
	c=Windows/System32/config
	cput "$r" registry "$c/SAM" 'hives/regipy/SAM' 65536 regf
	cput "$r" registry "$c/SYSTEM" 'hives/regipy/SYSTEM' 65536 regf
	cput "$r" registry "$c/SECURITY" 'hives/regipy/SECURITY' 32768 regf
	put "$r" registry "$c/SOFTWARE" 81920 regf
	put "$r" registry "$c/DEFAULT" 8192 regf
	# a hive renamed by ransomware (header intact), next to an encrypted one that is not a hive any more
	put "$r" registry "$c/SOFTWARE.lockbit" 8192 regf
	rnd "$r/$c/SECURITY.lockbit" 8192
	put "$r" registry "$c/SYSTEM.LOG1" 4096 regf
	put "$r" registry "$c/SYSTEM.LOG2" 0
	put "$r" registry "$c/SAM.LOG1" 4096 regf
	put "$r" registry "$c/RegBack/SYSTEM" 8192 regf
	put "$r" registry "$c/RegBack/SAM" 0
	put "$r" evt "$c/AppEvent.Evt" 3000
	rnd "$r/$c/journal/decoy.bin" 100
	rnd "$r/$c/COMPONENTS" 8192 nope
	cput "$r" evtx "Windows/System32/winevt/Logs/Security.evtx" 'evtx/deepbluecli/evtx/*.evtx' 69632 ElfFile
	put "$r" evtx "Windows/System32/winevt/Logs/Microsoft-Windows-TerminalServices-LocalSessionManager%4Operational.evtx" 69632 ElfFile
	put "$r" evtx "Windows/System32/winevt/Logs/System.evtx" 69632 ElfFile
	rnd "$r/Windows/System32/winevt/Logs/notes.log" 100
	cput "$r" prefetch "Windows/Prefetch/CMD.EXE-4A81B364.pf" 'prefetch/ez-prefetch/Win10/*.pf' 3000 MAM
	put "$r" prefetch "Windows/Prefetch/MIMIKATZ.EXE-1A2B3C4D.pf" 2000 SCCA
	rnd "$r/Windows/Prefetch/Layout.ini" 300
	put "$r" registry "Windows/AppCompat/Programs/Amcache.hve" 16384 regf
	put "$r" task "Windows/System32/Tasks/Microsoft/Windows/Defrag/ScheduledDefrag" 3000 '<?xml'
	put "$r" task "Windows/System32/Tasks/Updater" 2000 '<?xml'
	put "$r" account_db "Windows/NTDS/ntds.dit" 65536
	put "$r" ntds_log "Windows/NTDS/edb.log" 8192
	put "$r" ntds_log "Windows/NTDS/edb.chk" 8192
	put "$r" registry "Windows/System32/config/systemprofile/NTUSER.DAT" 8192 regf
	put "$r" policy "Windows/SYSVOL/sysvol/corp.local/Policies/{31B2F340-016D-11D2-945F-00C04FB984F9}/MACHINE/Microsoft/Windows NT/SecEdit/GptTmpl.inf" 900 '[Unicode]'
	rnd "$r/Windows/System32/notepad.exe" 5000 MZ
	rnd "$r/Windows/System32/drivers/etc/hosts" 800
	put "$r" script "Windows/Temp/run.bat" 300 '@echo off'
	for u in alice Administrator; do
		cput "$r" registry "Users/$u/NTUSER.DAT" 'hives/regipy/NTUSER.DAT' 262144 regf
		put "$r" registry "Users/$u/ntuser.dat.LOG1" 4096 regf
		put "$r" registry "Users/$u/AppData/Local/Microsoft/Windows/UsrClass.dat" 8192 regf
		put "$r" ps_history "Users/$u/AppData/Roaming/Microsoft/Windows/PowerShell/PSReadLine/ConsoleHost_history.txt" 400 'whoami'
		rnd "$r/Users/$u/NTUSER.ini" 20
		rnd "$r/Users/$u/Documents/budget.xlsx" 20000
	done
	put "$r" rdp_cache "Users/alice/AppData/Local/Microsoft/Terminal Server Client/Cache/Cache0001.bin" 40000 RDP8bmp
	put "$r" rdp_cache "Users/alice/AppData/Local/Microsoft/Terminal Server Client/Cache/bcache24.bmc" 20000
	# renamed hive, found by its signature; a non-hive in the same place is not
	put "$r" registry "Users/bob/NTUSER.DAT.id-1234.[rec@mail.cc].phobos" 8192 regf
	rnd "$r/Users/bob/NTUSER.pol" 8192 PReg
	# executables and scripts in user-writable places
	put "$r" executable "Users/alice/Downloads/AnyDesk.exe" 70000 MZ
	# Mark of the Web, where the mount can write named streams (file:stream)
	if [ "${NTFS_STREAMS:-}" = windows ]; then
		printf '[ZoneTransfer]\r\nZoneId=3\r\nHostUrl=https://download.example/AnyDesk.exe\r\n' \
			> "$r/Users/alice/Downloads/AnyDesk.exe:Zone.Identifier"
		printf 'zone_identifier\tUsers/alice/Downloads/AnyDesk.exe:Zone.Identifier\n' >> "$T/expect"
		printf 'x' > "$r/Users/alice/Documents/budget.xlsx:Zone.Identifier"
	fi
	put "$r" executable "Users/alice/AppData/Local/Temp/x/mimi.dll" 5000 MZ
	put "$r" script "Users/alice/Desktop/go.ps1" 200 'Get-'
	put "$r" script "Users/alice/Desktop/Shortcut.lnk" 300 'L'
	put "$r" executable "ProgramData/svc/agent.exe" 9000 MZ
	put "$r" script "ProgramData/svc/start.cmd" 100 '@'
	put "$r" executable "PerfLogs/p.exe" 1000 MZ
	put "$r" script "\$Recycle.Bin/S-1-5-21-1/\$RAB12CD.vbs" 100 "'"
	rnd "$r/Program Files/App/app.exe" 3000 MZ
	# ransom notes: a keyword name, and a plain name dropped in many places
	for d in Users/alice/Documents Users/alice/Desktop Users/Public ProgramData; do
		mkdir -p "$r/$d"
		printf 'Your files are encrypted. Contact rec@mail.cc\n' > "$r/$d/README_RESTORE_FILES.txt"
		printf '<html><body><h1>All your files are encrypted!</h1><p>To get your files back write to rec@mail.cc with your personal ID 7731AB in the subject. Do not rename encrypted files.</p></body></html>\n' > "$r/$d/info.hta"
	done
	printf 'ransom_note\tProgramData/README_RESTORE_FILES.txt\n' >> "$T/expect"
	printf 'ransom_note\tProgramData/info.hta\n' >> "$T/expect"
	# the previous installation kept by an upgrade
	put "$r" registry "Windows.old/Windows/System32/config/SYSTEM" 8192 regf
	put "$r" evtx "Windows.old/Windows/System32/winevt/Logs/Security.evtx" 69632 ElfFile
	put "$r" registry "Windows.old/Users/olduser/NTUSER.DAT" 8192 regf
	rnd "$r/Windows.old/Windows/System32/drivers/old.sys" 3000 MZ
	# one copy of a plain text file is not a candidate
	printf 'shopping list\n' > "$r/Users/alice/Documents/list.txt"
	# a keyword note that is too big to be a note
	rnd "$r/Users/alice/Documents/how_to_decrypt_big.txt" 70000
}

# xptree ROOT EXPECT [WINDIR]: a small XP-style tree (upper-case WINDOWS or
# WINDIR, system32, Documents and Settings, legacy .evt logs), expected lines
# into EXPECT
xptree() {
	r=$1; e=$2; : > "$e"; wd=${3:-WINDOWS}
	c=$wd/system32/config
	for h in SYSTEM SAM SOFTWARE; do rnd "$r/$c/$h" 8192 regf; printf 'registry\t%s\n' "$c/$h" >> "$e"; done
	rnd "$r/$c/SysEvent.Evt" 3000; printf 'evt\t%s\n' "$c/SysEvent.Evt" >> "$e"
	rnd "$r/$c/SecEvent.Evt" 3000; printf 'evt\t%s\n' "$c/SecEvent.Evt" >> "$e"
	rnd "$r/$wd/Prefetch/NTDSUTIL.EXE-12345678.pf" 2000 SCCA
	printf 'prefetch\t%s\n' "$wd/Prefetch/NTDSUTIL.EXE-12345678.pf" >> "$e"
	rnd "$r/$wd/Tasks/At1.job" 500; printf 'task\t%s\n' "$wd/Tasks/At1.job" >> "$e"
	rnd "$r/Documents and Settings/bob/NTUSER.DAT" 16384 regf
	printf 'registry\t%s\n' "Documents and Settings/bob/NTUSER.DAT" >> "$e"
	rnd "$r/Documents and Settings/bob/Desktop/tool.exe" 3000 MZ
	printf 'executable\t%s\n' "Documents and Settings/bob/Desktop/tool.exe" >> "$e"
	rnd "$r/Program Files/x.exe" 1000 MZ
}

# fat_image IMG SIZE_MB DIR: FAT16 file system holding DIR's tree (mtools)
fat_image() {
	need mkfs.fat dosfstools; need mcopy mtools
	rm -f "$1"; truncate -s "${2}M" "$1"
	mkfs.fat -F 16 "$1" >/dev/null || fail "mkfs.fat"
	MTOOLS_SKIP_CHECK=1 mcopy -s -Q -i "$1" "$3"/* ::/ || fail "mcopy"
}

# ext_image IMG SIZE_MB DIR: ext4 file system holding DIR's tree
ext_image() {
	need mkfs.ext4 e2fsprogs
	rm -f "$1"; mkfs.ext4 -q -F -d "$3" "$1" "${2}M" >/dev/null 2>&1 || fail "mkfs.ext4 -d"
}

# ntfs_file IMG SIZE_MB: an NTFS file system in a plain file, mounted with
# ntfs-3g at $T/mnt until ntfs_file_umount
ntfs_file() {
	need mkntfs ntfs-3g
	[ "$(id -u)" = 0 ] || skip "ntfs-3g mounts need root (FUSE)"
	rm -f "$1"; truncate -s "${2}M" "$1"
	mkntfs -q -F -f "$1" >/dev/null 2>&1 || fail "mkntfs"
	mkdir -p "$T/mnt"
	ntfs-3g -o "${NTFS_OPTS:-streams_interface=windows}" "$1" "$T/mnt" 2>/dev/null ||
		skip "ntfs-3g mount failed (FUSE unavailable?)"
	case ${NTFS_OPTS:-streams_interface=windows} in
	*streams_interface=windows*) NTFS_STREAMS=windows ;;
	*) NTFS_STREAMS= ;;
	esac
}
ntfs_file_umount() { sync; umount "$T/mnt" 2>/dev/null || fusermount -u "$T/mnt"; }

# place DISK SECTOR FILE: writes FILE into DISK at SECTOR (512 bytes)
place() { dd if="$3" of="$1" bs=512 seek="$2" conv=notrunc,sparse status=none || fail "dd"; }

# collected TRIAGE_DIR VOLUME: "category<TAB>path" of the manifest for a volume, sorted
collected() { jq -r --arg v "$2" 'select(.volume==$v) | [.category, .path] | @tsv' "$1/manifest.jsonl" | sort; }

# content_list TRIAGE_DIR: "volume path sha256" sorted, to compare runs
content_list() { jq -r '[.volume, .path, .sha256, .category] | @tsv' "$1/manifest.jsonl" | sort; }
