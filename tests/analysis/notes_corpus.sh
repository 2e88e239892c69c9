#!/bin/sh
# Ransom-note detection against the corpus notes and benign text files of
# this machine: recall >= 0.95 (also with the family-marker points taken
# away, as for families never seen; and on the held-apart quarter of the
# families), false-positive rate <= 0.01, family accuracy >= 0.85 where
# attributed (bench/notes.sh does the measuring; its disk part is the bench's).
. "$SHODO_TOP/tests/lib/common.sh"
need_corpus
[ -d "$CORPUS/ransom_notes" ] || skip "no ransom_notes in the corpus"
need python3 python3
out=$(NOTES_DISK=0 SHODO_CORPUS=$CORPUS sh "$SHODO_TOP/bench/notes.sh" -v) || fail "bench/notes.sh failed"
echo "$out"
recall=$(echo "$out" | sed -n 's/^ransom notes:.*recall \([0-9.]*\).*/\1/p')
fpr=$(echo "$out" | sed -n 's/^benign files:.*false-positive rate \([0-9.]*\).*/\1/p')
acc=$(echo "$out" | sed -n 's/.*accuracy \([0-9.]*\)).*/\1/p')
unseen=$(echo "$out" | sed -n 's/^unseen families:.*recall \([0-9.]*\).*/\1/p')
nb=$(echo "$out" | sed -n 's/^benign files: *[0-9]*\/\([0-9]*\).*/\1/p')
apart=$(echo "$out" | sed -n 's/^  held apart: *[0-9]*\/[0-9]* real names (recall \([0-9.]*\)).*/\1/p')
[ -n "$apart" ] || fail "no held-apart recall"
python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) >= 0.9 else 1)" "$apart" || fail "held-apart recall $apart (>= 0.9)"
[ -n "$recall" ] && [ -n "$fpr" ] && [ -n "$acc" ] && [ -n "$unseen" ] || fail "could not read the measures"
[ "${nb:-0}" -ge 500 ] || fail "only ${nb:-0} benign files gathered; the false-positive rate would mean little"
python3 -c "import sys; r,f,a,u=map(float,sys.argv[1:]); sys.exit(0 if r>=0.95 and f<=0.01 and a>=0.85 and u>=0.95 else 1)" \
	"$recall" "$fpr" "$acc" "$unseen" ||
	fail "recall $recall (>= 0.95), false positives $fpr (<= 0.01), family accuracy $acc (>= 0.85), recall without family markers $unseen (>= 0.95)"
ok "recall $recall ($unseen as unseen families), false-positive rate $fpr on $nb benign files, family accuracy $acc"
