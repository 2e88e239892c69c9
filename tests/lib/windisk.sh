# tests/lib/windisk.sh — a small Windows-like disk for front-end tests
# (sourced after common.sh; needs root, ntfs-3g and ../shared/corpus):
#   windisk FILE     an MBR disk with one NTFS partition labelled "Windows C"
#                    holding a SYSTEM hive (computer name), a SOFTWARE hive
#                    built here (Windows version), Security logs with an RDP
#                    logon and a brute force, ransom notes with contacts and
#                    40 encrypted files with known times.
windisk() {
	need_corpus
	need hivexget libhivex-bin
	C=$CORPUS
	ntfs_image "$1" 96
	W=$T/mnt/Windows
	mkdir -p "$W/System32/config" "$W/System32/winevt/Logs" "$W/Prefetch" "$T/mnt/Users/Preston/Documents" \
		"$T/mnt/Users/Public/Documents" "$T/mnt/ProgramData"
	cp "$C/hives/regipy/SYSTEM" "$W/System32/config/SYSTEM"
	cp "$C/hives/regipy/SAM" "$W/System32/config/SAM"
	printf 'S\tMicrosoft\\Windows NT\\CurrentVersion\tProductName\tWindows 7 Professional\nS\tMicrosoft\\Windows NT\\CurrentVersion\tCSDVersion\tService Pack 1\nS\tMicrosoft\\Windows NT\\CurrentVersion\tCurrentBuildNumber\t7601\n' |
		"$HELPERS/mkhive" "$W/System32/config/SOFTWARE" || fail "mkhive SOFTWARE"
	cp "$C/evtx/sbousseaden/Command and Control/DE_RDP_Tunnel_5156.evtx" "$W/System32/winevt/Logs/Security.evtx"
	cp "$C/evtx/mdecrevoisier/TA0006-Credential Access/T1110.xxx-Brut force/ID4625-OpenSSH brutforce with non existing users.evtx" \
		"$W/System32/winevt/Logs/Archive-Security-2021-05-01-10-00-00-000.evtx"
	cp "$C/prefetch/ez-prefetch/Win7/PING.EXE-B29F6629.pf" "$W/Prefetch/"
	cat > "$T/note.txt" <<'NOTE'
!!! ALL YOUR FILES ARE ENCRYPTED !!!
Your network was penetrated. All patient records, databases and backups are encrypted.
Do not rename encrypted files and do not try to decrypt them with third-party software.
To get the decryption key write to hospital-restore@example.com or open our page in Tor Browser:
http://hospitalrestore2examplexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.onion
If you do not pay within 72 hours your data will be published.
NOTE
	for d in Users/Preston/Documents Users/Public/Documents ProgramData; do cp "$T/note.txt" "$T/mnt/$d/RESTORE-MY-FILES.txt"; done
	i=0
	while [ $i -lt 40 ]; do
		f="$T/mnt/Users/Preston/Documents/ward-report-$i.docx.hospitallock"
		head -c 3000 /dev/urandom > "$f"
		touch -d "2021-05-03 02:$(printf %02d $((i % 60))):00 UTC" "$f"
		i=$((i+1))
	done
	touch -d "2021-05-03 01:59:00 UTC" "$T/mnt/Users/Public/Documents/RESTORE-MY-FILES.txt"
	ntfs_umount
	_l=$(losetup -f --show -o 1048576 --sizelimit $((95 * 1024 * 1024)) "$1") || fail "losetup for ntfslabel"
	ntfslabel "$_l" "Windows C" >/dev/null 2>&1 || { losetup -d "$_l"; fail "ntfslabel"; }
	losetup -d "$_l"
	WIN_HOST=$(hivexget "$C/hives/regipy/SYSTEM" '\ControlSet001\Control\ComputerName\ComputerName' ComputerName) ||
		fail "hivexget ComputerName"
}
