/* The two tables responders tune most: suspicious command lines (4688,
 * Sysmon 1) and known attacker/admin tools (prefetch).  Matching is
 * case-insensitive; every token of a row must occur. */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "putil.h"

static const struct {
	const char *tok[3];
	const char *label;
} cmdlines[] = {
	{{"vssadmin", "delete"}, "delete shadow copies"},
	{{"vssadmin", "resize", "shadowstorage"}, "shrink shadow storage"},
	{{"shadowcopy", "delete"}, "delete shadow copies"},
	{{"win32_shadowcopy", "delete"}, "delete shadow copies"},
	{{"wbadmin", "delete"}, "delete backups"},
	{{"bcdedit", "recoveryenabled"}, "disable recovery"},
	{{"bcdedit", "bootstatuspolicy"}, "disable recovery"},
	{{"wevtutil", " cl "}, "clear event log"},
	{{"wevtutil", "clear-log"}, "clear event log"},
	{{"clear-eventlog"}, "clear event log"},
	{{"fsutil", "deletejournal"}, "delete usn journal"},
	{{"net ", "user ", "/add"}, "add user"},
	{{"net1", "user ", "/add"}, "add user"},
	{{"net ", "localgroup", "/add"}, "add to group"},
	{{"net1", "localgroup", "/add"}, "add to group"},
	{{"psexec"}, "psexec"},
	{{"psexesvc"}, "psexec"},
	{{"set-mppreference", "disable"}, "disable defender"},
	{{"add-mppreference", "exclusion"}, "defender exclusion"},
	{{"disableantispyware"}, "disable defender"},
	{{"disablerealtimemonitoring"}, "disable defender"},
	{{"advfirewall", "state off"}, "disable firewall"},
	{{"netsh", "firewall", "disable"}, "disable firewall"},
	{{"mimikatz"}, "mimikatz"},
	{{"sekurlsa"}, "mimikatz"},
	{{"procdump", "lsass"}, "dump lsass"},
	{{"comsvcs", "minidump"}, "dump lsass"},
	{{"ntdsutil", "ifm"}, "copy ntds.dit"},
	{{"reg", "save", "hklm\\sam"}, "save sam hive"},
	{{"reg", "save", "hklm\\security"}, "save security hive"},
	{{"cipher", "/w"}, "wipe free space"},
	{{"rclone"}, "rclone"},
	{{"certutil", "urlcache"}, "download with certutil"},
	{{"bitsadmin", "/transfer"}, "download with bitsadmin"},
	{{"-encodedcommand"}, "encoded powershell"},
	{{"powershell", " -enc "}, "encoded powershell"},
	{{"powershell", " -e "}, "encoded powershell"},
	{{"iex", "downloadstring"}, "powershell download"},
	{{"schtasks", "/create"}, "create scheduled task"},
	{{"sc ", "create"}, "create service"},
	{{"sc.exe", "create"}, "create service"},
};

/* ASCII lower case of n bytes (the needles are ASCII: only A-Z fold) */
static void lower_ascii(char *d, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		d[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] + 32) : s[i];
	d[n] = '\0';
}

/* needle in a haystack already lowered by lower_ascii: the same answer as
 * putil_strcasestr on the original, through the C library's strstr (the
 * rules search every 4688 event's command line: a byte-by-byte case-
 * insensitive search of each of 50 tokens was 5 % of parsing a Security
 * log) */
static int has_lowered(const char *low, const char *needle)
{
	char nb[160];
	size_t n = strlen(needle);
	if (n >= sizeof(nb))
		return putil_strcasestr(low, needle) != NULL;
	lower_ascii(nb, needle, n);
	return strstr(low, nb) != NULL;
}

/* needle in hay: hay lowered by lower_ascii (low) or as it is */
static int has(const char *hay, int low, const char *needle)
{
	return low ? has_lowered(hay, needle) : putil_strcasestr(hay, needle) != NULL;
}

int putil_user_writable(const char *cmd)
{
	static const char *const dirs[] = {"\\Users\\", "\\AppData\\", "\\Temp\\", "\\ProgramData\\", "%TEMP%",
	                                   "%APPDATA%", "%LOCALAPPDATA%", "%PUBLIC%", "\\Public\\", "\\Windows\\Tasks\\",
	                                   "\\PerfLogs\\", "\\$Recycle.Bin\\", NULL};
	/* folders under ProgramData that only administrators can write: where
	 * Windows Defender runs from on every Windows 10 and later */
	static const char *const protected_dirs[] = {"\\ProgramData\\Microsoft\\Windows Defender\\",
	                                             "\\ProgramData\\Microsoft\\Windows Defender Advanced Threat "
	                                             "Protection\\",
	                                             NULL};
	if (!cmd)
		return 0;
	/* a lowered copy when it fits; a longer line is searched as it is */
	char buf[8192];
	size_t n = strlen(cmd);
	int low = n < sizeof(buf);
	const char *h = cmd;
	if (low) {
		lower_ascii(buf, cmd, n);
		h = buf;
	}
	for (int i = 0; protected_dirs[i]; i++)
		if (has(h, low, protected_dirs[i]) && !has(h, low, "\\Users\\") && !has(h, low, "\\Temp\\") &&
		    !strstr(cmd, "..\\"))
			return 0;
	for (int i = 0; dirs[i]; i++)
		if (has(h, low, dirs[i]))
			return 1;
	return 0;
}

const char *putil_suspicious_cmdline(const char *cmd)
{
	if (!cmd || !*cmd)
		return NULL;
	/* pad so tokens like " cl " also match at the ends (what does not fit
	 * in buf is cut, its last space with it) */
	char buf[8192];
	size_t n = strlen(cmd);
	int fits = n + 2 < sizeof(buf);
	buf[0] = ' ';
	lower_ascii(buf + 1, cmd, fits ? n : sizeof(buf) - 2);
	if (fits)
		memcpy(buf + 1 + n, " ", 2);
	for (size_t i = 0; i < sizeof(cmdlines) / sizeof(cmdlines[0]); i++) {
		int all = 1;
		for (int t = 0; t < 3 && cmdlines[i].tok[t]; t++)
			if (!has_lowered(buf, cmdlines[i].tok[t])) {
				all = 0;
				break;
			}
		if (all)
			return cmdlines[i].label;
	}
	return NULL;
}

/* name prefix (upper case, matched against the start of the executable name) */
static const struct {
	const char *prefix;
	const char *label;
} tools[] = {
	{"MIMIKATZ", "credential theft: mimikatz"},
	{"MIMIDRV", "credential theft: mimikatz"},
	{"PROCDUMP", "credential theft: procdump"},
	{"LAZAGNE", "credential theft: lazagne"},
	{"PWDUMP", "credential theft: pwdump"},
	{"NTDSUTIL", "credential theft: ntdsutil"},
	{"PSEXEC", "lateral movement: psexec"},
	{"PSEXESVC", "lateral movement: psexec"},
	{"PAEXEC", "lateral movement: paexec"},
	{"WMIEXEC", "lateral movement: wmiexec"},
	{"ADFIND", "discovery: adfind"},
	{"NETSCAN", "discovery: netscan"},
	{"ADVANCED_IP_SCANNER", "discovery: advanced ip scanner"},
	{"ADVANCED_PORT_SCANNER", "discovery: advanced port scanner"},
	{"ANGRYIP", "discovery: angry ip scanner"},
	{"IPSCAN", "discovery: angry ip scanner"},
	{"SHARPHOUND", "discovery: bloodhound"},
	{"BLOODHOUND", "discovery: bloodhound"},
	{"NLTEST", "discovery: nltest"},
	{"RCLONE", "exfiltration: rclone"},
	{"MEGASYNC", "exfiltration: mega"},
	{"MEGACMD", "exfiltration: mega"},
	{"WINSCP", "exfiltration: winscp"},
	{"FILEZILLA", "exfiltration: filezilla"},
	{"PSCP", "exfiltration: pscp"},
	{"RESTIC", "exfiltration: restic"},
	{"ANYDESK", "remote access: anydesk"},
	{"TEAMVIEWER", "remote access: teamviewer"},
	{"SCREENCONNECT", "remote access: screenconnect"},
	{"CONNECTWISE", "remote access: screenconnect"},
	{"ATERA", "remote access: atera"},
	{"SPLASHTOP", "remote access: splashtop"},
	{"NGROK", "remote access: ngrok"},
	{"PLINK", "remote access: plink"},
	{"CHISEL", "remote access: chisel"},
	{"VSSADMIN", "recovery inhibition: vssadmin"},
	{"WBADMIN", "recovery inhibition: wbadmin"},
	{"BCDEDIT", "recovery inhibition: bcdedit"},
	{"WEVTUTIL", "defence evasion: wevtutil"},
	{"BITSADMIN", "download: bitsadmin"},
	{"CERTUTIL", "download: certutil"},
	{"7Z.EXE", "archiving: 7-zip"},
	{"7ZA.EXE", "archiving: 7-zip"},
	{"7ZG.EXE", "archiving: 7-zip"},
	{"RAR.EXE", "archiving: winrar"},
	{"WINRAR", "archiving: winrar"},
	{"GMER", "defence evasion: gmer"},
	{"PROCESSHACKER", "defence evasion: process hacker"},
	{"PCHUNTER", "defence evasion: pchunter"},
	{"POWERTOOL", "defence evasion: powertool"},
	{"DEFENDERCONTROL", "defence evasion: defender control"},
	{"COBALT", "attack framework: cobalt strike"},
	{"BEACON", "attack framework: cobalt strike"},
};

const char *putil_tool_flag(const char *exe)
{
	if (!exe)
		return NULL;
	const char *b = putil_basename(exe);
	for (size_t i = 0; i < sizeof(tools) / sizeof(tools[0]); i++)
		if (!strncasecmp(b, tools[i].prefix, strlen(tools[i].prefix)))
			return tools[i].label;
	return NULL;
}
