/*
 * triage/parse.c — the parsers on loose files (include/shodo/parse.h, the
 * engine behind shodo parse): builds an artifact for each file, runs the
 * analysis stage on a store of its own and returns every file's grade, rows
 * and a short summary as one JSON document.  The summary's logons and
 * events lines come from tallies the store keeps while the rows are added
 * (triage/store_tally.c): querying them read every row of a large log
 * again.
 */
#include <dirent.h>
#include <pthread.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include "shodo/buf.h"
#include "shodo/parse.h"
#include "triage_int.h"

static const char *const all_tables[] = {
	"evtx_stats", "event_counts", "logons", "events", "persistence", "prefetch", "host", "accounts", "policy", "tz_rules",
	"ransom_notes", "services", NULL,
};

/* every category of triage/kinds.h, once */
static const char *const kind_categories[] = {
#define KIND(category, sample, parsed) category,
#include "kinds.h"
#undef KIND
};
static const char *all_categories[sizeof(kind_categories) / sizeof(kind_categories[0]) + 1];
static pthread_once_t categories_once = PTHREAD_ONCE_INIT;

static void categories_init(void)
{
	size_t n = 0;
	for (size_t i = 0; i < sizeof(kind_categories) / sizeof(kind_categories[0]); i++) {
		size_t k = 0;
		while (k < n && strcmp(all_categories[k], kind_categories[i]))
			k++;
		if (k == n)
			all_categories[n++] = kind_categories[i];
	}
	all_categories[n] = NULL;
}

const char *const *shodo_parse_tables(void)
{
	return all_tables;
}

const char *const *shodo_parse_categories(void)
{
	pthread_once(&categories_once, categories_init);
	return all_categories;
}

static int listed(const char *const *list, const char *s)
{
	for (int i = 0; list[i]; i++)
		if (!strcmp(list[i], s))
			return 1;
	return 0;
}

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
	if (shodo_grow(&pl->v, &pl->cap, pl->n + 1) < 0)
		return;
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

/*
 * The queries of the result document, prepared once per run and reset
 * between files: prepared per file, they were (with a read transaction of
 * their own each) a third of the CPU time of shodo parse over many small
 * logs.  Q_ROWS + t is the rows query of all_tables[t].
 */
#define NTABLES (sizeof(all_tables) / sizeof(all_tables[0]) - 1)
enum { Q_STATS, Q_COUNTS, Q_LOGONS, Q_EVENTS, Q_PERSIST, Q_PREFETCH, Q_HOST, Q_ACCOUNTS, Q_POLICY, Q_NOTES, Q_GRADE,
       Q_ROWS, Q_MAX = Q_ROWS + NTABLES };
struct queries {
	sqlite3 *db;
	sqlite3_stmt *s[Q_MAX];
	unsigned indexed;   /* bit i: temp.src_<unindexed[i]> holds its sources */
};

/*
 * The tables read by source that have no index on it: read for every file,
 * each was scanned whole for every file (quadratic in the files of a run:
 * 8 scans of a thousand rows for each of a thousand logs).  For the result
 * phase each gets a temporary index of its rows' sources (temp.src_<table>:
 * source, rowid; the temporary database, never triage's file), and the
 * queries read the rows it names, in rowid order as the scan gave them.
 */
static const char *const unindexed[] = {
	"evtx_stats", "persistence", "prefetch", "host", "accounts", "policy", "tz_rules", "ransom_notes", "services",
	"artifacts", NULL,
};

static void index_sources(struct queries *q)
{
	for (int i = 0; unindexed[i]; i++) {
		char sql[512];
		snprintf(sql, sizeof(sql),
		         "CREATE TEMP TABLE \"src_%s\" AS SELECT source, rowid AS rid FROM main.\"%s\";"
		         " CREATE INDEX temp.\"src_%s_i\" ON \"src_%s\"(source, rid)",
		         unindexed[i], unindexed[i], unindexed[i], unindexed[i]);
		if (sqlite3_exec(q->db, sql, NULL, NULL, NULL) == SQLITE_OK)
			q->indexed |= 1u << i;
	}
}

/* "SELECT cols FROM table WHERE source=?1 ORDER BY rowid[ DESC] tail",
 * through the table's temporary index when it has one */
static const char *by_source(const struct queries *q, char *buf, size_t n, const char *cols, const char *table,
                             int desc, const char *tail)
{
	int i = 0;
	while (unindexed[i] && strcmp(unindexed[i], table))
		i++;
	if (unindexed[i] && (q->indexed & 1u << i))
		snprintf(buf, n, "%s FROM \"%s\" WHERE rowid IN (SELECT rid FROM temp.\"src_%s\" WHERE source=?1)"
		         " ORDER BY rowid%s%s", cols, table, table, desc ? " DESC" : "", tail);
	else
		snprintf(buf, n, "%s FROM \"%s\" WHERE source=?1 ORDER BY rowid%s%s", cols, table, desc ? " DESC" : "",
		         tail);
	return buf;
}

/* the statement for slot i (prepared from sql the first time), reset, with
 * source bound to its first parameter; NULL when it cannot be prepared */
static sqlite3_stmt *query(struct queries *q, int i, const char *sql, const char *source)
{
	if (i < 0 || i >= Q_MAX)
		return NULL;
	if (!q->s[i] && sqlite3_prepare_v2(q->db, sql, -1, &q->s[i], NULL) != SQLITE_OK) {
		sqlite3_finalize(q->s[i]);
		q->s[i] = NULL;
		return NULL;
	}
	sqlite3_reset(q->s[i]);
	sqlite3_bind_text(q->s[i], 1, source, -1, SQLITE_STATIC);
	return q->s[i];
}

static void queries_free(struct queries *q)
{
	for (int i = 0; i < Q_MAX; i++)
		sqlite3_finalize(q->s[i]);
}

static json_t *rows_json(struct queries *q, const char *table, const char *source, int *count)
{
	char sql[512];
	by_source(q, sql, sizeof(sql), "SELECT *", table, 0, "");
	*count = 0;
	int t = 0;
	while (all_tables[t] && strcmp(all_tables[t], table))
		t++;
	sqlite3_stmt *s = all_tables[t] ? query(q, Q_ROWS + t, sql, source) : NULL;
	if (!s)
		return NULL;
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
	sqlite3_reset(s);
	return arr;
}

static void add_line(void *ud, char *line)
{
	json_t *js = json_string(line);
	if (!js) {
		fix_utf8(line);
		js = json_string(line);
	}
	if (js)
		json_array_append_new(ud, js);
}

/* one line per row of sql (bound to the artifact's source): its columns
 * joined by two spaces, NULL as "-" */
static void add_rows(json_t *lines, struct queries *q, int i, const char *sql, const char *src)
{
	sqlite3_stmt *s = query(q, i, sql, src);
	if (!s)
		return;
	while (sqlite3_step(s) == SQLITE_ROW) {
		shodo_buf b = SHODO_BUF_INIT;
		int nc = sqlite3_column_count(s);
		for (int c = 0; c < nc; c++) {
			const char *v = (const char *)sqlite3_column_text(s, c);
			shodo_buf_addf(&b, "%s%s", c ? "  " : "", v ? v : "-");
		}
		char *line = shodo_buf_detach(&b);
		if (line)
			add_line(lines, line);
		free(line);
	}
	sqlite3_reset(s);
}

/* tallied: the store counted logons and events as they were added (the
 * same lines as the queries below, without reading the rows again) */
/* add_rows of "SELECT cols FROM table WHERE source=? tail" (see by_source) */
static void add_rows_of(json_t *lines, struct queries *q, int i, const char *cols, const char *table,
                        const char *tail, const char *src)
{
	char sql[1024];
	add_rows(lines, q, i, q->s[i] ? "" : by_source(q, sql, sizeof(sql), cols, table, 0, tail), src);
}

static void summary_lines(shodo_store *store, struct queries *q, int tallied, const char *src,
                          const char *const *tables, json_t *lines)
{
	if (listed(tables, "evtx_stats"))
		add_rows_of(lines, q, Q_STATS, "SELECT 'records ' || records || ', recovered ' || recovered || ' (' ||"
		            " coalesce(recovered_stored,0) || ' stored), unreadable ' || errors, coalesce(first_time,'?') ||"
		            " ' .. ' || coalesce(last_time,'?')", "evtx_stats", "", src);
	if (listed(tables, "event_counts"))
		add_rows(lines, q, Q_COUNTS, "SELECT 'event ' || event_id, count || 'x', provider FROM event_counts WHERE source=?"
		               " ORDER BY count DESC LIMIT 8", src);
	if (listed(tables, "logons") && !(tallied && shodo_store_tally_lines(store, src, 0, add_line, lines) == 0))
		add_rows(lines, q, Q_LOGONS, "SELECT 'logons ' || result, 'type ' || coalesce(logon_type,'-'), count(*) || 'x',"
		               " 'from ' || coalesce(group_concat(DISTINCT source_ip),'-') FROM logons WHERE source=?"
		               " GROUP BY result, logon_type ORDER BY count(*) DESC LIMIT 12", src);
	if (listed(tables, "events") && !(tallied && shodo_store_tally_lines(store, src, 1, add_line, lines) == 0))
		add_rows(lines, q, Q_EVENTS, "SELECT category, count(*) || 'x', min(time) || ' .. ' || max(time) FROM events"
		               " WHERE source=? AND category NOT LIKE 'logo%' AND category NOT LIKE 'rdp_%'"
		               " GROUP BY category ORDER BY count(*) DESC", src);
	if (listed(tables, "persistence"))
		add_rows_of(lines, q, Q_PERSIST, "SELECT kind, name, command, time", "persistence", " LIMIT 20", src);
	if (listed(tables, "prefetch"))
		add_rows_of(lines, q, Q_PREFETCH, "SELECT executable, 'ran ' || run_count || 'x', 'last ' ||"
		            " coalesce(last_run,'?'), coalesce(path,''), coalesce('FLAG ' || flag,'')", "prefetch", "", src);
	if (listed(tables, "host"))
		add_rows_of(lines, q, Q_HOST, "SELECT key, value", "host", "", src);
	if (listed(tables, "accounts"))
		add_rows_of(lines, q, Q_ACCOUNTS, "SELECT name, 'rid ' || coalesce(rid,'?'), CASE enabled WHEN 1 THEN"
		            " 'enabled' WHEN 0 THEN 'disabled' ELSE '' END, CASE WHEN admin THEN 'ADMIN' ELSE '' END,"
		            " 'last logon ' || coalesce(last_logon,'never'), 'logons ' || coalesce(logon_count,'?'),"
		            " 'bad ' || coalesce(bad_password_count,'?')", "accounts", "", src);
	if (listed(tables, "policy"))
		add_rows_of(lines, q, Q_POLICY, "SELECT key || ' = ' || value", "policy", "", src);
	if (listed(tables, "ransom_notes"))
		add_rows_of(lines, q, Q_NOTES, "SELECT 'ransom note', coalesce(family,'unknown family'), coalesce(emails,''),"
		            " coalesce(onions,'')", "ransom_notes", "", src);
}

/* the grade analyse recorded for one file */
static void file_grade(struct queries *q, const char *src, char *parser, size_t pn, char *status, size_t sn,
                       char *msg, size_t mn)
{
	parser[0] = msg[0] = '\0';
	snprintf(status, sn, "failed");
	char sql[512];
	sqlite3_stmt *s = query(q, Q_GRADE,
	                        q->s[Q_GRADE] ? "" : by_source(q, sql, sizeof(sql), "SELECT parser,status,message",
	                                                       "artifacts", 1, ""),
	                        src);
	if (!s)
		return;
	if (sqlite3_step(s) == SQLITE_ROW) {
		const char *v;
		if ((v = (const char *)sqlite3_column_text(s, 0)))
			snprintf(parser, pn, "%s", v);
		if ((v = (const char *)sqlite3_column_text(s, 1)))
			snprintf(status, sn, "%s", v);
		if ((v = (const char *)sqlite3_column_text(s, 2)))
			snprintf(msg, mn, "%s", v);
	}
	sqlite3_reset(s);
}

/* one file's entry of the result document; 1 when it did not parse whole */
static int file_json(shodo_store *store, struct queries *q, int tallied, const shodo_artifact *a,
                     const char *const *tables, int all_listed, int no_rows, json_t *files)
{
	char parser[64], status[32], msg[1024];
	file_grade(q, a->source, parser, sizeof(parser), status, sizeof(status), msg, sizeof(msg));
	if (!parser[0] && !strcmp(status, "skipped")) {
		snprintf(status, sizeof(status), "failed");
		snprintf(msg, sizeof(msg), "no parser recognises this file");
	}
	json_t *f = json_object();
	json_object_set_new(f, "file", json_string(a->source));
	json_object_set_new(f, "category", a->category ? json_string(a->category) : json_null());
	json_object_set_new(f, "parser", parser[0] ? json_string(parser) : json_null());
	json_object_set_new(f, "status", json_string(status));
	json_object_set_new(f, "message", msg[0] ? json_string(msg) : json_null());
	json_t *lines = json_array();
	summary_lines(store, q, tallied, a->source, tables, lines);
	json_object_set_new(f, "summary", lines);
	for (int t = 0; !no_rows && tables[t]; t++) {
		int cnt = 0;
		json_t *rows = rows_json(q, tables[t], a->source, &cnt);
		if (rows && (cnt || all_listed))
			json_object_set_new(f, tables[t], rows);
		else
			json_decref(rows);
	}
	json_array_append_new(files, f);
	return strcmp(status, "ok") != 0;
}

shodo_status shodo_parse_run(const shodo_parse_opts *o, json_t **result, shodo_err *err)
{
	const char *const *tables = o->tables ? o->tables : all_tables;
	*result = NULL;
	if (o->category && !listed(shodo_parse_categories(), o->category))
		return shodo_err_set(err, SHODO_USAGE, 0, "unknown category '%s'", o->category);
	for (int t = 0; o->tables && tables[t]; t++)
		if (!listed(all_tables, tables[t]))
			return shodo_err_set(err, SHODO_USAGE, 0, "unknown table '%s'", tables[t]);

	struct pathlist pl = {0};
	for (size_t i = 0; i < o->npaths; i++) {
		struct stat st;
		if (lstat(o->paths[i], &st) == 0 && S_ISDIR(st.st_mode))
			walk_dir(&pl, o->paths[i], 0);
		else
			pl_add(&pl, o->paths[i]);
	}
	if (pl.n == 0) {
		pl_free(&pl);
		return shodo_err_set(err, SHODO_USAGE, 0, "no files found");
	}
	shodo_artifact *arts = calloc(pl.n, sizeof(*arts));
	if (!arts) {
		pl_free(&pl);
		return shodo_err_set(err, SHODO_FATAL, ENOMEM, "parse");
	}
	for (size_t i = 0; i < pl.n; i++) {
		struct stat st;
		arts[i].volume = "loose";
		arts[i].path = arts[i].file = arts[i].source = pl.v[i];
		arts[i].category = o->category ? o->category : guess_category(pl.v[i]);
		if (stat(pl.v[i], &st) == 0)
			arts[i].size = (uint64_t)st.st_size;
	}

	shodo_store *store = NULL;
	shodo_status rc = shodo_store_open(o->db ? o->db : ":memory:", &store, err);
	if (rc != SHODO_OK)
		goto out;
	/* a store that already holds rows (--db of an earlier run) is queried */
	int tallied = 0;
	{
		sqlite3_stmt *s = NULL;
		if (sqlite3_prepare_v2(shodo_store_db(store),
		                       "SELECT NOT EXISTS(SELECT 1 FROM logons) AND NOT EXISTS(SELECT 1 FROM events)", -1, &s,
		                       NULL) == SQLITE_OK &&
		    sqlite3_step(s) == SQLITE_ROW)
			tallied = sqlite3_column_int(s, 0);
		sqlite3_finalize(s);
	}
	if (tallied && (rc = shodo_store_tally_start(store, err)) != SHODO_OK)
		goto out;
	shodo_sink quiet = {0};
	shodo_triage_ctx ctx = {0};
	{
		/* no row of a collection waits for its parser (a --db of triage's):
		 * this run writes none, so analyse need not look for one per file */
		sqlite3_stmt *s = NULL;
		if (sqlite3_prepare_v2(shodo_store_db(store),
		                       "SELECT NOT EXISTS(SELECT 1 FROM artifacts WHERE parser IS NULL AND"
		                       " status IN ('collected','partial'))",
		                       -1, &s, NULL) == SQLITE_OK &&
		    sqlite3_step(s) == SQLITE_ROW)
			ctx.no_collected = sqlite3_column_int(s, 0);
		sqlite3_finalize(s);
	}
	ctx.store = store;
	ctx.sink = o->sink ? o->sink : &quiet;
	ctx.cancel = o->cancel;
	rc = shodo_analyse_run(&ctx, arts, pl.n, err);
	if (rc == SHODO_FATAL || rc == SHODO_CANCELLED)
		goto out;
	rc = SHODO_OK;
	/* the rows of one file (and the queried summary): the store builds no
	 * index on logons or events by source for triage, which never asks */
	if ((!o->no_rows || !tallied || !shodo_store_tally_ok(store)) &&
	    (rc = shodo_store_exec(store,
	                           "CREATE INDEX IF NOT EXISTS logons_source ON logons(source, record);"
	                           " CREATE INDEX IF NOT EXISTS events_source ON events(source, record)",
	                           err)) != SHODO_OK)
		goto out;
	json_t *doc = json_object(), *files = json_array();
	/* one read transaction for all the queries (else one each, with its
	 * locks and the check of the file's change counter) */
	struct queries q = {shodo_store_db(store), {NULL}, 0};
	int in_read = shodo_store_exec(store, "BEGIN", NULL) == SHODO_OK;
	index_sources(&q);
	for (size_t i = 0; i < pl.n; i++)
		if (file_json(store, &q, tallied, &arts[i], tables, o->tables != NULL, o->no_rows, files))
			rc = SHODO_WARN;
	queries_free(&q);
	if (in_read)
		shodo_store_exec(store, "COMMIT", NULL);
	json_object_set_new(doc, "files", files);
	json_object_set_new(doc, "store", o->db ? json_string(o->db) : json_null());
	*result = doc;
	if (rc == SHODO_WARN)
		shodo_err_set(err, SHODO_WARN, 0, "some files did not parse whole");
out:
	shodo_store_close(store);
	free(arts);
	pl_free(&pl);
	return rc;
}
