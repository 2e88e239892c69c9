#!/bin/sh
# SYSVOL security templates: a GptTmpl.inf written here (UTF-16LE with BOM
# as Windows writes it, and a UTF-8 copy) gives the password and lockout
# policy under the same keys as the SAM's, the other sections prefixed;
# a file that is no template fails.
. "$(dirname "$0")/../lib/common.sh"
need jq jq
need iconv libc-bin
cat > tmpl.txt <<'I'
[Unicode]
Unicode=yes
[System Access]
MinimumPasswordAge = 1
MaximumPasswordAge = 42
MinimumPasswordLength = 0
PasswordComplexity = 0
PasswordHistorySize = 24
LockoutBadCount = 0
ResetLockoutCount = 30
LockoutDuration = 30
ClearTextPassword = 0
NewAdministratorName = "Admin X"
[Kerberos Policy]
MaxTicketAge = 10
[Event Audit]
AuditLogonEvents = 0
[Privilege Rights]
SeRemoteInteractiveLogonRight = *S-1-5-32-544,*S-1-5-32-555
[Version]
signature="$CHICAGO$"
Revision=1
I
mkdir -p wide utf8
sed 's/$/\r/' tmpl.txt | iconv -f UTF-8 -t UTF-16LE | { printf '\377\376'; cat; } > wide/GptTmpl.inf
cp tmpl.txt utf8/GptTmpl.inf
for f in wide/GptTmpl.inf utf8/GptTmpl.inf; do
	shodo parse --json "$f" > out.json || fail "shodo parse $f exited $?"
	p() { jq -r --arg k "$1" '.files[0].policy[] | select(.key == $k) | .value' out.json; }
	[ "$(jq -r '.files[0].parser' out.json)" = gpttmpl ] || fail "$f: parser $(jq -r '.files[0].parser' out.json)"
	[ "$(jq -r '[.files[0].policy[].origin] | unique | join(",")' out.json)" = gpttmpl ] || fail "$f: origin"
	[ "$(p MinimumPasswordLength)" = 0 ] || fail "$f: MinimumPasswordLength '$(p MinimumPasswordLength)'"
	[ "$(p LockoutBadCount)" = 0 ] || fail "$f: LockoutBadCount"
	[ "$(p PasswordHistorySize)" = 24 ] || fail "$f: PasswordHistorySize"
	[ "$(p MaximumPasswordAge)" = 42 ] || fail "$f: MaximumPasswordAge"
	[ "$(p LockoutDuration)" = 30 ] || fail "$f: LockoutDuration"
	[ "$(p NewAdministratorName)" = "Admin X" ] || fail "$f: quoted value"
	[ "$(p KerberosPolicy.MaxTicketAge)" = 10 ] || fail "$f: Kerberos section"
	[ "$(p EventAudit.AuditLogonEvents)" = 0 ] || fail "$f: Event Audit section"
	[ "$(p PrivilegeRights.SeRemoteInteractiveLogonRight)" = "*S-1-5-32-544,*S-1-5-32-555" ] || fail "$f: privilege rights"
	[ -z "$(p signature)" ] || fail "$f: [Version] stored"
done
head -c 3000 /dev/zero | tr '\0' '\377' > bad.inf
shodo parse --json --category policy bad.inf > bad.json; rc=$?
[ $rc = 1 ] || fail "garbage template: exit $rc, want 1"
[ "$(jq -r '.files[0].status' bad.json)" = failed ] || fail "garbage template not failed"
ok "GptTmpl.inf password, lockout and other policy"
