#!/bin/sh
# Posture findings from hives built here (SYSTEM, SOFTWARE, SAM), checked
# value by value against what hivexget and regfexport read from the same
# hives; a hardened host must not get the weak findings; a corrupt SOFTWARE
# hive costs only its own findings.
. "$(dirname "$0")/../lib/common.sh"
need hivexget libhivex-bin
need regfexport libregf-utils
need sqlite3 sqlite3
MKHIVE=$HELPERS/mkhive
MKSAM=$HELPERS/mksam
RUN=$HELPERS/posture_run
[ -x "$MKHIVE" ] && [ -x "$MKSAM" ] && [ -x "$RUN" ] || fail "test helpers not built"
TAB=$(printf '\t')
CS='ControlSet001'

# ---- a weak host ----
"$MKSAM" --rev 2 --member S-1-5-21-10-20-30-512 --member S-1-5-21-10-20-30-513 \
	sys.txt sam.txt Administrator:500:Pw1:a Guest:501:: alice:1001:x:an || fail "mksam"
cat >> sys.txt <<EOF
D${TAB}$CS\\Services\\SharedAccess\\Parameters\\FirewallPolicy\\DomainProfile${TAB}EnableFirewall${TAB}0
D${TAB}$CS\\Services\\SharedAccess\\Parameters\\FirewallPolicy\\StandardProfile${TAB}EnableFirewall${TAB}1
D${TAB}$CS\\Services\\SharedAccess\\Parameters\\FirewallPolicy\\PublicProfile${TAB}EnableFirewall${TAB}1
D${TAB}$CS\\Control\\Terminal Server${TAB}fDenyTSConnections${TAB}0
D${TAB}$CS\\Control\\Terminal Server\\WinStations\\RDP-Tcp${TAB}UserAuthentication${TAB}0
D${TAB}$CS\\Control\\Terminal Server\\WinStations\\RDP-Tcp${TAB}PortNumber${TAB}3390
D${TAB}$CS\\Services\\LanmanServer\\Parameters${TAB}SMB1${TAB}1
D${TAB}$CS\\Services\\mrxsmb10${TAB}Start${TAB}2
D${TAB}$CS\\Services\\WinRM${TAB}Start${TAB}2
D${TAB}$CS\\Services\\RemoteRegistry${TAB}Start${TAB}4
D${TAB}$CS\\Control\\SecurityProviders\\WDigest${TAB}UseLogonCredential${TAB}1
D${TAB}$CS\\Control\\Lsa${TAB}LsaCfgFlags${TAB}0
D${TAB}$CS\\Services\\WinDefend${TAB}Start${TAB}2
D${TAB}$CS\\Services\\wuauserv${TAB}Start${TAB}4
S${TAB}$CS\\Control\\ProductOptions${TAB}ProductType${TAB}ServerNT
S${TAB}$CS\\Services\\SharedAccess\\Parameters\\FirewallPolicy\\FirewallRules${TAB}RemoteDesktop-UserMode-In-TCP${TAB}v2.10|Action=Allow|Active=TRUE|Dir=In|Protocol=6|Profile=Public|LPort=3390|App=%SystemRoot%\\system32\\svchost.exe|Svc=termservice|Name=@FirewallAPI.dll,-28775|
S${TAB}$CS\\Services\\SharedAccess\\Parameters\\FirewallPolicy\\FirewallRules${TAB}admin-rdp${TAB}v2.10|Action=Allow|Active=TRUE|Dir=In|Protocol=6|LPort=3390|RA4=10.1.0.0/255.255.0.0|Name=admin-rdp|
S${TAB}$CS\\Services\\SharedAccess\\Parameters\\FirewallPolicy\\FirewallRules${TAB}old-rdp${TAB}v2.10|Action=Allow|Active=FALSE|Dir=In|Protocol=6|LPort=3390|Name=old|
D${TAB}$CS\\Services\\LanmanServer\\Parameters${TAB}RequireSecuritySignature${TAB}0
EOF
# a CBS package installed 2023-05-10T12:00:00Z = FILETIME 133281360000000000
ft=133281936000000000
cat > soft.txt <<EOF
S${TAB}Microsoft\\Windows NT\\CurrentVersion${TAB}ProductName${TAB}Windows Server 2012 R2 Standard
S${TAB}Microsoft\\Windows NT\\CurrentVersion${TAB}CurrentBuildNumber${TAB}9600
D${TAB}Microsoft\\Windows\\CurrentVersion\\Policies\\System${TAB}EnableLUA${TAB}0
D${TAB}Microsoft\\Windows\\CurrentVersion\\Policies\\System${TAB}ConsentPromptBehaviorAdmin${TAB}0
D${TAB}Microsoft\\Windows\\CurrentVersion\\Policies\\System${TAB}LocalAccountTokenFilterPolicy${TAB}1
D${TAB}Microsoft\\Windows\\CurrentVersion\\Policies\\Explorer${TAB}NoDriveTypeAutoRun${TAB}0x91
S${TAB}Microsoft\\PowerShell\\1\\PowerShellEngine${TAB}PowerShellVersion${TAB}2.0
D${TAB}Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\Packages\\Package_for_KB5000001~31bf3856ad364e35~amd64~~6.3.1.0${TAB}InstallTimeHigh${TAB}$((ft >> 32))
D${TAB}Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\Packages\\Package_for_KB5000001~31bf3856ad364e35~amd64~~6.3.1.0${TAB}InstallTimeLow${TAB}$((ft & 0xFFFFFFFF))
D${TAB}Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\Packages\\Package_old${TAB}InstallTimeHigh${TAB}$(((ft - 864000000000000) >> 32))
D${TAB}Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\Packages\\Package_old${TAB}InstallTimeLow${TAB}$(((ft - 864000000000000) & 0xFFFFFFFF))
D${TAB}Policies\\Microsoft\\Windows\\WindowsUpdate\\AU${TAB}NoAutoUpdate${TAB}1
D${TAB}Policies\\Microsoft\\Windows Defender${TAB}DisableAntiSpyware${TAB}1
D${TAB}Policies\\Microsoft\\WindowsFirewall\\PublicProfile${TAB}EnableFirewall${TAB}0
S${TAB}Microsoft\\Windows\\CurrentVersion\\Uninstall\\{1111}${TAB}DisplayName${TAB}Notepad++ (64-bit x64)
S${TAB}Microsoft\\Windows NT\\CurrentVersion\\Winlogon${TAB}AutoAdminLogon${TAB}1
S${TAB}Microsoft\\Windows NT\\CurrentVersion\\Winlogon${TAB}DefaultUserName${TAB}kiosk
S${TAB}Microsoft\\Windows NT\\CurrentVersion\\Winlogon${TAB}DefaultPassword${TAB}Sup3rS3cret!
S${TAB}Microsoft\\Windows NT\\CurrentVersion\\Winlogon${TAB}CachedLogonsCount${TAB}25
D${TAB}Microsoft\\Windows Defender\\Exclusions\\Paths${TAB}C:\\${TAB}0
D${TAB}Microsoft\\Windows Defender\\Exclusions\\Paths${TAB}D:\\SQLData${TAB}0
D${TAB}Microsoft\\Windows Defender\\Exclusions\\Extensions${TAB}ldf${TAB}0
EOF
# SECURITY: primary domain CORP, S-1-5-21-10-20-30 (UNICODE_STRING header + name; binary SID)
printf 'B\tPolicy\\PolPrDmN\t\t08000a000800000043004f00520050000000\n' > sec.txt
printf 'B\tPolicy\\PolPrDmS\t\t0104000000000005150000000a000000140000001e000000\n' >> sec.txt
"$MKHIVE" SYSTEM < sys.txt && "$MKHIVE" SOFTWARE < soft.txt && "$MKHIVE" SAM < sam.txt && "$MKHIVE" SECURITY < sec.txt ||
	fail "mkhive"
for h in SYSTEM SOFTWARE SAM; do regfexport "$h" > "$h.export" 2>&1 || fail "regfexport cannot read generated $h"; done

# the events and SYSVOL policy rows the parsers would have stored
mkdir -p case/weak/triage
sqlite3 case/weak/triage/triage.db <<'EOF' || fail "sqlite3"
CREATE TABLE events(time TEXT, category TEXT, event_id INTEGER, provider TEXT, channel TEXT, computer TEXT,
 user TEXT, target TEXT, detail TEXT, source TEXT, record INTEGER);
INSERT INTO events VALUES('2023-06-01T03:04:05Z','defender',5001,'Microsoft-Windows-Windows Defender',
 'Microsoft-Windows-Windows Defender/Operational','PC1',NULL,NULL,NULL,'weak/triage/files/p1/Defender.evtx',77);
INSERT INTO events VALUES('2023-06-01T03:03:00Z','defender',5007,'Microsoft-Windows-Windows Defender',
 'Microsoft-Windows-Windows Defender/Operational','PC1',NULL,NULL,
 'New Value: HKLM\SOFTWARE\Microsoft\Windows Defender\Exclusions\Paths\C:\ = 0x0','weak/triage/files/p1/Defender.evtx',76);
INSERT INTO events VALUES('2023-06-01T03:03:30Z','defender',5007,'Microsoft-Windows-Windows Defender',
 'Microsoft-Windows-Windows Defender/Operational','PC1',NULL,NULL,'New Value: SignatureUpdateInterval = 0x8',
 'weak/triage/files/p1/Defender.evtx',75);
CREATE TABLE policy(volume TEXT, origin TEXT, key TEXT, value TEXT, source TEXT);
INSERT INTO policy VALUES('p1','gpttmpl','System Access/LockoutBadCount','0','weak/triage/files/p1/GptTmpl.inf');
INSERT INTO policy VALUES('p1','sam','MinimumPasswordLength','0','weak/triage/files/p1/SAM');
EOF
chmod 700 case
W=Windows/System32/config
"$RUN" --until 2023-06-02T00:00:00Z case weak "registry:p1:$W/SYSTEM=$T/SYSTEM" "registry:p1:$W/SOFTWARE=$T/SOFTWARE" \
	"registry:p1:$W/SAM=$T/SAM" "registry:p1:$W/SECURITY=$T/SECURITY" 2> run.log || { cat run.log; fail "posture_run failed"; }
P=case/weak/triage/posture.csv
[ -s "$P" ] || fail "no posture.csv"
sqlite3 case/weak/triage/triage.db "SELECT count(*) FROM posture" | grep -qx "$(($(wc -l < "$P") - 1))" ||
	fail "posture.csv and the posture table differ"

# row SEVERITY AREA FINDING-SUBSTRING: the matching row must exist; prints it
row() {
	r=$(grep -F "$3" "$P" | grep "^$1,$2,") || { cat "$P" >&2; fail "no $1 $2 finding '$3'"; }
	printf '%s\n' "$r"
}
ok "posture.csv and the posture table agree"
# dword HIVE KEY NAME SEVERITY AREA FINDING: the value hivexget reads must be
# the one named in the finding's evidence
dword() {
	v=$(hivexget "$1" "$2" "$3") || fail "hivexget $1 '$2' $3"
	r=$(row "$4" "$5" "$6")
	printf '%s\n' "$r" | grep -qF "$2\\$3 = $((v))" || fail "evidence for '$6' does not show $2\\$3 = $((v)) (hivexget): $r"
}
dword SYSTEM "$CS\\Services\\SharedAccess\\Parameters\\FirewallPolicy\\DomainProfile" EnableFirewall high firewall "firewall domain profile off"
dword SYSTEM "$CS\\Services\\SharedAccess\\Parameters\\FirewallPolicy\\StandardProfile" EnableFirewall info firewall "firewall private profile on"
dword SOFTWARE "Policies\\Microsoft\\WindowsFirewall\\PublicProfile" EnableFirewall high firewall "firewall public profile off (group policy)"
dword SYSTEM "$CS\\Control\\Terminal Server" fDenyTSConnections high "remote access" "RDP enabled without Network Level Authentication"
dword SYSTEM "$CS\\Control\\Terminal Server\\WinStations\\RDP-Tcp" UserAuthentication high "remote access" "RDP Network Level Authentication not required"
dword SYSTEM "$CS\\Control\\Terminal Server\\WinStations\\RDP-Tcp" PortNumber info "remote access" "RDP port (non-standard)"
dword SYSTEM "$CS\\Services\\LanmanServer\\Parameters" SMB1 high smb "SMBv1 server enabled"
dword SYSTEM "$CS\\Services\\mrxsmb10" Start medium smb "SMBv1 client enabled"
dword SYSTEM "$CS\\Services\\WinRM" Start medium "remote access" "WinRM (remote PowerShell) service start type automatic"
dword SYSTEM "$CS\\Services\\RemoteRegistry" Start info "remote access" "Remote Registry service start type disabled"
dword SYSTEM "$CS\\Control\\SecurityProviders\\WDigest" UseLogonCredential high credentials "WDigest keeps cleartext passwords"
dword SYSTEM "$CS\\Control\\Lsa" LsaCfgFlags low credentials "Credential Guard not configured"
dword SOFTWARE "Microsoft\\Windows\\CurrentVersion\\Policies\\System" EnableLUA high uac "UAC disabled"
dword SOFTWARE "Microsoft\\Windows\\CurrentVersion\\Policies\\System" ConsentPromptBehaviorAdmin medium uac "elevate without prompting"
dword SOFTWARE "Microsoft\\Windows\\CurrentVersion\\Policies\\System" LocalAccountTokenFilterPolicy high uac "remote UAC filtering off"
dword SOFTWARE "Microsoft\\Windows\\CurrentVersion\\Policies\\Explorer" NoDriveTypeAutoRun low autorun "AutoRun enabled for: removable, fixed, CD-ROM, RAM disk"
dword SOFTWARE "Policies\\Microsoft\\Windows\\WindowsUpdate\\AU" NoAutoUpdate high updates "automatic updates disabled by policy"
dword SYSTEM "$CS\\Services\\wuauserv" Start high updates "Windows Update service (wuauserv) disabled"
dword SOFTWARE "Policies\\Microsoft\\Windows Defender" DisableAntiSpyware high antivirus "Defender turned off by policy"
row medium credentials "LSA protection (RunAsPPL) off" | grep -qF 'RunAsPPL absent' || fail "RunAsPPL evidence"
row low scripting "Windows Script Host enabled (Windows default)" >/dev/null
v=$(hivexget SOFTWARE 'Microsoft\PowerShell\1\PowerShellEngine' PowerShellVersion)
row medium scripting "PowerShell 2.0 engine present" | grep -qF "PowerShellVersion = $v" || fail "PowerShell evidence"
row high updates "operating system out of support" | grep -qF "build 9600" || fail "OS build"
ok "the weak host's findings, each with the value hivexget reads"
# the newest CBS package, 2023-05-10T12:00:00Z, is 22 days before --until
row info updates "last update installed 22 days before" | grep -qF "2023-05-10T12:00:00" || fail "last update time"
row high antivirus "no active antivirus found" >/dev/null
row high antivirus "Defender real-time protection turned off" | grep -qF "event 5001 record 77" || fail "event 5001 evidence"
row high antivirus "Defender protection settings or exclusions changed" | grep -qF ',2023-06-01T03:03:00Z,event 5007 record 76' ||
	fail "event 5007 (exclusion added)"
[ "$(grep -c 'event 5007' "$P")" = 1 ] || fail "an unrelated 5007 settings change was reported"
r=$(row high "remote access" "RDP allowed through the firewall from any address")
printf '%s\n' "$r" | grep -q ',RemoteDesktop-UserMode-In-TCP (Public),' || fail "open RDP rule: $r"
printf '%s\n' "$r" | grep -q '1 active inbound allow rule(s) for port 3390' || fail "RDP rule count: $r"
hivexget SYSTEM "$CS\\Services\\SharedAccess\\Parameters\\FirewallPolicy\\FirewallRules" RemoteDesktop-UserMode-In-TCP |
	grep -q 'LPort=3390' || fail "hivexget does not read the rule"
grep -q 'old-rdp' "$P" && fail "an inactive rule was counted"
row info host "role" | grep -qF "ProductType = ServerNT" || fail "role"
dword SYSTEM "$CS\\Services\\LanmanServer\\Parameters" RequireSecuritySignature medium smb "SMB signing not required"
row high credentials "automatic logon with a cleartext password" | grep -q ',kiosk,' || fail "autologon"
grep -rq 'Sup3rS3cret' case && fail "the autologon password was copied into the case folder"
row low credentials "cached domain logons" | grep -q ',25,' || fail "cached logons"
row high antivirus "Defender path exclusions cover places" | grep -qF 'C:\; D:\SQLData' || fail "path exclusions"
row low antivirus "Defender extension exclusions" | grep -qF ',ldf,' || fail "extension exclusions"
row medium accounts "no LAPS" >/dev/null
row high "password policy" "domain account lockout off" | grep -qF "LockoutBadCount = 0" || fail "GptTmpl lockout"
grep -q 'domain password policy' "$P" && fail "the SAM's local policy row was taken for the domain policy"
ok "the newest CBS package, 2023-05-10T12:00:00Z, is 22 days before --until"

# accounts, against regfexport's bytes of the SAM
grep -q '^info,accounts,local Administrators members' "$P" && fail "Domain Users in Administrators must be high"
row high accounts "local Administrators includes a broad group" |
	grep -qF '"Administrator (local), alice (local), CORP\Domain Admins, CORP\Domain Users"' ||
	fail "Administrators members"
row medium accounts "built-in Administrator account enabled" >/dev/null
row high accounts "built-in Guest account enabled" >/dev/null
row low accounts "password never expires" | grep -qF ',alice,' || fail "never expires"
row high accounts "enabled accounts with a blank password" | grep -qF ',Guest,' || fail "blank Guest password"
ok "accounts, against regfexport's bytes of the SAM"
# MinPasswordLength (u16 at 0x50) and LockoutThreshold (0x54) as regfexport shows them
f=$(awk '/Users/{exit} /^Data:/{d=1;next} d&&/^0000005/{print; exit}' SAM.export)
[ -n "$f" ] || fail "regfexport shows no SAM Account F"
set -- $f
minlen=$((0x$3$2)); lockout=$((0x$7$6))
[ "$minlen" = 0 ] && [ "$lockout" = 0 ] || fail "generated SAM F policy bytes unexpected ($minlen, $lockout)"
row high "password policy" "local password policy: no minimum password length" | grep -qF "MinPasswordLength = $minlen" || fail "minlen"
row high "password policy" "local account lockout off" | grep -qF "LockoutThreshold = $lockout" || fail "lockout"
ok "weak host: $(($(wc -l < "$P") - 1)) findings match hivexget/regfexport"

# ---- a hardened host: the weak findings must be absent ----
"$MKSAM" --rev 2 --minlen 14 --lockout 5 sys2.txt sam2.txt Administrator:500:LongUnique1:ad Guest:501::d \
	admin2:1001:Other2:a || fail "mksam"
cat >> sys2.txt <<EOF
D${TAB}$CS\\Services\\SharedAccess\\Parameters\\FirewallPolicy\\DomainProfile${TAB}EnableFirewall${TAB}1
D${TAB}$CS\\Services\\SharedAccess\\Parameters\\FirewallPolicy\\StandardProfile${TAB}EnableFirewall${TAB}1
D${TAB}$CS\\Services\\SharedAccess\\Parameters\\FirewallPolicy\\PublicProfile${TAB}EnableFirewall${TAB}1
D${TAB}$CS\\Control\\Terminal Server${TAB}fDenyTSConnections${TAB}1
D${TAB}$CS\\Services\\LanmanServer\\Parameters${TAB}SMB1${TAB}0
K${TAB}$CS\\Services\\srv2
K${TAB}$CS\\Services\\mrxsmb20
D${TAB}$CS\\Control\\Lsa${TAB}RunAsPPL${TAB}1
D${TAB}$CS\\Control\\Lsa${TAB}LsaCfgFlags${TAB}1
D${TAB}$CS\\Services\\WinDefend${TAB}Start${TAB}2
D${TAB}$CS\\Services\\LanmanServer\\Parameters${TAB}RequireSecuritySignature${TAB}1
EOF
cat > soft2.txt <<EOF
S${TAB}Microsoft\\Windows NT\\CurrentVersion${TAB}ProductName${TAB}Windows 10 Enterprise
S${TAB}Microsoft\\Windows NT\\CurrentVersion${TAB}CurrentBuildNumber${TAB}19045
D${TAB}Microsoft\\Windows NT\\CurrentVersion${TAB}UBR${TAB}3803
D${TAB}Microsoft\\Windows\\CurrentVersion\\Policies\\System${TAB}EnableLUA${TAB}1
D${TAB}Microsoft\\Windows\\CurrentVersion\\Policies\\System${TAB}ConsentPromptBehaviorAdmin${TAB}5
D${TAB}Microsoft\\Windows\\CurrentVersion\\Policies\\System${TAB}FilterAdministratorToken${TAB}1
D${TAB}Microsoft\\Windows\\CurrentVersion\\Policies\\Explorer${TAB}NoDriveTypeAutoRun${TAB}255
D${TAB}Microsoft\\Windows Script Host\\Settings${TAB}Enabled${TAB}0
S${TAB}Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update\\Results\\Install${TAB}LastSuccessTime${TAB}2023-05-30 08:00:00
S${TAB}WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\{2222}${TAB}DisplayName${TAB}Sophos Endpoint Agent
D${TAB}Policies\\Microsoft Services\\AdmPwd${TAB}AdmPwdEnabled${TAB}1
EOF
"$MKHIVE" SYSTEM2 < sys2.txt && "$MKHIVE" SOFTWARE2 < soft2.txt && "$MKHIVE" SAM2 < sam2.txt || fail "mkhive"
# the weak SYSTEM also lies in Windows.old: the live installation's hive must win
"$RUN" --until 2023-06-02T00:00:00Z case hard "registry:p1:Windows.old/$W/SYSTEM=$T/SYSTEM" "registry:p1:$W/SYSTEM=$T/SYSTEM2" \
	"registry:p1:$W/SOFTWARE=$T/SOFTWARE2" "registry:p1:$W/SAM=$T/SAM2" 2> run2.log || { cat run2.log; fail "posture_run (hardened)"; }
P=case/hard/triage/posture.csv
bad=$(grep -E '^high,' "$P") && { echo "$bad"; fail "hardened host has high findings"; }
for f in "firewall domain profile on" "firewall public profile on" "RDP disabled" "SMBv1 server disabled" \
	"SMBv1 client not installed" "LSA protection (RunAsPPL) on" "Credential Guard configured" "UAC enabled" \
	"AutoRun disabled on all drives" "Windows Script Host disabled" "security product installed: Sophos" \
	"built-in Administrator account disabled" "last update installed 2 days before" \
	"local administrator password managed (LAPS)" "SMB signing required"; do
	row info '[a-z ]*' "$f" >/dev/null
done
row info "password policy" "local account lockout threshold" | grep -q ',5,' || fail "lockout 5"
row info "password policy" "local password policy: minimum length" | grep -q ',14,' || fail "minlen 14"
grep -q 'Windows 10 Enterprise build 19045.3803' "$P" || fail "OS version with UBR"
ok "hardened host: no high findings, the good settings are reported as such"

# ---- a corrupt SOFTWARE hive: warning, SYSTEM/SAM findings remain ----
head -c 8192 /dev/urandom > SOFTWARE.bad
"$RUN" case bad "registry:p1:$W/SYSTEM=$T/SYSTEM" "registry:p1:$W/SOFTWARE=$T/SOFTWARE.bad" \
	"registry:p1:$W/SAM=$T/SAM" 2> run3.log
rc=$?
[ $rc -eq 0 ] || { cat run3.log; fail "corrupt SOFTWARE hive: expected exit 0 (graded by the parsers), got $rc"; }
grep -q "SOFTWARE hive: not a readable registry hive" run3.log || fail "no warning for the corrupt hive"
grep -q '^high,firewall,firewall domain profile off' case/bad/triage/posture.csv || fail "SYSTEM findings lost"
grep -q '^high,smb,' case/bad/triage/posture.csv || fail "SMB findings lost"
grep -q ',uac,' case/bad/triage/posture.csv && fail "UAC findings from an unreadable SOFTWARE hive"
grep -q '^info,coverage,"SOFTWARE hive unreadable: no findings on UAC' case/bad/triage/posture.csv ||
	fail "no coverage note for the unreadable SOFTWARE hive"
grep -q ',coverage,' case/weak/triage/posture.csv && fail "coverage note although every hive was read"
ok "corrupt SOFTWARE hive: warning, other findings kept"

# SMBv1 server turned off by disabling its driver (srv), not by the SMB1 value
printf 'D\tSelect\tCurrent\t1\nK\tControlSet001\\Services\\LanmanServer\\Parameters\nD\tControlSet001\\Services\\srv\tStart\t4\n' |
	"$MKHIVE" SYSTEM3 || fail mkhive
[ "$(hivexget SYSTEM3 'ControlSet001\Services\srv' Start)" = 4 ] || fail "hivexget SYSTEM3"
"$RUN" case srvoff "registry:p1:$W/SYSTEM=$T/SYSTEM3" 2>/dev/null || fail "posture_run srvoff"
grep -q '^info,smb,SMBv1 server driver (srv) disabled,off,.*srv\\Start = 4' case/srvoff/triage/posture.csv ||
	{ cat case/srvoff/triage/posture.csv; fail "srv driver disabled not recognised"; }
ok "SMBv1 server turned off by disabling its driver (srv), not by the SMB1 value"
exit 0
