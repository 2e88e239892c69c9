/*
 * Collection rules without a disk: the targets table, the executable and
 * ransom-note rules, and the map from suspect paths to case-folder names.
 */
#include <signal.h>
#include <unistd.h>
#include "unit.h"
#include "triage/collect/collect.h"
#include "shodo/util.h"

static const char *cat(const char *lpath, int root, shodo_triage_profile p)
{
	const col_target *t = col_target_match(lpath, root, p);
	return t ? t->category : "-";
}

TEST(targets)
{
	shodo_triage_profile q = SHODO_PROFILE_QUICK, f = SHODO_PROFILE_FULL;
	CHECK_STR(cat("windows/system32/winevt/logs/security.evtx", 0, q), CAT_EVTX);
	CHECK_STR(cat("windows/system32/winevt/logs/notes.log", 0, q), "-");
	CHECK_STR(cat("windows/system32/config/secevent.evt", 0, q), CAT_EVT);
	CHECK_STR(cat("windows/prefetch/cmd.exe-4a81b364.pf", 0, q), CAT_PREFETCH);
	CHECK_STR(cat("windows/prefetch/layout.ini", 0, q), "-");
	CHECK_STR(cat("windows/system32/config/sam", 0, q), CAT_REGISTRY);
	CHECK_STR(cat("windows/system32/config/system.log2", 0, q), CAT_REGISTRY);
	CHECK_STR(cat("windows/system32/config/regback/software", 0, q), CAT_REGISTRY);
	CHECK_STR(cat("windows/system32/config/components", 0, q), "-");
	CHECK_STR(cat("windows/appcompat/programs/amcache.hve", 0, q), CAT_REGISTRY);
	CHECK_STR(cat("users/bob/ntuser.dat", 0, q), CAT_REGISTRY);
	CHECK_STR(cat("users/bob/ntuser.dat.log1", 0, q), CAT_REGISTRY);
	CHECK_STR(cat("users/bob/documents/ntuser.dat", 0, q), "-");
	CHECK_STR(cat("users/bob/appdata/local/microsoft/windows/usrclass.dat", 0, q), CAT_REGISTRY);
	CHECK_STR(cat("documents and settings/bob/ntuser.dat", 0, q), CAT_REGISTRY);
	CHECK_STR(cat("windows/ntds/ntds.dit", 0, q), CAT_ACCOUNT_DB);
	CHECK_STR(cat("windows/ntds/edb00001.log", 0, q), CAT_NTDS_LOG);
	CHECK_STR(cat("windows/ntds/edb.chk", 0, q), CAT_NTDS_LOG);
	CHECK_STR(cat("windows/ntds/temp.edb", 0, q), "-");
	CHECK_STR(cat("windows/system32/config/systemprofile/ntuser.dat", 0, q), CAT_REGISTRY);
	CHECK_STR(cat("windows/sysvol/sysvol/corp.local/policies/{31b2f340}/machine/microsoft/windows nt/secedit/gpttmpl.inf",
	              0, q), CAT_POLICY);
	CHECK_STR(cat("windows/system32/tasks/microsoft/windows/defrag/scheduleddefrag", 0, q), CAT_TASK);
	CHECK_STR(cat("windows/tasks/at1.job", 0, q), CAT_TASK);
	CHECK_STR(cat("users/a/appdata/local/microsoft/terminal server client/cache/cache0001.bin", 0, q), CAT_RDP_CACHE);
	CHECK_STR(cat("users/a/appdata/roaming/microsoft/windows/powershell/psreadline/consolehost_history.txt", 0, q),
	          CAT_PS_HISTORY);
	/* volume-root metadata: full profile only, and only as root paths */
	CHECK_STR(cat("$mft", 1, q), "-");
	CHECK_STR(cat("$mft", 1, f), CAT_MFT);
	CHECK_STR(cat("$mft", 0, f), "-");
	const col_target *u = col_target_match("$extend/$usnjrnl", 1, f);
	CHECK(u != NULL);
	if (u) {
		CHECK_STR(u->category, CAT_USNJRNL);
		CHECK(u->flags & TGT_STREAM);
		CHECK_STR(u->stream, "$J");
	}
}

TEST(executables)
{
	CHECK_STR(col_exec_category("users/a/downloads/anydesk.exe", "exe"), CAT_EXECUTABLE);
	CHECK_STR(col_exec_category("windows/temp/run.bat", "bat"), CAT_SCRIPT);
	CHECK_STR(col_exec_category("$recycle.bin/s-1-5/$r12.vbs", "vbs"), CAT_SCRIPT);
	CHECK_STR(col_exec_category("perflogs/p.exe", "exe"), CAT_EXECUTABLE);
	CHECK_STR(col_exec_category("programdata/x/a.hta", "hta"), CAT_SCRIPT);
	CHECK(col_exec_category("program files/app/app.exe", "exe") == NULL);
	CHECK(col_exec_category("windows/system32/cmd.exe", "exe") == NULL);
	CHECK(col_exec_category("users/a/budget.xlsx", "xlsx") == NULL);
	CHECK(col_exec_category("users/a/noext", NULL) == NULL);
	CHECK(col_exec_category("usersx/a.exe", "exe") == NULL);
}

TEST(notes_and_hives)
{
	const shodo_triage_profile Q = SHODO_PROFILE_QUICK, F = SHODO_PROFILE_FULL;
	/* user places: every text-like name, whatever it is called */
	CHECK_INT(col_note_candidate("users/public/desktop/readme.txt", "readme.txt", "txt", Q), 1);
	CHECK_INT(col_note_candidate("users/a/desktop/jx34qqm7.txt", "jx34qqm7.txt", "txt", Q), 1);
	CHECK_INT(col_note_candidate("users/a/documents/$risen_note.txt", "$risen_note.txt", "txt", Q), 1);
	CHECK_INT(col_note_candidate("programdata/unlock_files.0a1b.html", "unlock_files.0a1b.html", "html", Q), 1);
	CHECK_INT(col_note_candidate("users/a/documents/list.txt", "list.txt", "txt", Q), 1);
	CHECK_INT(col_note_candidate("note", "note", NULL, Q), 1);
	CHECK_INT(col_note_candidate("shares/x/how_to_decrypt.hta", "how_to_decrypt.hta", "hta", Q), 1);
	CHECK_INT(col_note_candidate("users/a/!!!_read_me_!!!", "!!!_read_me_!!!", NULL, Q), 1);
	CHECK_INT(col_note_candidate("users/a/how_to_decrypt.k8x2q", "how_to_decrypt.k8x2q", "k8x2q", Q), 1);
	/* system and program trees: only note names in the quick profile */
	CHECK_INT(col_note_candidate("program files/app/readme.txt", "readme.txt", "txt", Q), 1);
	CHECK_INT(col_note_candidate("program files/app/license.txt", "license.txt", "txt", Q), 0);
	CHECK_INT(col_note_candidate("program files/app/license.txt", "license.txt", "txt", F), 1);
	CHECK_INT(col_note_candidate("windows/system32/eula.txt", "eula.txt", "txt", Q), 0);
	/* caches without extensions under AppData are left out of the quick profile */
	CHECK_INT(col_note_candidate("users/a/appdata/local/x/cache/f_0001", "f_0001", NULL, Q), 0);
	CHECK_INT(col_note_candidate("users/a/appdata/local/x/cache/f_0001", "f_0001", NULL, F), 1);
	CHECK_INT(col_note_candidate("users/a/appdata/roaming/readme.txt", "readme.txt", "txt", Q), 1);
	/* not text */
	CHECK_INT(col_note_candidate("users/a/readme.exe", "readme.exe", "exe", Q), 0);
	CHECK_INT(col_note_candidate("users/a/help.png", "help.png", "png", Q), 0);
	CHECK_INT(col_note_candidate("users/a/budget.xlsx", "budget.xlsx", "xlsx", Q), 0);
	CHECK(col_hive_dir("windows/system32/config"));
	CHECK(col_hive_dir("users/bob"));
	CHECK(col_hive_dir("users/bob/appdata/local/microsoft/windows"));
	CHECK(!col_hive_dir("users/bob/documents"));
	CHECK(!col_hive_dir("windows/system32"));
}

static void key(char *out, size_t n, const char *const *comps)
{
	size_t o = 0;
	out[0] = '\0';
	for (int i = 0; comps[i]; i++)
		o += (size_t)snprintf(out + o, n - o, "%zu:%s", strlen(comps[i]), comps[i]);
}

static const char *map(col_namemap *m, const char *a, const char *b, const char *c)
{
	static char out[8192];
	char k[8192];
	const char *comps[] = {a, b, c, NULL};
	key(k, sizeof(k), comps);
	if (col_namemap_path(m, k, out, sizeof(out)) < 0)
		return "(error)";
	return out;
}

TEST(names)
{
	col_namemap *m = col_namemap_new();
	CHECK(m != NULL);
	if (!m)
		return;
	CHECK_STR(map(m, "Users", "x", "Run.bat"), "Users/x/Run.bat");
	CHECK_STR(map(m, "Users", "x", "run.bat"), "Users/x/run~2.bat");
	CHECK_STR(map(m, "Users", "x", "RUN.BAT"), "Users/x/RUN~3.BAT");
	CHECK_STR(map(m, "Users", "x", "Run.bat"), "Users/x/Run.bat");   /* same original, same name */
	/* a directory that clashes on case gets its own name; its children follow */
	CHECK_STR(map(m, "USERS", "x", "a.ps1"), "USERS~2/x/a.ps1");
	CHECK_STR(map(m, "Users", "..", "..\\..\\evil.ps1"), "Users/%2E%2E/..%5C..%5Cevil.ps1");
	CHECK_STR(map(m, "Users", "a/b", "c\033[1m.bat"), "Users/a%2Fb/c%1B[1m.bat");
	/* a name that looks like an escape does not clash with the escaped one */
	CHECK_STR(map(m, "Users", "a%2Fb", "c.bat"), "Users/a%252Fb/c.bat");
	/* long names: cut, distinct, and short enough for any host */
	char l1[300], l2[300];
	memset(l1, 'L', 254);
	l1[254] = '\0';
	memcpy(l2, l1, sizeof(l1));
	l2[253] = 'M';
	char p1[8192], p2[8192];
	snprintf(p1, sizeof(p1), "%s", map(m, "Users", "x", l1));
	snprintf(p2, sizeof(p2), "%s", map(m, "Users", "x", l2));
	CHECK(strcmp(p1, p2) != 0);
	CHECK(strlen(strrchr(p1, '/') + 1) <= 255);
	CHECK(strlen(strrchr(p2, '/') + 1) <= 255);
	/* names Windows refuses or changes (a case folder is copied to Windows workstations) */
	CHECK_STR(map(m, "W", "x", "a<b>c?d|e*f\"g.ps1"), "W/x/a%3Cb%3Ec%3Fd%7Ce%2Af%22g.ps1");
	CHECK_STR(map(m, "W", "x", "con.bat"), "W/x/%63on.bat");
	CHECK_STR(map(m, "W", "x", "CON"), "W/x/%43ON");
	CHECK_STR(map(m, "W", "x", "Com1.txt"), "W/x/%43om1.txt");
	CHECK_STR(map(m, "W", "x", "lpt9"), "W/x/%6Cpt9");
	CHECK_STR(map(m, "W", "x", "com0.txt"), "W/x/com0.txt");
	CHECK_STR(map(m, "W", "x", "console.txt"), "W/x/console.txt");
	CHECK_STR(map(m, "W", "x", "evil.exe."), "W/x/evil.exe%2E");
	CHECK_STR(map(m, "W", "x", "evil.exe "), "W/x/evil.exe%20");
	CHECK_STR(map(m, "W", "x", "evil.exe"), "W/x/evil.exe");
	char q1[300], q2[300];
	memset(q1, '?', 199);
	q1[199] = '\0';
	memcpy(q2, q1, sizeof(q1));
	q2[198] = '*';
	snprintf(p1, sizeof(p1), "%s", map(m, "W", "q", q1));
	snprintf(p2, sizeof(p2), "%s", map(m, "W", "q", q2));
	CHECK(strcmp(p1, p2) != 0);
	CHECK(strlen(strrchr(p1, '/') + 1) <= 240);
	CHECK(strchr(p1, '?') == NULL && strchr(p2, '*') == NULL);
	/* a path too long for the host goes to _long_paths/<hash>/<name>, the same each time */
	{
		char k[16384], q[128], o1[8192], o2[8192], o3[8192];
		size_t o = 0;
		memset(q, '?', 100);
		q[100] = '\0';
		o += (size_t)snprintf(k + o, sizeof(k) - o, "5:Users");
		for (int i = 0; i < 30; i++)
			o += (size_t)snprintf(k + o, sizeof(k) - o, "%zu:%s", strlen(q), q);
		snprintf(k + o, sizeof(k) - o, "8:deep.ps1");
		CHECK_INT(col_namemap_path(m, k, o1, sizeof(o1)), 0);
		CHECK_INT(col_namemap_path(m, k, o2, sizeof(o2)), 0);
		CHECK_STR(o1, o2);
		CHECK(!strncmp(o1, "_long_paths/", 12));
		CHECK(strlen(o1) < 300);
		CHECK_STR(strrchr(o1, '/'), "/deep.ps1");
		/* a sibling gets its own name */
		snprintf(k + o, sizeof(k) - o, "9:other.ps1");
		CHECK_INT(col_namemap_path(m, k, o3, sizeof(o3)), 0);
		CHECK(strcmp(o1, o3) != 0);
		CHECK(!strncmp(o3, "_long_paths/", 12));
	}
	/* a malformed key is refused */
	char out[64];
	CHECK_INT(col_namemap_path(m, "9:abc", out, sizeof(out)), -1);
	col_namemap_free(m);
}

TEST(iso_times)
{
	/* the fast formatter agrees with the library one */
	char a[48], b[48];
	uint64_t x = 88172645463325252ull;
	int bad = 0;
	for (int i = 0; i < 200000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		time_t t = (time_t)(x % 253402300800ull);
		uint32_t ns = (i & 1) ? (uint32_t)(x % 1000000000u) : 0;
		if (i < 4)
			t = (time_t[]){1, 951782400, 4107542399, 253402300799}[i];   /* 1970, leap day 2000, 2100 */
		col_iso(t, ns, a);
		shodo_time_iso_ns(t, (long)ns, b);
		if (strcmp(a, b) && bad++ < 5)
			fprintf(stderr, "col_iso(%lld, %u) = '%s', want '%s'\n", (long long)t, ns, a, b);
	}
	CHECK_INT(bad, 0);
	col_iso(0, 5, a);
	CHECK_STR(a, "");
}

TEST(note_judge)
{
	/* text or binary by the first bytes */
	const unsigned char u16[] = "Y\0o\0u\0r\0 \0f\0i\0l\0e\0s\0 \0a\0r\0e\0 \0e\0n\0c\0r\0y\0p\0t\0e\0d\0";
	CHECK(col_text_like(u16, sizeof(u16) - 1));
	const unsigned char padded[] = "Your files are encrypted.\r\n\0\0\0\0\0\0\0\0\0\0\0\0";
	CHECK(col_text_like(padded, sizeof(padded) - 1));
	const unsigned char one_nul[] = "Hello\r\nYour files are encrypted\0\r\n";
	CHECK(col_text_like(one_nul, sizeof(one_nul) - 1));
	const unsigned char bin[] = "MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0\xb8\0\0\0\0\0\0\0@\0\0\0";
	CHECK(!col_text_like(bin, sizeof(bin) - 1));
	CHECK(!col_text_like((const unsigned char *)"", 0));
	/* one verdict per content; a copy under a stronger name is judged again */
	col_notes *c = col_notes_new();
	CHECK(c != NULL);
	const char *note = "All your files have been encrypted. To get them back write to us: back@cock.li "
	                   "Your personal ID: 7731AB. Do not rename encrypted files.";
	col_note_entry *e1 = col_notes_judge(c, "JX34qQm7.txt", (const unsigned char *)note, strlen(note));
	CHECK(e1 && e1->text && e1->is_note);
	col_note_entry *e2 = col_notes_judge(c, "README.txt", (const unsigned char *)note, strlen(note));
	CHECK(e2 == e1);
	const char *weak = "your files are encrypted, contact back@example.com";
	col_note_entry *w1 = col_notes_judge(c, "list.txt", (const unsigned char *)weak, strlen(weak));
	CHECK(w1 && !w1->is_note);
	col_note_entry *w2 = col_notes_judge(c, "HOW_TO_DECRYPT_YOUR_FILES.txt", (const unsigned char *)weak, strlen(weak));
	CHECK(w2 == w1 && w2->name_score > 0);
	uint64_t distinct, scored, binary;
	col_notes_judge(c, "x", bin, sizeof(bin) - 1);
	col_notes_stats(c, &distinct, &scored, &binary);
	CHECK_INT((int)distinct, 3);
	CHECK_INT((int)scored, 3);   /* the note once, the weak text twice (stronger name), never the binary */
	CHECK_INT((int)binary, 1);
	col_notes_free(c);
}

static void child_crash(col_chan *ch, void *arg)
{
	(void)arg;
	col_msg_begin(ch, 'X');
	col_msg_str(ch, "before");
	col_msg_end(ch);
	col_chan_flush(ch);
	raise(SIGABRT);
}

static void child_spin(col_chan *ch, void *arg)
{
	(void)arg;
	col_msg_begin(ch, 'X');
	col_msg_str(ch, "before");
	col_msg_end(ch);
	col_chan_flush(ch);
	for (volatile unsigned long i = 0;; i++)
		;
}

static void child_hang(col_chan *ch, void *arg)
{
	(void)arg;
	col_msg_begin(ch, 'X');
	col_msg_str(ch, "before");
	col_msg_end(ch);
	col_chan_flush(ch);
	for (;;)
		pause();
}

static void child_ok(col_chan *ch, void *arg)
{
	for (int i = 0; i < 20000; i++) {   /* more than a pipe holds */
		col_msg_begin(ch, 'X');
		col_msg_str(ch, (const char *)arg);
		col_msg_i64(ch, i);
		col_msg_end(ch);
		col_chan_tick(ch);
	}
}

static int count_msg(const col_msg *m, void *ud)
{
	int *n = ud;
	if (m->type == 'X' && m->nf >= 1 && m->f[0] && (!strcmp(m->f[0], "before") || !strcmp(m->f[0], "row")) &&
	    (m->nf < 2 || col_msg_int(m, 1) == *n))
		(*n)++;
	return 0;
}

TEST(isolation)
{
	col_child_result r;
	int n = 0;
	CHECK_INT(col_run_isolated(child_ok, "row", 10, NULL, count_msg, &n, &r), 0);
	CHECK_INT(n, 20000);
	CHECK(r.exited && r.code == 0 && !r.signaled && !r.timed_out);
	n = 0;
	CHECK_INT(col_run_isolated(child_crash, NULL, 10, NULL, count_msg, &n, &r), 0);
	CHECK_INT(n, 1);   /* what arrived before the crash */
	CHECK(r.signaled && r.sig == SIGABRT);
	char why[300];
	col_child_describe(&r, 10, why, sizeof(why));
	CHECK(strstr(why, "libtsk crashed") != NULL);
	n = 0;
	CHECK_INT(col_run_isolated(child_hang, NULL, 1, NULL, count_msg, &n, &r), 0);
	CHECK_INT(n, 1);
	CHECK(r.timed_out);
	col_child_describe(&r, 1, why, sizeof(why));
	CHECK(strstr(why, "no progress for 1 s") != NULL);
	/* what the kernel saw of the silent child: asleep, and where */
	CHECK(!strncmp(r.state, "state S, waiting in ", 20));
	CHECK(strstr(why, r.state) != NULL);
	/* a child in a loop: running, with CPU time */
	n = 0;
	CHECK_INT(col_run_isolated(child_spin, NULL, 1, NULL, count_msg, &n, &r), 0);
	CHECK(r.timed_out);
	CHECK(!strncmp(r.state, "state R, running, ", 18));
	CHECK(strstr(r.state, " 0.00 s of CPU") == NULL);
}

/* the one table of artifact kinds (triage/kinds.h) drives the others: every
 * target's category is a kind; every parsed kind reaches a parser by its
 * name and category alone; every registered parser is reached by a kind */
static const struct {
	const char *category, *sample;
	int parsed;
} kinds[] = {
#define KIND(category, sample, parsed) {category, sample, parsed},
#include "triage/kinds.h"
#undef KIND
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

TEST(one_table_of_kinds)
{
	int unknown = 0;
	for (size_t i = 0; col_targets[i].pattern; i++) {
		size_t k = 0;
		while (k < NKINDS && strcmp(kinds[k].category, col_targets[i].category))
			k++;
		if (k == NKINDS) {
			fprintf(stderr, "target '%s': category '%s' is not in triage/kinds.h\n", col_targets[i].pattern,
			        col_targets[i].category);
			unknown++;
		}
	}
	CHECK_INT(unknown, 0);
	int reached[64] = {0}, unparsed = 0;
	for (size_t k = 0; k < NKINDS; k++) {
		shodo_artifact a = {.path = kinds[k].sample, .file = "/nonexistent", .category = kinds[k].category};
		const shodo_parser *tie[2];
		const shodo_parser *p = shodo_parser_choose(&a, (const unsigned char *)"", 0, tie);
		if (kinds[k].parsed && !p) {
			fprintf(stderr, "kind '%s' (%s) reaches no parser\n", kinds[k].category, kinds[k].sample);
			unparsed++;
		}
		if (!kinds[k].parsed && p) {
			fprintf(stderr, "kind '%s' is not parsed but %s bids for it\n", kinds[k].category, p->name);
			unparsed++;
		}
		for (int i = 0; p && shodo_parsers[i] && i < 64; i++)
			reached[i] |= shodo_parsers[i] == p;
	}
	CHECK_INT(unparsed, 0);
	for (int i = 0; shodo_parsers[i] && i < 64; i++)
		if (!reached[i])
			fprintf(stderr, "parser %s is reached by no kind in triage/kinds.h\n", shodo_parsers[i]->name);
	int all = 1;
	for (int i = 0; shodo_parsers[i] && i < 64; i++)
		all &= reached[i];
	CHECK(all);
}

int main(void)
{
	RUN(targets);
	RUN(executables);
	RUN(notes_and_hives);
	RUN(note_judge);
	RUN(isolation);
	RUN(names);
	RUN(iso_times);
	RUN(one_table_of_kinds);
	UNIT_END();
}
