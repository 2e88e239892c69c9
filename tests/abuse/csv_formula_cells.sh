#!/bin/sh
# Attack: values from evidence written so that a spreadsheet runs them
# (account names and a ransom note's file name starting with =, +, -, @ or a
# tab).  Every CSV of the triage and of shodo export neutralizes such a cell
# (OWASP: a leading ' inside a quoted cell); triage.db keeps the value as it
# was; plain numbers (-1) stay numbers.  Checked with Python's csv module.
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/imager/lib/imager.sh"
need python3 python3; need sqlite3 sqlite3
MKHIVE=$HELPERS/mkhive; MKSAM=$HELPERS/mksam
[ -x "$MKHIVE" ] && [ -x "$MKSAM" ] || fail "test helpers not built"
ntfs_image "$T/disk.img" 40
C="$T/mnt/Windows/System32/config"
mkdir -p "$C" "$T/mnt/Users/Public"
"$MKSAM" --rev 2 "$T/sys.txt" "$T/sam.txt" Administrator:500:pw:a '=1+2*3:1001:x' '@SUM(A1):1002:x' \
	'+cmd|calc!A0:1003:x' '-2+3:1004:x' >/dev/null || { ntfs_umount; fail mksam; }
(cd "$T" && "$MKHIVE" SYSTEM < sys.txt && "$MKHIVE" SAM < sam.txt) || { ntfs_umount; fail mkhive; }
cp "$T/SYSTEM" "$T/SAM" "$C/"
printf 'All your files have been encrypted!\nTo decrypt your files you must buy our decryptor.\nContact: recover@onionmail.org\nTor: http://decryptxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.onion\nBTC: bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh\nDo not rename encrypted files.\n' \
	> "$T/mnt/Users/Public/=HYPERLINK(1)readme.txt"
printf 'x' > "$T/mnt/Users/Public/$(printf '\t')tab readme.txt" 2>/dev/null
ntfs_umount
src_hash "$T/disk.img"
shodo triage "$T/disk.img" --case "$T/case" --evidence H -q 2>"$T/err"
[ $? -le 1 ] || { cat "$T/err"; fail "triage"; }
shodo export "$T/case" --to csv -q >/dev/null 2>&1 || true
tdir="$T/case/H/triage"
[ -n "$(ls "$tdir"/*.csv 2>/dev/null)" ] || fail "no CSVs"
python3 - "$tdir" "$T/case" <<'PY' || fail "a CSV cell a spreadsheet would run"
import csv, glob, os, re, sys
num = re.compile(r'^-?[0-9]+(\.[0-9]+)?$')
files = glob.glob(os.path.join(sys.argv[1], '*.csv')) + glob.glob(os.path.join(sys.argv[2], 'exports', '**', '*.csv'), recursive=True)
seen = {}
bad = 0
for f in files:
    with open(f, newline='', encoding='utf-8', errors='replace') as fp:
        for row in csv.reader(fp):
            for cell in row:
                if cell[:1] in ('=', '+', '-', '@', '\t', '\r') and not num.match(cell):
                    print('%s: dangerous cell %r' % (os.path.basename(f), cell)); bad += 1
                for v in ('=1+2*3', '@SUM(A1)', '+cmd|calc!A0', '-2+3', '=HYPERLINK(1)readme.txt'):
                    if v in cell:
                        seen[v] = cell
for v in ('=1+2*3', '@SUM(A1)', '+cmd|calc!A0', '-2+3'):
    if v not in seen:
        print('value %r not found in any CSV (test not meaningful)' % v); bad += 1
    elif seen[v] != "'" + v:
        print('value %r written as %r, expected a leading quote' % (v, seen[v])); bad += 1
sys.exit(1 if bad else 0)
PY
# the database keeps the value as read
[ "$(sqlite3 "$tdir/triage.db" "SELECT count(*) FROM accounts WHERE name='=1+2*3'")" = 1 ] || fail "triage.db changed the value"
src_unchanged "$T/disk.img"
ok "CSV cells a spreadsheet would run are neutralized"
