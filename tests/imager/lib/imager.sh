# tests/imager/lib/imager.sh — sourced by tests/imager/*.sh after common.sh.
#   fat_disk FILE BYTES     an MBR disk with one FAT partition at 1 MiB holding
#                           a few files (BYTES need not be a multiple of 32 KiB)
#   e01_check E01 SRC       ewfverify, ewfexport to raw compared with SRC
#   src_hash FILE           sha256 recorded before a run; src_unchanged checks it
need sfdisk fdisk; need mkfs.fat dosfstools; need mcopy mtools
need ewfverify ewf-tools; need fls sleuthkit

fat_disk() {
	rm -f "$1"; truncate -s "$2" "$1"
	printf 'label: dos\nstart=2048, type=c\n' | sfdisk -q "$1" >/dev/null 2>&1 || fail "sfdisk $1"
	psect=$(( $2 / 512 - 2048 ))
	mkfs.fat --offset 2048 -n SHODOTEST "$1" $(( psect / 2 )) >/dev/null 2>&1 || fail "mkfs.fat $1"
	mkdir -p "$T/files"
	seq 1 20000 > "$T/files/numbers.txt"
	head -c 3000000 /dev/urandom > "$T/files/random.bin"
	printf 'YOUR FILES ARE ENCRYPTED\nTo get them back write to back@cock.li with your personal ID 7731AB.\n' > "$T/files/README.TXT"
	mcopy -i "$1@@1M" "$T/files/numbers.txt" "$T/files/random.bin" "$T/files/README.TXT" :: || fail "mcopy"
}

e01_check() {
	ewfverify -q "$1" </dev/null >"$T/ewfverify.out" 2>&1 || { cat "$T/ewfverify.out"; fail "ewfverify $1"; }
	grep -q SUCCESS "$T/ewfverify.out" || fail "ewfverify did not report success for $1"
	rm -f "$T/export.raw"
	timeout 300 ewfexport -u -q -f raw -S 0 -t "$T/export" "$1" </dev/null >/dev/null 2>&1 || fail "ewfexport $1"
	cmp "$T/export.raw" "$2" || fail "ewfexport of $1 differs from $2"
	rm -f "$T/export.raw" "$T/export.raw.info"
}

src_hash() { SRC_SUM=$(sha256sum "$1" | cut -d' ' -f1); }
src_unchanged() { [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$SRC_SUM" ] || fail "the source $1 changed"; }

# json_get FILE FILTER   (jq)
need jq jq
json_get() { jq -r "$2" "$1"; }
