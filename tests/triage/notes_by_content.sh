#!/bin/sh
# Ransom notes are found by their content wherever they lie, not by their
# name: on an NTFS disk (mkntfs + ntfs-3g) each note is placed once, under a
# note name without a keyword (!_WHY_FILES_ARE_ENCRYPTED_!.txt, note.txt,
# $Risen_Note.txt, UNLOCK_FILES.<hex>.HTML, ...) or a random one
# (JX34qQm7.txt), beside 130 benign README.txt (Program Files, ProgramData,
# users' folders: more than any per-name cap) and 20 benign note.txt.  Every
# note is collected and detected, with the contacts it holds; no benign file
# is.  Three .akira files beside an akira note are encryption with the
# note's family.  The extracted copies equal icat's bytes; shodo parse
# recognises a note without --category.
. "$SHODO_TOP/tests/lib/common.sh"
. "$SHODO_TOP/tests/analysis/benign-files"
need fls sleuthkit; need icat sleuthkit; need sqlite3 sqlite3; need jq jq; need python3 python3
need_corpus
akira="$CORPUS/ransom_notes/akira/akira_readme.txt"
[ -f "$akira" ] || skip "no akira note in the corpus"

nb=$(benign_files ben 170)
[ "$nb" -ge 150 ] || skip "only $nb benign text files on this machine"

# contacts as validated formats: an onion v3 address (checksum) and a Tox ID
# (checksum), made here
eval "$(python3 - <<'PY'
import base64, hashlib, os
pk = hashlib.sha256(b"shodo test onion").digest()
ck = hashlib.sha3_256(b".onion checksum" + pk + b"\x03").digest()[:2]
print("ONION=%s.onion" % base64.b32encode(pk + ck + b"\x03").decode().lower())
tox = hashlib.sha256(b"shodo test tox").digest() + b"\x01\x02\x03\x04"
c = [0, 0]
for i, b in enumerate(tox):
    c[i % 2] ^= b
print("TOX=%s" % (tox + bytes(c)).hex().upper())
PY
)"
[ ${#TOX} -eq 76 ] || fail "tox id"

ntfs_image disk.raw 96
m=$T/mnt
mkdir -p "$m/Windows/System32/config" "$m/Users/alice/Documents/Projects" "$m/Users/alice/Downloads" \
	"$m/Users/bob/Desktop" "$m/Users/bob/Documents" "$m/Users/Public/Desktop" "$m/ProgramData" "$m/Shares/Finance"
# benign: 130 README.txt and 20 note.txt with the contents of licences and READMEs
i=0
find ben -type f | sort | while IFS= read -r f; do
	i=$((i + 1))
	case $((i % 5)) in
	0) d="Program Files/App$i" ;; 1) d="Program Files (x86)/Vendor$i/Tool" ;; 2) d="ProgramData/Pkg$i" ;;
	3) d="Users/alice/Documents/src$i" ;; 4) d="Users/Public/Documents/kit$i" ;;
	esac
	mkdir -p "$m/$d"
	if [ $i -le 130 ]; then cp "$f" "$m/$d/README.txt"
	elif [ $i -le 150 ]; then cp "$f" "$m/$d/note.txt"
	else cp "$f" "$m/$d/$(basename "$f")"; fi
	[ $i -le 150 ] && printf '%s\n' "$d/$([ $i -le 130 ] && echo README.txt || echo note.txt)" >> benign.list
done
[ "$(wc -l < benign.list)" -eq 150 ] || fail "benign files placed: $(wc -l < benign.list)"

# the notes (written here; none is a copy of a public note)
note() { printf '%s\n' "$1" >> notes.list; mkdir -p "$m/$(dirname "$1")"; cat > "$m/$1"; }
note 'Users/alice/Documents/Projects/!_WHY_FILES_ARE_ENCRYPTED_!.txt' <<EOF
Your network was penetrated. All files on your servers and workstations were encrypted
and 180 GB of your data were downloaded. To get your files back and keep the data from
being published on our blog, contact us: whyfiles@onionmail.org
Do not rename the encrypted files and do not try third-party recovery software.
EOF
note 'Users/Public/Desktop/!_WHATS_HAPPENED_!.txt' <<EOF
WHAT HAPPENED?
Your important files have been locked with strong encryption. Without our private key
nobody can return your data. Price of the decryptor: 2 BTC, it doubles after 72 hours.
Write to: happened@cock.li and send 2 test files for free decryption.
EOF
note 'READ_THIS_ONE_FIRST.txt' <<EOF
Hello. We have encrypted your company's files and stolen your documents.
Install Tor Browser and open http://$ONION/ to chat with us. Your personal ID: 8f2c11a9.
If you do not contact us within 3 days we will leak everything.
EOF
note 'Users/bob/Desktop/note.txt' <<EOF
ATTENTION! All your files were encrypted. Do not turn off the computer.
To restore your data write to restore4u@tutanota.com with your ID 55-AB-91 in the subject.
We can decrypt one file for free as a proof. Do not contact the police.
EOF
note 'ProgramData/$Risen_Note.txt' <<EOF
Risen Ransomware
Your files are encrypted and your data is in our hands. Contact us on qTox: $TOX
Any attempt to recover the files yourself will damage them permanently.
EOF
note 'Shares/Finance/UNLOCK_FILES.4f2a9c.HTML' <<EOF
<html><head><style>body{font-family:Arial;background:#000;color:#fff}</style></head><body>
<h1>YOUR FILES ARE ENCRYPTED</h1><p>All documents, photos and databases on this network were
encrypted. To buy the decryption key write to <a href="mailto:unlockfiles@proton.me">unlockfiles@proton.me</a>.</p>
<p>Your key: 4F2A9C. Do not modify the files, or they will be lost forever.</p></body></html>
EOF
note 'Users/alice/Downloads/JX34qQm7.txt' <<EOF
your files have been encrypted, we have a copy of your data.
contact: $TOX (Tox) or jx34@onionmail.org. pay and get the decryptor, or your data is published.
EOF
note 'Users/Public/Desktop/README.txt' <<EOF
All your files have been encrypted by us. Your data was downloaded and will be published
if you do not pay. Open Tor Browser: http://$ONION  Your ID: 7731AB
Do not rename files, do not use recovery tools.
EOF
# an akira note with three .akira files beside it
cp "$akira" "$m/Users/bob/Documents/akira_readme.txt"; printf '%s\n' Users/bob/Documents/akira_readme.txt >> notes.list
for f in report.docx budget.xlsx photo.jpg; do head -c 3000 /dev/urandom > "$m/Users/bob/Documents/$f.akira"; done
ntfs_umount
before=$(sha256 disk.raw)

shodo triage disk.raw --case case --evidence N --json > res.json; rc=$?
[ $rc -le 1 ] || fail "triage exited $rc"
db=case/N/triage/triage.db
q() { sqlite3 "$db" "$1"; }

# every note collected and detected, nothing benign
q "select path from ransom_notes order by path" > got
sort notes.list > want
diff want got > d.txt || { cat d.txt; fail "notes found differ (< placed, > reported)"; }
q "select path from files where category = 'ransom_note'" | sort > gotf
diff want gotf > d.txt || { cat d.txt; fail "files table: note copies differ"; }
while IFS= read -r b; do
	grep -qxF "$b" got gotf && fail "benign '$b' taken for a ransom note"
done < benign.list
# the 130 README.txt were all read by content (the log counts the candidates)
cands=$(sed -n 's/.*: \([0-9]*\) ransom-note candidates read.*/\1/p' case/N/triage/triage.log)
[ "${cands:-0}" -ge 159 ] || fail "only ${cands:-0} candidates read (130 README.txt + 20 note.txt + 9 notes)"

# contacts, value by value
v() { q "select coalesce($1,'') from ransom_notes where path = '$2'"; }
[ "$(v emails 'Users/alice/Documents/Projects/!_WHY_FILES_ARE_ENCRYPTED_!.txt')" = whyfiles@onionmail.org ] || fail "e-mail 1"
[ "$(v emails 'Users/Public/Desktop/!_WHATS_HAPPENED_!.txt')" = happened@cock.li ] || fail "e-mail 2"
[ "$(v onions READ_THIS_ONE_FIRST.txt)" = "$ONION" ] || fail "onion: $(v onions READ_THIS_ONE_FIRST.txt)"
[ "$(v emails Users/bob/Desktop/note.txt)" = restore4u@tutanota.com ] || fail "e-mail note.txt"
[ "$(v tox 'ProgramData/$Risen_Note.txt')" = "$TOX" ] || fail "tox: $(v tox 'ProgramData/$Risen_Note.txt')"
[ "$(v emails Shares/Finance/UNLOCK_FILES.4f2a9c.HTML)" = unlockfiles@proton.me ] || fail "e-mail in HTML"
[ "$(v tox Users/alice/Downloads/JX34qQm7.txt)" = "$TOX" ] || fail "tox in the random-named note"
[ "$(v emails Users/alice/Downloads/JX34qQm7.txt)" = jx34@onionmail.org ] || fail "e-mail in the random-named note"
[ "$(v onions Users/Public/Desktop/README.txt)" = "$ONION" ] || fail "onion in README.txt"
[ "$(v family Users/bob/Documents/akira_readme.txt)" = akira ] || fail "akira family: $(v family Users/bob/Documents/akira_readme.txt)"

# the extracted copies are the bytes on the disk (icat by the manifest's inode)
jq -r 'select(.category == "ransom_note") | [.path, .inode, .extracted] | @tsv' case/N/triage/manifest.jsonl > lines
[ "$(wc -l < lines)" -eq 9 ] || fail "manifest: $(wc -l < lines) notes"
while IFS="$(printf '\t')" read -r p ino ext; do
	[ "$(icat -o 2048 disk.raw "$ino" | sha256sum | cut -d' ' -f1)" = "$(sha256 "case/$ext")" ] || fail "$p differs from icat"
done < lines

# three .akira files beside an akira note: encryption, with the note's family
[ "$(q "select extension || ' ' || count || ' ' || coalesce(family,'') from encrypted_extensions")" = ".akira 3 akira" ] ||
	fail "encryption: $(q "select * from encrypted_extensions")"
grep -q "akira: 3 files (family akira" case/N/triage/summary.txt || fail "summary: $(grep -A3 ENCRYPTION case/N/triage/summary.txt)"

# shodo parse: a note without --category
ext=$(jq -r 'select(.path == "Users/alice/Downloads/JX34qQm7.txt") | .extracted' case/N/triage/manifest.jsonl)
cp "case/$ext" JX34qQm7.txt
shodo parse JX34qQm7.txt > parse.txt 2>&1
grep -q "ok (ransom_note)" parse.txt || fail "shodo parse: $(cat parse.txt)"
shodo parse "$(find ben -name 'GPL-3' | head -1)" > parse2.txt 2>&1
grep -q "ransom_note" parse2.txt && fail "shodo parse calls a licence a ransom note"

(cd case && sha256sum -c --quiet SHA256SUMS) || fail "SHA256SUMS"
[ "$(sha256 disk.raw)" = "$before" ] || fail "source image changed"
ok "9 notes found by content among 150 same-named benign files; contacts, family, encryption and icat agree"
