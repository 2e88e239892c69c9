#!/bin/sh
# The audit policy from SECURITY's Policy\PolAdtEv, in both layouts: the
# bytes hivexsh reads from the corpus SECURITY hives (Vista and later) and
# from hives built here (Windows 7, Windows 10 and XP/2003 layouts, auditing
# off, an unknown layout) are decoded by this test on its own and compared
# with shodo's policy rows; the summary says whether logon failures were
# audited, and when they were not, that the absence of 4625 proves nothing.
. "$SHODO_TOP/tests/lib/common.sh"
need hivexsh libhivex-bin
need sqlite3 sqlite3
need python3 python3

# the test's own reading of PolAdtEv bytes (hex from hivexsh): layout, logon, account logon, per category
decode() {
	printf 'cd \\Policy\\PolAdtEv\nlsval\n' | hivexsh "$1" | python3 -c '
import sys
line = [l for l in sys.stdin if l.startswith("\"@\"=")][0]
b = bytes(int(x, 16) for x in line.strip().split(":", 1)[1].split(","))
u16 = lambda o: int.from_bytes(b[o:o + 2], "little")
u32 = lambda o: int.from_bytes(b[o:o + 4], "little")
word = ["none", "success", "failure", "success and failure"]
cats = ["System", "Logon/Logoff", "Object Access", "Privilege Use", "Detailed Tracking", "Policy Change",
        "Account Management", "DS Access", "Account Logon"]
if len(b) >= 12 and u16(8) + 2 * u16(4) == len(b):
    n = [u16(u16(8) + 2 * c) for c in range(u16(4))]
    print("audit_layout=Vista and later (%d categories, %d subcategories)" % (len(n), sum(n)))
    pos = 12
    for c, k in enumerate(n):
        vals = [u16(pos + 2 * i) & 3 for i in range(k)]
        print("audit: %s=%s" % (cats[c], " ".join(map(str, vals))))
        if c == 1: print("audit_logon=" + word[vals[0]])
        if c == 8: print("audit_account_logon=" + word[vals[0]])
        pos += 2 * k
elif len(b) % 4 == 0 and u32(len(b) - 4) in (7, 9):
    n = u32(len(b) - 4)
    print("audit_layout=%s (%d categories)" % ("Windows 2000 to 2003" if n == 9 else "Windows NT 4.0", n))
    print("audit_enabled=%d" % b[0])
    print("audit: categories=" + " ".join(str(u32(4 + 4 * i) & 3) for i in range(n)))
    print("audit_logon=" + word[u32(8) & 3 if b[0] else 0])
    if n == 9: print("audit_account_logon=" + word[u32(36) & 3 if b[0] else 0])
else:
    print("audit_layout=audit policy of an unknown layout (%d bytes)" % len(b))
' | LC_ALL=C sort
}
mine() { sqlite3 "$1" "select key || '=' || value from policy where origin = 'audit'" | LC_ALL=C sort; }

check() { # NAME HIVE
	shodo parse --db "$1.db" "$2" > /dev/null; [ $? -le 1 ] || fail "$1: shodo parse"
	decode "$2" > "$1.peer" || fail "$1: hivexsh"
	mine "$1.db" > "$1.mine"
	diff "$1.peer" "$1.mine" > "$1.diff" || fail "$1: audit policy differs from hivexsh's bytes: $(cat "$1.diff")"
	"$HELPERS/scope_report" "$1.db" "$1" || fail "$1: scope_report"
}

# built: Windows 7 layout, logon success only (the Windows 7 default)
w7=$(python3 -c '
import struct
n = [5, 9, 12, 3, 4, 6, 6, 4, 4]
vals = [1,0,1,0,1] + [1,1,1,0,0,0,1,0,0] + [0]*12 + [0]*3 + [1,0,0,0] + [1,1,0,0,0,0] + [1,0,1,0,0,0] + [0]*4 + [0,0,0,0]
body = struct.pack("<HHHHHH", 0x100, 0, 9, 0, 0x78, 0) + b"".join(struct.pack("<H", v) for v in vals)
body += b"\0" * (0x78 - len(body)) + b"".join(struct.pack("<H", x) for x in n)
print(body.hex())')
w10=$(python3 -c '
import struct
n = [5, 11, 14, 3, 6, 6, 6, 4, 4]
vals = [1]*5 + [3] + [1]*10 + [0]*14 + [0]*3 + [1]*6 + [1]*6 + [1]*6 + [0]*4 + [2,0,0,0]
body = struct.pack("<HHHHHH", 0x100, 0, 9, 0, 0x84, 0) + b"".join(struct.pack("<H", v) for v in vals)
body += b"\0" * (0x84 - len(body)) + b"".join(struct.pack("<H", x) for x in n)
print(body.hex())')
xp=$(python3 -c 'import struct; print((bytes([1, 0, 0, 0]) + struct.pack("<9I", 3, 1, 0, 0, 0, 1, 3, 0, 3) + struct.pack("<I", 9)).hex())')
xpoff=$(python3 -c 'import struct; print((bytes([0, 0, 0, 0]) + struct.pack("<9I", 3, 3, 3, 3, 3, 3, 3, 3, 3) + struct.pack("<I", 9)).hex())')
odd=0102030405060708090a
for v in w7 w10 xp xpoff odd; do
	eval "b=\$$v"
	printf 'R\tROOT\nB\tPolicy\\PolAdtEv\t\t%s\n' "$b" | "$HELPERS/mkhive" "$v.hive" || fail "mkhive $v"
	check "$v" "$v.hive"
done
s() { grep "^$2" "$1/summary.txt"; }
[ "$(s w7 'AUDIT POLICY')" = "AUDIT POLICY: logons audited: success; account logons (credential validation): none  << the absence of 4625 (failed logons) proves nothing" ] ||
	fail "w7: $(s w7 'AUDIT POLICY')"
[ "$(s w7 'FAILED LOGONS')" = "FAILED LOGONS: none (failed logons were not audited: their absence proves nothing)" ] || fail "w7: $(s w7 FAILED)"
[ "$(s w10 'AUDIT POLICY')" = "AUDIT POLICY: logons audited: success and failure; account logons (credential validation): failure" ] ||
	fail "w10: $(s w10 'AUDIT POLICY')"
[ "$(s w10 'FAILED LOGONS')" = "FAILED LOGONS: none" ] || fail "w10: $(s w10 FAILED)"
[ "$(s xp 'AUDIT POLICY')" = "AUDIT POLICY: logons audited: success; account logons (credential validation): success and failure  << the absence of 4625 (failed logons) proves nothing" ] ||
	fail "xp: $(s xp 'AUDIT POLICY')"
[ "$(s xpoff 'AUDIT POLICY')" = "AUDIT POLICY: auditing OFF; logons audited: none; account logons (credential validation): none  << the absence of 4625 (failed logons) proves nothing" ] ||
	fail "xpoff: $(s xpoff 'AUDIT POLICY')"
[ "$(s odd 'AUDIT POLICY')" = "AUDIT POLICY: not read (audit policy of an unknown layout (10 bytes)): whether failed logons were audited is unknown" ] ||
	fail "odd: $(s odd 'AUDIT POLICY')"
ok "built PolAdtEv in the Windows 7, Windows 10 and XP layouts, auditing off, an unknown layout: values as decoded from hivexsh's bytes; the summary says when failed logons were not audited"

if [ ! -d "$CORPUS" ]; then
	skip_part "corpus not found at $CORPUS: real SECURITY hives not checked"
	exit 0
fi
for h in ez-registry regipy; do
	check "c-$h" "$CORPUS/hives/$h/SECURITY"
	echo "$h: $(grep -c . "c-$h.mine") policy rows; $(s "c-$h" 'AUDIT POLICY')"
done
[ "$(s c-regipy 'AUDIT POLICY')" = "AUDIT POLICY: logons audited: success and failure; account logons (credential validation): none" ] ||
	fail "regipy: $(s c-regipy 'AUDIT POLICY')"
ok "corpus SECURITY hives: every audit category as decoded from hivexsh's bytes"
