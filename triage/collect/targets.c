/*
 * What triage collects, as a table.  Patterns are matched against the lower
 * case path relative to a Windows root (the volume root, or "Windows.old/"
 * for the previous installation kept by an upgrade).  The first match wins,
 * so specific entries come first.  Rules that are not path patterns
 * (executables and scripts in user-writable places, hives renamed by
 * ransomware, ransom-note candidates) follow the table.
 */
#include <string.h>
#include "collect.h"

const col_target col_targets[] = {
	/* event logs */
	{"windows/system32/winevt/logs/*.evtx", CAT_EVTX, 0, NULL},
	{"windows/system32/config/*.evt", CAT_EVT, 0, NULL},
	{"windows/sysnative/winevt/logs/*.evtx", CAT_EVTX, 0, NULL},
	/* prefetch */
	{"windows/prefetch/*.pf", CAT_PREFETCH, 0, NULL},
	/* system hives, their transaction logs, RegBack */
	{"windows/system32/config/sam", CAT_REGISTRY, 0, NULL},
	{"windows/system32/config/sam.log*", CAT_REGISTRY, 0, NULL},
	{"windows/system32/config/security", CAT_REGISTRY, 0, NULL},
	{"windows/system32/config/security.log*", CAT_REGISTRY, 0, NULL},
	{"windows/system32/config/system", CAT_REGISTRY, 0, NULL},
	{"windows/system32/config/system.log*", CAT_REGISTRY, 0, NULL},
	{"windows/system32/config/software", CAT_REGISTRY, 0, NULL},
	{"windows/system32/config/software.log*", CAT_REGISTRY, 0, NULL},
	{"windows/system32/config/default", CAT_REGISTRY, 0, NULL},
	{"windows/system32/config/default.log*", CAT_REGISTRY, 0, NULL},
	{"windows/system32/config/regback/*", CAT_REGISTRY, 0, NULL},
	{"windows/appcompat/programs/amcache.hve", CAT_REGISTRY, 0, NULL},
	{"windows/appcompat/programs/amcache.hve.log*", CAT_REGISTRY, 0, NULL},
	/* user hives (Vista and later, then XP) */
	{"users/*/ntuser.dat", CAT_REGISTRY, 0, NULL},
	{"users/*/ntuser.dat.log*", CAT_REGISTRY, 0, NULL},
	{"users/*/appdata/local/microsoft/windows/usrclass.dat", CAT_REGISTRY, 0, NULL},
	{"users/*/appdata/local/microsoft/windows/usrclass.dat.log*", CAT_REGISTRY, 0, NULL},
	{"documents and settings/*/ntuser.dat", CAT_REGISTRY, 0, NULL},
	{"documents and settings/*/ntuser.dat.log*", CAT_REGISTRY, 0, NULL},
	{"documents and settings/*/local settings/application data/microsoft/windows/usrclass.dat", CAT_REGISTRY,
	 0, NULL},
	{"windows/serviceprofiles/*/ntuser.dat", CAT_REGISTRY, 0, NULL},
	{"windows/system32/config/systemprofile/ntuser.dat", CAT_REGISTRY, 0, NULL},
	/* domain controllers */
	{"windows/ntds/ntds.dit", CAT_ACCOUNT_DB, 0, NULL},
	/* its transaction logs and checkpoint: an analyst replays them (esentutl /r) when the
	 * database was not shut down cleanly, as on a live or crashed controller */
	{"windows/ntds/*.log", CAT_NTDS_LOG, 0, NULL},
	{"windows/ntds/*.chk", CAT_NTDS_LOG, 0, NULL},
	{"windows/ntds/*.jrs", CAT_NTDS_LOG, 0, NULL},
	{"windows/sysvol/**/gpttmpl.inf", CAT_POLICY, 0, NULL},
	/* scheduled tasks (XML since Vista, .job before) */
	{"windows/system32/tasks/**", CAT_TASK, 0, NULL},
	{"windows/syswow64/tasks/**", CAT_TASK, 0, NULL},
	{"windows/tasks/*.job", CAT_TASK, 0, NULL},
	/* RDP bitmap cache, PowerShell history */
	{"users/*/appdata/local/microsoft/terminal server client/cache/*", CAT_RDP_CACHE, 0, NULL},
	{"users/*/appdata/roaming/microsoft/windows/powershell/psreadline/*.txt", CAT_PS_HISTORY, 0, NULL},
	/* file system metadata (volume root, full profile) */
	{"$mft", CAT_MFT, TGT_FULL_ONLY | TGT_ROOT, NULL},
	{"$extend/$usnjrnl", CAT_USNJRNL, TGT_FULL_ONLY | TGT_ROOT | TGT_STREAM, "$J"},
	{NULL, NULL, 0, NULL},
};

/* next component of s: returns its length, *rest after the '/' (or end) */
static size_t comp(const char *s, const char **rest)
{
	const char *e = strchr(s, '/');
	size_t n = e ? (size_t)(e - s) : strlen(s);
	*rest = e ? e + 1 : s + n;
	return n;
}

/* '*' and '?' within one component, byte-wise (patterns are ASCII; fnmatch
 * would convert every name to wide characters in a UTF-8 locale) */
static int comp_match(const char *p, size_t pl, const char *s, size_t sl)
{
	size_t pi = 0, si = 0, star = (size_t)-1, mark = 0;
	while (si < sl) {
		if (pi < pl && (p[pi] == '?' || p[pi] == s[si])) {
			pi++;
			si++;
		} else if (pi < pl && p[pi] == '*') {
			star = pi++;
			mark = si;
		} else if (star != (size_t)-1) {
			pi = star + 1;
			si = ++mark;
		} else {
			return 0;
		}
	}
	while (pi < pl && p[pi] == '*')
		pi++;
	return pi == pl;
}

/* prefix: path is a directory; match when something below it could match */
static int glob_path(const char *pat, const char *path, int prefix)
{
	if (!*pat)
		return !*path;
	if (!*path) {
		/* trailing "**" components match nothing */
		while (pat[0] == '*' && pat[1] == '*' && (pat[2] == '/' || pat[2] == '\0'))
			pat += pat[2] ? 3 : 2;
		return !*pat || prefix;
	}
	const char *prest, *srest;
	size_t pl = comp(pat, &prest);
	if (pl == 2 && pat[0] == '*' && pat[1] == '*') {
		if (prefix)
			return 1;
		if (glob_path(prest, path, 0))
			return 1;
		comp(path, &srest);
		return glob_path(pat, srest, 0);
	}
	size_t sl = comp(path, &srest);
	if (!comp_match(pat, pl, path, sl))
		return 0;
	return glob_path(prest, srest, prefix);
}

const col_target *col_target_match(const char *lpath, int root_level, shodo_triage_profile prof)
{
	for (const col_target *t = col_targets; t->pattern; t++) {
		if ((t->flags & TGT_FULL_ONLY) && prof != SHODO_PROFILE_FULL)
			continue;
		if (!!(t->flags & TGT_ROOT) != !!root_level)
			continue;
		/* cheap first-letter filter before the glob */
		if (t->pattern[0] != '*' && t->pattern[0] != lpath[0])
			continue;
		if (glob_path(t->pattern, lpath, 0))
			return t;
	}
	return NULL;
}

/* user-writable places where the rebuild policy looks for executables */
static const char *const writable[] = {
	"users", "programdata", "windows/temp", "perflogs", "$recycle.bin", "recycler",
	"documents and settings", NULL,
};

static int under(const char *lpath, const char *top)
{
	size_t n = strlen(top);
	return !strncmp(lpath, top, n) && (lpath[n] == '/' || lpath[n] == '\0');
}

static int in_writable(const char *lpath)
{
	for (int i = 0; writable[i]; i++)
		if (under(lpath, writable[i]))
			return 1;
	return 0;
}

static const char *const exe_ext[] = {"exe", "dll", "scr", "com", "pif", "cpl", "sys", "msi", "jar", NULL};
static const char *const script_ext[] = {"bat", "cmd", "ps1", "psm1", "vbs", "js", "hta", "wsf", "lnk", NULL};

const char *col_exec_category(const char *lpath, const char *lext)
{
	if (!lext || !in_writable(lpath))
		return NULL;
	for (int i = 0; exe_ext[i]; i++)
		if (!strcmp(lext, exe_ext[i]))
			return CAT_EXECUTABLE;
	for (int i = 0; script_ext[i]; i++)
		if (!strcmp(lext, script_ext[i]))
			return CAT_SCRIPT;
	return NULL;
}

int col_hive_dir(const char *ldir)
{
	static const char *const dirs[] = {
		"windows/system32/config", "windows/system32/config/regback", "users/*",
		"users/*/appdata/local/microsoft/windows", "documents and settings/*", NULL,
	};
	for (int i = 0; dirs[i]; i++)
		if (glob_path(dirs[i], ldir, 0))
			return 1;
	return 0;
}

/* names that ransomware gives its notes (and that few other files have) */
static int note_keyword(const char *lname)
{
	static const char *const keywords[] = {
		"readme", "read_me", "read-me", "decrypt", "restore", "recover", "how_to", "how-to", "howto",
		"ransom", "!!!", "instruction", "help", "unlock", "encrypt", "note", "what", "happen", NULL,
	};
	for (int i = 0; keywords[i]; i++)
		if (strstr(lname, keywords[i]))
			return 1;
	return 0;
}

/* the operating system's and the programs' own trees: the quick profile
 * reads text there only when the name is a note's */
static int system_tree(const char *lpath)
{
	static const char *const trees[] = {
		"windows", "program files", "program files (x86)", "programdata/microsoft", "windows.old",
		"$windows.~bt", "$windows.~ws", "$winreagent", "system volume information", "msocache",
		"$extend", "winnt", NULL,
	};
	for (int i = 0; trees[i]; i++)
		if (under(lpath, trees[i]))
			return 1;
	return 0;
}

/* .../appdata/...: browsers' and programs' caches hold many files without an extension */
static int in_appdata(const char *lpath)
{
	const char *p = strstr(lpath, "/appdata/");
	if (!p)
		p = strstr(lpath, "/application data/");
	return p != NULL;
}

int col_note_candidate(const char *lpath, const char *lname, const char *lext, shodo_triage_profile prof)
{
	static const char *const text_ext[] = {"txt", "html", "htm", "hta", "rtf", "url", NULL};
	static const char *const binary_ext[] = {
		"exe", "dll", "sys", "scr", "com", "cpl", "msi", "jar", "lnk", "chm", "hlp", "png", "gif", "jpg",
		"ico", "bmp", "mui", "mum", "cat", "manifest", "xml", "js", "css", "json", "pf", "evtx", "dat",
		"bat", "cmd", "ps1", "psm1", "vbs", "wsf", "pif", "zip", "7z", "rar",
		NULL,
	};
	int text = !lext;
	if (lext)
		for (int i = 0; text_ext[i]; i++)
			if (!strcmp(lext, text_ext[i]))
				text = 1;
	int kw = note_keyword(lname);
	if (!text) {
		/* HOW_TO_DECRYPT.<random>: a note name with an extension of its own */
		if (!kw)
			return 0;
		for (int j = 0; binary_ext[j]; j++)
			if (!strcmp(lext, binary_ext[j]))
				return 0;
	}
	if (prof == SHODO_PROFILE_FULL)
		return 1;
	if (!lext && !kw && in_appdata(lpath))
		return 0;
	return kw || !system_tree(lpath);
}
