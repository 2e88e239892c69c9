/* Unit tests for the parsers' field extraction: event XML fields, entity
 * decoding, suspicious command lines, tool flags, UTF-16 names, FILETIME
 * plausibility, the parser registry and the analyse stage's grading. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "unit.h"
#include "triage/parsers/hivelog.h"
#include "triage/parsers/putil.h"
#include "triage/parsers/regutil.h"

static const char xml_4624[] =
    "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">\n"
    "  <System>\n"
    "    <Provider Name=\"Microsoft-Windows-Security-Auditing\" Guid=\"{54849625}\"/>\n"
    "    <EventID>4624</EventID>\n"
    "    <TimeCreated SystemTime=\"2021-03-04T05:06:07.123456700Z\"/>\n"
    "    <Channel>Security</Channel>\n"
    "    <Computer>WS01.corp.local</Computer>\n"
    "  </System>\n"
    "  <EventData>\n"
    "    <Data Name=\"SubjectUserName\">WS01$</Data>\n"
    "    <Data Name=\"TargetUserName\">J&amp;D &lt;admin&gt;</Data>\n"
    "    <Data Name=\"TargetDomainName\">CORP</Data>\n"
    "    <Data Name=\"LogonType\">10</Data>\n"
    "    <Data Name=\"WorkstationName\"/>\n"
    "    <Data Name=\"IpAddress\">::ffff:10.1.2.3</Data>\n"
    "    <Data Name=\"ProcessName\">C:\\Windows\\System32\\svchost.exe</Data>\n"
    "    <Data Name=\"Name\">&#x65E5;&#26412;</Data>\n"
    "  </EventData>\n"
    "</Event>\n";

static const char xml_104[] =
    "<Event><System><Provider Name=\"Microsoft-Windows-Eventlog\"/><EventID>104</EventID>"
    "<Channel>System</Channel></System><UserData><LogFileCleared xmlns=\"http://x\">"
    "<SubjectUserName>bob</SubjectUserName><Channel>Application</Channel></LogFileCleared></UserData></Event>";

TEST(xml_named_data_fields)
{
	char v[256];
	CHECK(putil_xml_field(xml_4624, "LogonType", v, sizeof(v)));
	CHECK_STR(v, "10");
	CHECK(putil_xml_field(xml_4624, "TargetUserName", v, sizeof(v)));
	CHECK_STR(v, "J&D <admin>");
	/* present but empty */
	CHECK(putil_xml_field(xml_4624, "WorkstationName", v, sizeof(v)));
	CHECK_STR(v, "");
	/* absent */
	CHECK(!putil_xml_field(xml_4624, "SubStatus", v, sizeof(v)));
	/* Provider Name="..." is not a Data field named like its value */
	CHECK(!putil_xml_field(xml_4624, "Microsoft-Windows-Security-Auditing", v, sizeof(v)));
	/* a Data field called "Name" is not confused with Name= attributes */
	CHECK(putil_xml_field(xml_4624, "Name", v, sizeof(v)));
	CHECK_STR(v, "日本");
	/* System elements */
	CHECK(putil_xml_field(xml_4624, "Computer", v, sizeof(v)));
	CHECK_STR(v, "WS01.corp.local");
	CHECK(putil_xml_field(xml_4624, "EventID", v, sizeof(v)));
	CHECK_STR(v, "4624");
	/* truncation keeps the buffer terminated */
	char small[5];
	CHECK(putil_xml_field(xml_4624, "ProcessName", small, sizeof(small)));
	CHECK_INT(strlen(small), 4);
}

TEST(xml_userdata_fields)
{
	char v[64];
	const char *body = strstr(xml_104, "<UserData");
	CHECK(putil_xml_field(body, "Channel", v, sizeof(v)));
	CHECK_STR(v, "Application");
	CHECK(putil_xml_field(xml_104, "Channel", v, sizeof(v)));
	CHECK_STR(v, "System");
	CHECK(putil_xml_field(body, "SubjectUserName", v, sizeof(v)));
	CHECK_STR(v, "bob");
}

TEST(xml_hostile_input)
{
	char v[32];
	CHECK(!putil_xml_field("", "X", v, sizeof(v)));
	CHECK(!putil_xml_field(NULL, "X", v, sizeof(v)));
	CHECK(putil_xml_field("<Data Name=\"X\">unterminated &amp", "X", v, sizeof(v)));
	CHECK_STR(v, "unterminated &amp");
	CHECK(putil_xml_field("<X", "X", v, sizeof(v)) == 0);
	char s[] = "&#0; &#x110000; &bogus; &#65;";
	putil_xml_unescape(s);
	CHECK_STR(s, "&#0; \xef\xbf\xbd &bogus; A");
}

TEST(suspicious_command_lines)
{
	CHECK_STR(putil_suspicious_cmdline("vssadmin.exe Delete Shadows /All /Quiet"), "delete shadow copies");
	CHECK_STR(putil_suspicious_cmdline("wmic shadowcopy delete"), "delete shadow copies");
	CHECK_STR(putil_suspicious_cmdline("wbadmin DELETE SYSTEMSTATEBACKUP"), "delete backups");
	CHECK_STR(putil_suspicious_cmdline("bcdedit /set {default} recoveryenabled No"), "disable recovery");
	CHECK_STR(putil_suspicious_cmdline("wevtutil cl Security"), "clear event log");
	CHECK_STR(putil_suspicious_cmdline("net user backdoor P@ss /add"), "add user");
	CHECK_STR(putil_suspicious_cmdline("net localgroup administrators backdoor /add"), "add to group");
	CHECK_STR(putil_suspicious_cmdline("C:\\tools\\PsExec64.exe \\\\srv cmd"), "psexec");
	CHECK_STR(putil_suspicious_cmdline("powershell Set-MpPreference -DisableRealtimeMonitoring $true"),
	          "disable defender");
	CHECK(putil_suspicious_cmdline("vssadmin list shadows") == NULL);
	CHECK(putil_suspicious_cmdline("wevtutil qe Security") == NULL);
	CHECK(putil_suspicious_cmdline("notepad.exe C:\\Users\\a\\clients.txt") == NULL);
	CHECK(putil_suspicious_cmdline("net user bob") == NULL);
	CHECK(putil_suspicious_cmdline("") == NULL);
	CHECK(putil_suspicious_cmdline(NULL) == NULL);
	/* case folds for ASCII only; other bytes are left as they are */
	CHECK_STR(putil_suspicious_cmdline("WeVtUtIl.EXE Cl Security"), "clear event log");
	CHECK_STR(putil_suspicious_cmdline("vssadmin\xc3\x84 DELETE shadows"), "delete shadow copies");
	CHECK(putil_suspicious_cmdline("vss\xc3\x84" "dmin delete") == NULL);
	/* the padding: " cl " at the very end matches while the padded line
	 * fits in 8,191 bytes (8,189 of command); a longer line is cut, its
	 * last space with it */
	static char big[20000];
	for (size_t n = 8187; n <= 8192; n++) {
		memset(big, 'x', n);
		memcpy(big, "wevtutil ", 9);
		memcpy(big + n - 3, " cl", 3);
		big[n] = '\0';
		const char *why = putil_suspicious_cmdline(big);
		if (n <= 8189)
			CHECK_STR(why, "clear event log");
		else
			CHECK(why == NULL);
	}
	/* a token past the cut is not seen */
	memset(big, 'x', 9000);
	memcpy(big, "net user ", 9);
	memcpy(big + 8995, " /add", 5);
	big[9000] = '\0';
	CHECK(putil_suspicious_cmdline(big) == NULL);
}

TEST(user_writable_folders)
{
	CHECK_INT(putil_user_writable("C:\\USERS\\anna\\AppData\\x.exe"), 1);
	CHECK_INT(putil_user_writable("%temp%\\a.exe"), 1);
	CHECK_INT(putil_user_writable("C:\\Windows\\System32\\svchost.exe -k netsvcs"), 0);
	CHECK_INT(putil_user_writable("C:\\programdata\\microsoft\\WINDOWS DEFENDER\\platform\\MsMpEng.exe"), 0);
	CHECK_INT(putil_user_writable("C:\\ProgramData\\Microsoft\\Windows Defender\\..\\evil\\x.exe"), 1);
	CHECK_INT(putil_user_writable("C:\\ProgramData\\Microsoft\\Windows Defender\\x.exe C:\\Users\\a\\b"), 1);
	CHECK_INT(putil_user_writable("C:\\ProgramData\\evil.exe"), 1);
	CHECK_INT(putil_user_writable(NULL), 0);
	/* longer than the lowered copy: searched in place, same answers */
	static char big[20000];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CHECK_INT(putil_user_writable(big), 0);
	memcpy(big + 15000, "\\tEmP\\", 6);
	CHECK_INT(putil_user_writable(big), 1);
}

TEST(tool_flags)
{
	CHECK_STR(putil_tool_flag("MIMIKATZ.EXE"), "credential theft: mimikatz");
	CHECK_STR(putil_tool_flag("\\VOLUME{x}\\TEMP\\PSEXESVC.EXE"), "lateral movement: psexec");
	CHECK_STR(putil_tool_flag("rclone.exe"), "exfiltration: rclone");
	CHECK_STR(putil_tool_flag("ANYDESK.EXE"), "remote access: anydesk");
	CHECK_STR(putil_tool_flag("VSSADMIN.EXE"), "recovery inhibition: vssadmin");
	CHECK_STR(putil_tool_flag("ADFIND.EXE"), "discovery: adfind");
	CHECK(putil_tool_flag("CMD.EXE") == NULL);
	CHECK(putil_tool_flag("NOTEPAD.EXE") == NULL);
	CHECK(putil_tool_flag("7ZFM.EXE") == NULL);
	CHECK(putil_tool_flag(NULL) == NULL);
}

TEST(utf16_names)
{
	char out[64];
	const unsigned char admin[] = {'A', 0, 'd', 0, 'm', 0, 0, 0, 'x', 0};
	reg_utf16(admin, sizeof(admin), out, sizeof(out));
	CHECK_STR(out, "Adm");
	const unsigned char jp[] = {0xe5, 0x65, 0x2c, 0x67};  /* 日本 */
	reg_utf16(jp, sizeof(jp), out, sizeof(out));
	CHECK_STR(out, "日本");
	const unsigned char lone[] = {0x00, 0xd8, 'a', 0};  /* unpaired surrogate */
	reg_utf16(lone, sizeof(lone), out, sizeof(out));
	CHECK_STR(out, "\xef\xbf\xbd" "a");
	char tiny[3];
	reg_utf16(jp, sizeof(jp), tiny, sizeof(tiny));
	CHECK_STR(tiny, "");
	/* odd byte count: the last half unit is dropped */
	reg_utf16(admin, 3, out, sizeof(out));
	CHECK_STR(out, "A");
}

TEST(filetimes)
{
	char t[48];
	CHECK_STR(putil_ft(0, t), "");
	CHECK_STR(putil_ft(0x7fffffffffffffffULL, t), "");
	CHECK_STR(putil_ft(116444736000000000ULL, t), "1970-01-01T00:00:00Z");
	CHECK_STR(putil_ft(132537600000000000ULL + 1234567ULL, t), "2020-12-30T00:00:00.1234567Z");
}

TEST(hive_kind_names)
{
	CHECK_INT(reg_kind_from_name("C:/Windows/System32/config/SAM"), HIVE_SAM);
	CHECK_INT(reg_kind_from_name("SYSTEM"), HIVE_SYSTEM);
	CHECK_INT(reg_kind_from_name("\\SystemRoot\\System32\\Config\\SOFTWARE"), HIVE_SOFTWARE);
	CHECK_INT(reg_kind_from_name("NTUSER.DAT"), HIVE_NTUSER);
	CHECK_INT(reg_kind_from_name("report.docx"), HIVE_UNKNOWN);
}

static const char *write_tmp(const char *name, const void *data, size_t n)
{
	static char path[512];
	snprintf(path, sizeof(path), "%s/%s", unit_tmpdir(), name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, data, n) != (ssize_t)n)
		perror(path);
	close(fd);
	return path;
}

TEST(parser_choice_by_content)
{
	shodo_artifact a = {.volume = "v", .path = "x", .file = "x", .source = "x"};
	unsigned char evtx[8] = "ElfFile";
	unsigned char pf[8] = {30, 0, 0, 0, 'S', 'C', 'C', 'A'};
	unsigned char mam[8] = {'M', 'A', 'M', 4, 0, 0, 0, 0};
	unsigned char text[8] = "hello!!";
	CHECK_STR(shodo_parser_choose(&a, evtx, sizeof(evtx), NULL)->name, "evtx");
	CHECK_STR(shodo_parser_choose(&a, pf, sizeof(pf), NULL)->name, "prefetch");
	CHECK_STR(shodo_parser_choose(&a, mam, sizeof(mam), NULL)->name, "prefetch");
	CHECK(shodo_parser_choose(&a, text, sizeof(text), NULL) == NULL);
	/* a damaged log still goes to the log parser when collected as one */
	a.category = CAT_EVTX;
	CHECK_STR(shodo_parser_choose(&a, text, sizeof(text), NULL)->name, "evtx");
}

TEST(analyse_grades_every_artifact)
{
	shodo_store *st = NULL;
	shodo_err err;
	shodo_err_clear(&err);
	CHECK_INT(shodo_store_open(":memory:", &st, &err), SHODO_OK);
	if (!st)
		return;
	const char *bad_evtx = write_tmp("Security.evtx", "ElfFile\0garbage", 15);
	char bad_copy[512];
	snprintf(bad_copy, sizeof(bad_copy), "%s", bad_evtx);
	const char *txt = write_tmp("notes.txt", "just text", 9);
	char txt_copy[512];
	snprintf(txt_copy, sizeof(txt_copy), "%s", txt);
	shodo_artifact arts[3] = {
		{.volume = "v", .path = "a", .file = bad_copy, .source = "files/a.evtx", .category = CAT_EVTX},
		{.volume = "v", .path = "b", .file = "/nonexistent/file", .source = "files/b.pf",
		 .category = CAT_PREFETCH},
		{.volume = "v", .path = "c", .file = txt_copy, .source = "files/c.txt", .category = CAT_OTHER},
	};
	shodo_sink sink = {0};
	shodo_triage_ctx ctx = {.store = st, .sink = &sink};
	shodo_status rc = shodo_analyse_run(&ctx, arts, 3, &err);
	CHECK_INT(rc, SHODO_WARN);
	CHECK_INT(ctx.warnings, 2);
	sqlite3_stmt *s = NULL;
	sqlite3_prepare_v2(shodo_store_db(st), "SELECT source,status FROM artifacts ORDER BY rowid", -1, &s, NULL);
	const char *want[3][2] = {{"files/a.evtx", "failed"}, {"files/b.pf", "failed"}, {"files/c.txt", "skipped"}};
	int i = 0;
	while (s && sqlite3_step(s) == SQLITE_ROW && i < 3) {
		CHECK_STR((const char *)sqlite3_column_text(s, 0), want[i][0]);
		CHECK_STR((const char *)sqlite3_column_text(s, 1), want[i][1]);
		i++;
	}
	CHECK_INT(i, 3);
	sqlite3_finalize(s);
	/* a failed parse leaves no rows behind */
	sqlite3_prepare_v2(shodo_store_db(st), "SELECT count(*) FROM evtx_stats", -1, &s, NULL);
	CHECK(s && sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0) == 0);
	sqlite3_finalize(s);
	shodo_store_close(st);
}

static int bid_ten(const shodo_artifact *a, const unsigned char *h, size_t n) { return 10; }
static int bid_five(const shodo_artifact *a, const unsigned char *h, size_t n) { return 5; }
static int bid_none(const shodo_artifact *a, const unsigned char *h, size_t n) { return 0; }

/* two parsers bidding the same highest value: refused, both named; a lower
 * tie does not matter; nothing is given to the earlier parser */
TEST(tied_bids_refused)
{
	const shodo_parser a10 = {"a10", bid_ten, NULL}, b10 = {"b10", bid_ten, NULL}, c5 = {"c5", bid_five, NULL},
	                   d5 = {"d5", bid_five, NULL}, z = {"z", bid_none, NULL};
	const shodo_parser *tied[] = {&c5, &a10, &z, &b10, NULL};
	const shodo_parser *low[] = {&c5, &d5, &a10, NULL};
	const shodo_parser *none[] = {&z, NULL};
	const shodo_parser *tie[2];
	shodo_artifact art = {0};
	unsigned char head[4] = {0};
	CHECK(shodo_parser_choose_from(tied, &art, head, sizeof(head), tie) == NULL);
	CHECK(tie[0] == &a10 && tie[1] == &b10);
	CHECK(shodo_parser_choose_from(low, &art, head, sizeof(head), tie) == &a10);
	CHECK(tie[0] == NULL && tie[1] == NULL);
	CHECK(shodo_parser_choose_from(none, &art, head, sizeof(head), tie) == NULL);
	CHECK(tie[0] == NULL);
	CHECK(shodo_parser_choose_from(tied, &art, head, sizeof(head), NULL) == NULL);
	/* the real registry has no tie on any kind it knows (parser_choice_by_content) */
}

/* Marvin32 against the .NET runtime's published test vectors (seed
 * 0x004FB61A001BDBCC): the hash the new hive log format uses */
TEST(marvin32_vectors)
{
	static const struct {
		const char *hex;
		uint64_t want;
	} v[] = {
		{"", 0x30ED35C100CD3C7DULL},           {"af", 0x48E73FC77D75DDC1ULL},
		{"e70f", 0xB5F6E1FC485DBFF8ULL},       {"37f495", 0xF0B07C789B8CF7E8ULL},
		{"8642dc59", 0x7008F2E87E9CF556ULL},   {"153fb79826", 0xE6C08C6DA2AFA997ULL},
		{"0932e6246c47", 0x6F04BF1A5EA24060ULL}, {"ab427ea8d10fc7", 0xE11847E4F0678C41ULL},
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		unsigned char b[16];
		size_t n = strlen(v[i].hex) / 2;
		for (size_t k = 0; k < n; k++)
			sscanf(v[i].hex + 2 * k, "%2hhx", &b[k]);
		CHECK(hivelog_marvin32(b, n, 0x004FB61A001BDBCCULL) == v[i].want);
	}
}

int main(void)
{
	RUN(marvin32_vectors);
	RUN(xml_named_data_fields);
	RUN(xml_userdata_fields);
	RUN(xml_hostile_input);
	RUN(suspicious_command_lines);
	RUN(user_writable_folders);
	RUN(tool_flags);
	RUN(utf16_names);
	RUN(filetimes);
	RUN(hive_kind_names);
	RUN(parser_choice_by_content);
	RUN(analyse_grades_every_artifact);
	RUN(tied_bids_refused);
	UNIT_END();
}
