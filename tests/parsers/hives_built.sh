#!/bin/sh
# Hives edited here with hivexsh (no hive writer of ours involved): a SOFTWARE
# hive (the corpus has none) gives the OS facts; a SAM whose policy and one
# account's F value are set to known numbers gives them back; a renamed
# SYSTEM hive is recognised by its content; a dirty hive says its logs could
# not be applied (information, not a warning).  Values are read back with hivexget to be sure of the input.
. "$(dirname "$0")/../lib/common.sh"
need_corpus
need hivexsh libhivex-bin
need jq jq
need python3 python3
host() { jq -r --arg k "$2" '.files[0].host[] | select(.key == $k) | .value' "$1"; }

# SOFTWARE, from a small corpus hive with its root emptied
cp "$CORPUS/hives/ez-registry/SAM" base; chmod u+w base
hivexsh -w base <<'H' || fail "hivexsh could not build SOFTWARE"
cd \SAM
del
add Microsoft
cd Microsoft
add Windows NT
cd Windows NT
add CurrentVersion
cd CurrentVersion
setval 6
ProductName
string:Windows Server 2019 Standard
CurrentBuild
string:17763
DisplayVersion
string:1809
EditionID
string:ServerStandard
InstallDate
dword:0x5f5e1000
UBR
dword:0x6b3
cd \Microsoft\Windows NT\CurrentVersion
add Winlogon
cd Winlogon
setval 2
Shell
string:explorer.exe, C:\ProgramData\svc\shell.exe
Userinit
string:C:\Windows\system32\userinit.exe,
cd \Microsoft
add Windows
cd Windows
add CurrentVersion
cd CurrentVersion
add Run
cd Run
setval 2
SecurityHealth
expandstring:%windir%\system32\SecurityHealthSystray.exe
updater
string:C:\Users\Public\updater.exe -k vssadmin delete shadows /all
cd \
add Classes
commit SOFTWARE
H
[ "$(hivexget SOFTWARE 'Microsoft\Windows NT\CurrentVersion' ProductName)" = "Windows Server 2019 Standard" ] ||
	fail "hivexget does not see the built SOFTWARE hive"
shodo parse --json SOFTWARE > sw.json || fail "SOFTWARE: exit $?"
[ "$(jq -r '.files[0].parser' sw.json)" = hive_software ] || fail "SOFTWARE parser: $(jq -c '.files[0]' sw.json)"
[ "$(host sw.json os_product)" = "Windows Server 2019 Standard" ] || fail "os_product"
[ "$(host sw.json os_build)" = 17763 ] || fail "os_build"
[ "$(host sw.json os_display_version)" = 1809 ] || fail "os_display_version"
[ "$(host sw.json os_edition)" = ServerStandard ] || fail "os_edition"
[ "$(host sw.json os_ubr)" = 1715 ] || fail "os_ubr"
[ "$(host sw.json os_install_date)" = 2020-09-13T12:26:40Z ] || fail "os_install_date $(host sw.json os_install_date)"
ok "SOFTWARE, from a small corpus hive with its root emptied"
# autostarts: both Run values, the changed Winlogon Shell, not the default Userinit
[ "$(jq -r '[.files[0].persistence[] | .kind + ":" + .name] | sort | join(",")' sw.json)" = \
	"run_key:SecurityHealth,run_key:updater,winlogon:Shell" ] || fail "autostarts: $(jq -c '.files[0].persistence' sw.json)"
jq -r '.files[0].persistence[] | select(.name == "updater") | .detail' sw.json |
	grep -q 'user-writable folder; delete shadow copies' || fail "updater not flagged"
jq -r '.files[0].persistence[] | select(.name == "SecurityHealth") | .detail' sw.json | grep -q 'user-writable' &&
	fail "SecurityHealth flagged"
# a user's Run keys, with the user taken from the path
mkdir -p Users/bperry; cp "$CORPUS/hives/plaso/regf/NTUSER.DAT" Users/bperry/NTUSER.DAT
shodo parse --json Users/bperry/NTUSER.DAT > nt.json || fail "NTUSER: exit $?"
[ "$(jq -r '[.files[0].persistence[] | .account + ":" + .name] | sort | join(",")' nt.json)" = "bperry:Spotify,bperry:Spotify Web Helper" ] ||
	fail "user Run keys: $(jq -c '.files[0].persistence' nt.json)"

# SAM with a known policy (Domains\Account F) and account (Preston, RID 1000)
cp "$CORPUS/hives/regipy/SAM" sam; chmod u+w sam
F=$(python3 -c "
import struct
b = bytearray(0x70)
struct.pack_into('<q', b, 0x18, -42 * 864000000000)   # max age 42 days
struct.pack_into('<q', b, 0x20, -1 * 864000000000)    # min age 1 day
struct.pack_into('<q', b, 0x30, -30 * 600000000)      # lockout 30 min
struct.pack_into('<q', b, 0x38, -15 * 600000000)      # reset after 15 min
struct.pack_into('<I', b, 0x4C, 1)                    # complexity
struct.pack_into('<HHH', b, 0x50, 8, 24, 5)           # length, history, threshold
print(','.join('%02x' % x for x in b))")
U=$(python3 -c "
import struct
b = bytearray(0x50)
struct.pack_into('<Q', b, 0x08, 132537600000000000)   # last logon 2020-12-30
struct.pack_into('<Q', b, 0x18, 132500000000000000)   # password set
struct.pack_into('<Q', b, 0x28, 132537000000000000)   # last failed logon
struct.pack_into('<I', b, 0x30, 1000)
struct.pack_into('<H', b, 0x38, 0x0001 | 0x0010 | 0x0200)  # disabled, normal, never expires
struct.pack_into('<HH', b, 0x40, 3, 42)               # bad count, logon count
print(','.join('%02x' % x for x in b))")
hivexsh -w sam <<H || fail "hivexsh could not edit SAM"
cd \\SAM\\Domains\\Account
setval 1
F
hex:3:$F
cd \\SAM\\Domains\\Account\\Users\\000003E8
setval 1
F
hex:3:$U
commit SAM
H
shodo parse --json SAM > sam.json || fail "SAM: exit $?"
pol() { jq -r --arg k "$1" '.files[0].policy[] | select(.key == $k) | .value' sam.json; }
[ "$(pol MinimumPasswordLength)/$(pol PasswordHistorySize)/$(pol LockoutBadCount)" = 8/24/5 ] || fail "SAM policy numbers"
[ "$(pol MaximumPasswordAge)/$(pol MinimumPasswordAge)" = 42/1 ] || fail "SAM password ages"
[ "$(pol LockoutDuration)/$(pol ResetLockoutCount)/$(pol PasswordComplexity)" = 30/15/1 ] || fail "SAM lockout times"
acct=$(jq -c '.files[0].accounts[] | select(.name == "Preston") |
	[.rid, .enabled, .logon_count, .bad_password_count, .password_never_expires, .last_logon, .admin]' sam.json)
[ "$acct" = '[1000,0,42,3,1,"2020-12-30T00:00:00Z",1]' ] || fail "Preston: $acct"
ok "SAM with a known policy (DomainsAccount F) and account (Preston, RID 1000)"
# no hash material anywhere in the output
grep -qi '"[0-9a-f]\{32\}"' sam.json && fail "something hash-like in the SAM output"
ok "no hash material anywhere in the output"

# a renamed SYSTEM hive is recognised by its root keys
cp "$CORPUS/hives/przetom/SYSTEM" evidence-0042.bin
shodo parse --json evidence-0042.bin > ren.json || fail "renamed SYSTEM: exit $?"
[ "$(jq -r '.files[0].parser' ren.json)" = hive_system ] || fail "renamed hive: $(jq -r '.files[0].parser' ren.json)"
[ "$(host ren.json computer_name)" = OFIARA ] || fail "renamed hive computer name"
ok "a renamed SYSTEM hive is recognised by its root keys"

# dirty: sequence numbers differ, a .LOG1 sits beside it
cp "$CORPUS/hives/przetom/SYSTEM" SYSTEM; chmod u+w SYSTEM
python3 - <<'P' || fail "could not make the hive dirty"
import struct
b = bytearray(open("SYSTEM", "rb").read())
struct.pack_into("<II", b, 4, 7, 6)                      # primary != secondary
x = 0
for i in range(0, 508, 4):
    x ^= struct.unpack_from("<I", b, i)[0]
struct.pack_into("<I", b, 508, x)                       # base block checksum
open("SYSTEM", "wb").write(b)
P
head -c 8192 SYSTEM > SYSTEM.LOG1
shodo parse --json SYSTEM > dirty.json; rc=$?
# a dirty hive is the normal state of a running system: information, not a warning
[ $rc = 0 ] || fail "dirty hive: exit $rc, want 0"
[ "$(jq -r '.files[0].status' dirty.json)" = ok ] || fail "dirty hive graded $(jq -r '.files[0].status' dirty.json)"
jq -r '.files[0].message' dirty.json | grep -q 'could not be applied (not registry logs): changes of its last minutes of use may be missing' ||
	fail "dirty message: $(jq -r '.files[0].message' dirty.json)"
[ "$(host dirty.json computer_name)" = OFIARA ] || fail "dirty hive lost its values"
ok "built SOFTWARE, edited SAM, renamed and dirty hives"
