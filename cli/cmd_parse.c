/*
 * shodo parse FILE... — runs the triage parsers on loose files (an event
 * log, a prefetch file, a hive, ntds.dit, GptTmpl.inf) and prints what they
 * extracted, without a case folder.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <dirent.h>
#include <sys/stat.h>
#include <jansson.h>
#include "cli.h"
#include "triage/triage_int.h"

static void usage(FILE *fp)
{
	fprintf(fp,
	        "usage: shodo parse FILE|DIR... [--json] [--category C] [--db PATH] [--tables LIST]\n"
	        "\n"
	        "Runs the triage parsers on loose files (directories are walked) and prints what\n"
	        "they found.\n"
	        "\n"
	        "  --json            print one JSON document with every file's rows\n"
	        "  --category C      treat every FILE as category C (evtx, evt, prefetch, registry,\n"
	        "                    account_db, policy, ransom_note); default: from the name and content\n"
	        "  --db PATH         keep the results in the SQLite store PATH (created or appended)\n"
	        "  --tables LIST     tables to print (comma list; default: all that have rows)\n"
	        "  -v, --verbose     say what each parser did\n"
	        "  -q, --quiet       errors only\n"
	        "  -h, --help        this text\n"
	        "\n"
	        "Exit status: 0 every file parsed, 1 a file failed or was parsed in part, 2 usage,\n"
	        "3 the store could not be opened.\n");
}

static const char *const all_tables[] = {
	"evtx_stats", "event_counts", "logons", "events", "persistence", "prefetch", "host", "accounts", "policy", "tz_rules",
	"ransom_notes", "services", NULL,
};

static const char *guess_category(const char *path)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	size_t l = strlen(b);
	if (l > 5 && !strcasecmp(b + l - 5, ".evtx"))
		return CAT_EVTX;
	if (l > 4 && !strcasecmp(b + l - 4, ".evt"))
		return CAT_EVT;
	if (l > 3 && !strcasecmp(b + l - 3, ".pf"))
		return CAT_PREFETCH;
	if (!strcasecmp(b, "ntds.dit"))
		return CAT_ACCOUNT_DB;
	if (!strcasecmp(b, "GptTmpl.inf"))
		return CAT_POLICY;
	static const char *const hives[] = {"SAM", "SYSTEM", "SOFTWARE", "SECURITY", "DEFAULT", "NTUSER.DAT",
	                                    "UsrClass.dat", "Amcache.hve", NULL};
	for (int i = 0; hives[i]; i++)
		if (!strcasecmp(b, hives[i]))
			return CAT_REGISTRY;
	return NULL;
}

static void fix_utf8(char *s)
{
	unsigned char *p = (unsigned char *)s;
	while (*p) {
		int n = *p < 0x80 ? 0 : (*p & 0xE0) == 0xC0 ? 1 : (*p & 0xF0) == 0xE0 ? 2 : (*p & 0xF8) == 0xF0 ? 3 : -1;
		int ok = n >= 0;
		for (int k = 1; ok && k <= n; k++)
			ok = (p[k] & 0xC0) == 0x80;
		if (!ok) {
			*p++ = '?';
			continue;
		}
		p += n + 1;
	}
}

struct pathlist {
	char **v;
	size_t n, cap;
};

static void pl_add(struct pathlist *pl, const char *p)
{
	if (pl->n == pl->cap) {
		size_t nc = pl->cap ? pl->cap * 2 : 64;
		char **nv = realloc(pl->v, nc * sizeof(*nv));
		if (!nv)
			return;
		pl->v = nv;
		pl->cap = nc;
	}
	char *c = strdup(p);
	if (c)
		pl->v[pl->n++] = c;
}

static void pl_free(struct pathlist *pl)
{
	for (size_t i = 0; i < pl->n; i++)
		free(pl->v[i]);
	free(pl->v);
}

static int cmp_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static void walk_dir(struct pathlist *pl, const char *dir, int depth)
{
	struct dirent **ents = NULL;
	int n = depth > 32 ? -1 : scandir(dir, &ents, NULL, cmp_name);
	for (int i = 0; i < n; i++) {
		const char *nm = ents[i]->d_name;
		if (strcmp(nm, ".") && strcmp(nm, "..")) {
			char path[4096];
			struct stat st;
			if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, nm) < sizeof(path) && lstat(path, &st) == 0) {
				if (S_ISDIR(st.st_mode))
					walk_dir(pl, path, depth + 1);
				else if (S_ISREG(st.st_mode))
					pl_add(pl, path);
			}
		}
		free(ents[i]);
	}
	free(ents);
}

static json_t *rows_json(sqlite3 *db, const char *table, const char *source, int *count)
{
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT * FROM \"%s\" WHERE source=? ORDER BY rowid", table);
	sqlite3_stmt *s = NULL;
	*count = 0;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_text(s, 1, source, -1, SQLITE_STATIC);
	json_t *arr = json_array();
	while (sqlite3_step(s) == SQLITE_ROW) {
		json_t *o = json_object();
		int nc = sqlite3_column_count(s);
		for (int c = 0; c < nc; c++) {
			const char *name = sqlite3_column_name(s, c);
			if (!strcmp(name, "source"))
				continue;
			switch (sqlite3_column_type(s, c)) {
			case SQLITE_INTEGER:
				json_object_set_new(o, name, json_integer(sqlite3_column_int64(s, c)));
				break;
			case SQLITE_FLOAT:
				json_object_set_new(o, name, json_real(sqlite3_column_double(s, c)));
				break;
			case SQLITE_NULL:
				json_object_set_new(o, name, json_null());
				break;
			default: {
				const char *v = (const char *)sqlite3_column_text(s, c);
				json_t *js = json_string(v ? v : "");
				/* a suspect string that is not UTF-8: invalid bytes become '?' */
				if (!js && v) {
					char *cp = strdup(v);
					if (cp) {
						fix_utf8(cp);
						js = json_string(cp);
						free(cp);
					}
				}
				json_object_set_new(o, name, js ? js : json_null());
			}
			}
		}
		json_array_append_new(arr, o);
		(*count)++;
	}
	sqlite3_finalize(s);
	return arr;
}

/* ---- the text summary: what an analyst wants to see first per file ---- */
static int want_table(const char *const *tables, const char *t)
{
	for (int i = 0; tables[i]; i++)
		if (!strcmp(tables[i], t))
			return 1;
	return 0;
}

static void print_rows(sqlite3 *db, const char *sql, const char *src, const char *fmt_prefix)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(s, 1, src, -1, SQLITE_STATIC);
	while (sqlite3_step(s) == SQLITE_ROW) {
		fputs(fmt_prefix, stdout);
		int nc = sqlite3_column_count(s);
		for (int c = 0; c < nc; c++) {
			const char *v = (const char *)sqlite3_column_text(s, c);
			printf("%s%s", c ? "  " : "", v ? v : "-");
		}
		fputc('\n', stdout);
	}
	sqlite3_finalize(s);
}

static void print_summary(sqlite3 *db, const char *src, const char *const *tables)
{
	if (want_table(tables, "evtx_stats"))
		print_rows(db, "SELECT 'records ' || records || ', recovered ' || recovered || ' (' || coalesce(recovered_stored,0)"
		               " || ' stored), unreadable ' || errors, coalesce(first_time,'?') || ' .. ' ||"
		               " coalesce(last_time,'?') FROM evtx_stats WHERE source=?", src, "  ");
	if (want_table(tables, "event_counts"))
		print_rows(db, "SELECT 'event ' || event_id, count || 'x', provider FROM event_counts WHERE source=?"
		               " ORDER BY count DESC LIMIT 8", src, "  ");
	if (want_table(tables, "logons"))
		print_rows(db, "SELECT 'logons ' || result, 'type ' || coalesce(logon_type,'-'), count(*) || 'x',"
		               " 'from ' || coalesce(group_concat(DISTINCT source_ip),'-') FROM logons WHERE source=?"
		               " GROUP BY result, logon_type ORDER BY count(*) DESC LIMIT 12", src, "  ");
	if (want_table(tables, "events"))
		print_rows(db, "SELECT category, count(*) || 'x', min(time) || ' .. ' || max(time) FROM events"
		               " WHERE source=? AND category NOT LIKE 'logo%' AND category NOT LIKE 'rdp_%'"
		               " GROUP BY category ORDER BY count(*) DESC", src, "  ");
	if (want_table(tables, "persistence"))
		print_rows(db, "SELECT kind, name, command, time FROM persistence WHERE source=? LIMIT 20", src, "  ");
	if (want_table(tables, "prefetch"))
		print_rows(db, "SELECT executable, 'ran ' || run_count || 'x', 'last ' || coalesce(last_run,'?'),"
		               " coalesce(path,''), coalesce('FLAG ' || flag,'') FROM prefetch WHERE source=?", src, "  ");
	if (want_table(tables, "host"))
		print_rows(db, "SELECT key, value FROM host WHERE source=?", src, "  ");
	if (want_table(tables, "accounts"))
		print_rows(db, "SELECT name, 'rid ' || coalesce(rid,'?'), CASE enabled WHEN 1 THEN 'enabled'"
		               " WHEN 0 THEN 'disabled' ELSE '' END, CASE WHEN admin THEN 'ADMIN' ELSE '' END,"
		               " 'last logon ' || coalesce(last_logon,'never'), 'logons ' || coalesce(logon_count,'?'),"
		               " 'bad ' || coalesce(bad_password_count,'?') FROM accounts WHERE source=?", src, "  ");
	if (want_table(tables, "policy"))
		print_rows(db, "SELECT key || ' = ' || value FROM policy WHERE source=?", src, "  ");
	if (want_table(tables, "ransom_notes"))
		print_rows(db, "SELECT 'ransom note', coalesce(family,'unknown family'), coalesce(emails,''),"
		               " coalesce(onions,'') FROM ransom_notes WHERE source=?", src, "  ");
}

int cmd_parse(int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", no_argument, NULL, 'j'},     {"category", required_argument, NULL, 'c'},
		{"db", required_argument, NULL, 'd'}, {"tables", required_argument, NULL, 't'},
		{"verbose", no_argument, NULL, 'v'},  {"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},     {NULL, 0, NULL, 0},
	};
	int json = 0, verbose = 0, quiet = 0, c;
	const char *category = NULL, *dbpath = NULL, *tables_arg = NULL;
	while ((c = getopt_long(argc, argv, "vqh", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'c': category = optarg; break;
		case 'd': dbpath = optarg; break;
		case 't': tables_arg = optarg; break;
		case 'v': verbose = 1; break;
		case 'q': quiet = 1; break;
		case 'h': usage(stdout); return 0;
		default: return cli_usage("parse", "unknown option");
		}
	}
	if (optind >= argc)
		return cli_usage("parse", "no FILE given");
	static const char *const cats[] = {CAT_EVTX, CAT_EVT, CAT_PREFETCH, CAT_REGISTRY, CAT_ACCOUNT_DB,
	                                   CAT_POLICY, CAT_RANSOM_NOTE, CAT_MFT, CAT_TASK, CAT_SCRIPT,
	                                   CAT_EXECUTABLE, CAT_OTHER, NULL};
	if (category) {
		int ok = 0;
		for (int i = 0; cats[i]; i++)
			ok |= !strcmp(cats[i], category);
		if (!ok)
			return cli_usage("parse", "unknown category '%s'", category);
	}
	const char *tables[32];
	int ntables = 0;
	char *tcopy = NULL;
	if (tables_arg) {
		tcopy = strdup(tables_arg);
		for (char *sv = NULL, *t = strtok_r(tcopy, ",", &sv); t && ntables < 31; t = strtok_r(NULL, ",", &sv)) {
			int ok = 0;
			for (int i = 0; all_tables[i]; i++)
				ok |= !strcmp(all_tables[i], t);
			if (!ok) {
				free(tcopy);
				return cli_usage("parse", "unknown table '%s'", t);
			}
			tables[ntables++] = t;
		}
	} else {
		for (int i = 0; all_tables[i]; i++)
			tables[ntables++] = all_tables[i];
	}
	tables[ntables] = NULL;

	/* directories are walked (files only, sorted, symlinks not followed) */
	struct pathlist pl = {0};
	for (int i = optind; i < argc; i++) {
		struct stat stt;
		if (lstat(argv[i], &stt) == 0 && S_ISDIR(stt.st_mode))
			walk_dir(&pl, argv[i], 0);
		else
			pl_add(&pl, argv[i]);
	}
	if (pl.n == 0) {
		free(tcopy);
		pl_free(&pl);
		return cli_usage("parse", "no files found");
	}
	int nfiles = (int)pl.n;
	shodo_artifact *arts = calloc((size_t)nfiles, sizeof(*arts));
	if (!arts) {
		free(tcopy);
		pl_free(&pl);
		return 3;
	}
	for (int i = 0; i < nfiles; i++) {
		const char *p = pl.v[i];
		struct stat stt;
		arts[i].volume = "loose";
		arts[i].path = p;
		arts[i].file = p;
		arts[i].source = p;
		arts[i].category = category ? category : guess_category(p);
		if (stat(p, &stt) == 0)
			arts[i].size = (uint64_t)stt.st_size;
	}

	shodo_err err;
	shodo_err_clear(&err);
	shodo_store *st = NULL;
	if (shodo_store_open(dbpath ? dbpath : ":memory:", &st, &err) != SHODO_OK) {
		free(arts);
		free(tcopy);
		pl_free(&pl);
		return cli_fail(&err);
	}
	cli_console con;
	cli_console_init(&con, verbose, quiet);
	shodo_sink sink = {cli_console_fn, &con, NULL, 0};
	shodo_sink_start(&sink);
	cli_install_signals();
	shodo_triage_ctx ctx = {0};
	ctx.store = st;
	ctx.sink = &sink;
	ctx.cancel = &cli_cancel;
	shodo_status rc = shodo_analyse_run(&ctx, arts, (size_t)nfiles, &err);
	cli_console_finish(&con);
	int exitc = 0;
	if (rc == SHODO_FATAL || rc == SHODO_CANCELLED) {
		exitc = cli_fail(&err);
		goto out;
	}

	sqlite3 *db = shodo_store_db(st);
	json_t *doc = json ? json_object() : NULL, *files = json ? json_array() : NULL;
	for (int i = 0; i < nfiles; i++) {
		const char *src = arts[i].source;
		sqlite3_stmt *s = NULL;
		const char *parser = NULL, *status = "failed", *message = NULL;
		char pbuf[64] = "", sbuf[32] = "failed", mbuf[1024] = "";
		if (sqlite3_prepare_v2(db, "SELECT parser,status,message FROM artifacts WHERE source=? ORDER BY rowid DESC",
		                       -1, &s, NULL) == SQLITE_OK) {
			sqlite3_bind_text(s, 1, src, -1, SQLITE_STATIC);
			if (sqlite3_step(s) == SQLITE_ROW) {
				const char *v;
				if ((v = (const char *)sqlite3_column_text(s, 0)))
					snprintf(pbuf, sizeof(pbuf), "%s", v);
				if ((v = (const char *)sqlite3_column_text(s, 1)))
					snprintf(sbuf, sizeof(sbuf), "%s", v);
				if ((v = (const char *)sqlite3_column_text(s, 2)))
					snprintf(mbuf, sizeof(mbuf), "%s", v);
			}
			sqlite3_finalize(s);
		}
		parser = pbuf[0] ? pbuf : NULL;
		status = sbuf;
		message = mbuf[0] ? mbuf : NULL;
		if (strcmp(status, "ok"))
			exitc = 1;
		if (!parser && !strcmp(status, "skipped")) {
			status = "failed";
			snprintf(mbuf, sizeof(mbuf), "no parser recognises this file");
			message = mbuf;
		}
		if (json) {
			json_t *f = json_object();
			json_object_set_new(f, "file", json_string(src));
			json_object_set_new(f, "category", arts[i].category ? json_string(arts[i].category) : json_null());
			json_object_set_new(f, "parser", parser ? json_string(parser) : json_null());
			json_object_set_new(f, "status", json_string(status));
			json_object_set_new(f, "message", message ? json_string(message) : json_null());
			for (int t = 0; tables[t]; t++) {
				int cnt = 0;
				json_t *rows = rows_json(db, tables[t], src, &cnt);
				if (rows && (cnt || tables_arg))
					json_object_set_new(f, tables[t], rows);
				else
					json_decref(rows);
			}
			json_array_append_new(files, f);
		} else {
			printf("%s: %s%s%s%s%s\n", src, status, parser ? " (" : "", parser ? parser : "", parser ? ")" : "",
			       "");
			if (message)
				printf("  %s\n", message);
			print_summary(db, src, tables);
		}
	}
	if (json) {
		json_object_set_new(doc, "files", files);
		json_object_set_new(doc, "store", dbpath ? json_string(dbpath) : json_null());
		cli_print_json(doc);
	}
out:
	shodo_store_close(st);
	free(arts);
	free(tcopy);
	pl_free(&pl);
	return exitc;
}
