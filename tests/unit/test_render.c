/* Unit tests for report/render.c: host local times from Windows zone rules
 * (tests/analysis/timezones.sh compares many more with tzdata), terminal-safe
 * text, HTML escaping. */
#include "unit.h"
#include "report/render.h"
#include "report/page.h"
#include "report/report_int.h"

static char buf[256];

/* a zone from Windows' bytes: StandardStart/DaylightStart as SYSTEMTIME hex */
static render_tz zone(int bias, int dlbias, const char *std, const char *dl)
{
	render_tz z;
	memset(&z, 0, sizeof(z));
	z.known = 1;
	z.rule.bias = bias;
	z.rule.dl_bias = dlbias;
	render_systemtime_hex(std, &z.rule.std_start);
	render_systemtime_hex(dl, &z.rule.dl_start);
	return z;
}
static const char *loc(const char *iso, const render_tz *z) { return render_local(iso, z, buf, sizeof(buf)); }

TEST(local_times)
{
	/* W. Europe: last Sunday of October 03:00, of March 02:00 */
	render_tz we = zone(-60, -60, "00000a00000005000300000000000000", "00000300000005000200000000000000");
	CHECK_STR(loc("2024-03-31T00:59:59Z", &we), "2024-03-31 01:59:59 (UTC+01:00)");
	CHECK_STR(loc("2024-03-31T01:00:00Z", &we), "2024-03-31 03:00:00 (UTC+02:00 DST)");
	CHECK_STR(loc("2024-10-27T00:59:59Z", &we), "2024-10-27 02:59:59 (UTC+02:00 DST)");
	CHECK_STR(loc("2024-10-27T01:00:00Z", &we), "2024-10-27 02:00:00 (UTC+01:00)");
	/* Eastern: first Sunday of November, second Sunday of March, 02:00 */
	render_tz et = zone(300, -60, "00000b00000001000200000000000000", "00000300000002000200000000000000");
	CHECK_STR(loc("2024-03-10T06:59:59Z", &et), "2024-03-10 01:59:59 (UTC-05:00)");
	CHECK_STR(loc("2024-03-10T07:00:00Z", &et), "2024-03-10 03:00:00 (UTC-04:00 DST)");
	CHECK_STR(loc("2024-11-03T05:59:59Z", &et), "2024-11-03 01:59:59 (UTC-04:00 DST)");
	CHECK_STR(loc("2024-11-03T06:00:00Z", &et), "2024-11-03 01:00:00 (UTC-05:00)");
	/* AUS Eastern (southern hemisphere): daylight time over the new year */
	render_tz au = zone(-600, -60, "00000400000001000300000000000000", "00000a00000001000200000000000000");
	CHECK_STR(loc("2025-01-01T00:00:00Z", &au), "2025-01-01 11:00:00 (UTC+11:00 DST)");
	CHECK_STR(loc("2024-07-01T00:00:00Z", &au), "2024-07-01 10:00:00 (UTC+10:00)");
	/* Tokyo: the bias only */
	render_tz tk = zone(-540, 0, "00000000000000000000000000000000", "00000000000000000000000000000000");
	CHECK_STR(loc("2024-07-01T00:00:00.1234567Z", &tk), "2024-07-01 09:00:00 (UTC+09:00)");
	CHECK_STR(loc("garbage", &tk), "");
	CHECK_STR(loc("2024-07-01T00:00:00Z", NULL), "");
}

TEST(terminal_text)
{
	char out[128];
	CHECK_STR(render_txt("EVIL\033[31mRED\r\n", 60, out, sizeof(out)), "EVIL?[31mRED??");
	CHECK_STR(render_txt("a\xc2\x9b" "b", 60, out, sizeof(out)), "a?b");   /* C1 CSI */
	CHECK_STR(render_txt("abcdefghij", 8, out, sizeof(out)), "abcde...");
	CHECK_STR(render_txt("復元方法復元方法", 6, out, sizeof(out)), "復元方...");
	CHECK_STR(render_txt("short", 8, out, sizeof(out)), "short");
	CHECK_STR(render_txt(NULL, 8, out, sizeof(out)), "");
}

TEST(html_escape)
{
	char *p = NULL;
	size_t n = 0;
	FILE *fp = open_memstream(&p, &n);
	render_html(fp, "<script>alert('x')</script> & \"q\"\x01");
	fclose(fp);
	CHECK_STR(p, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;&#xFFFD;");
	free(p);
}

/* Links into the case folder are built from paths, percent-encoded, and
 * never leave it; evidence strings with invalid UTF-8 still reach the page
 * (as U+FFFD) instead of vanishing. */
TEST(page_links_and_strings)
{
	char out[512];
	CHECK_STR(page_href(NULL, "EV1/triage/files/p2@1048576/Users/a b/\"><x>.txt", out, sizeof(out)),
	          "EV1/triage/files/p2%401048576/Users/a%20b/%22%3E%3Cx%3E.txt");
	CHECK_STR(page_href("../../", "EV1/System.evtx", out, sizeof(out)), "../../EV1/System.evtx");
	CHECK_STR(page_href(NULL, "../etc/passwd", out, sizeof(out)), "");
	CHECK_STR(page_href(NULL, "/etc/passwd", out, sizeof(out)), "");
	CHECK_STR(page_href(NULL, "javascript:alert(1)", out, sizeof(out)), "javascript%3Aalert%281%29");
	json_t *j = page_str("ok\xff\xc3\xa9");
	CHECK_STR(json_string_value(j), "ok\xef\xbf\xbd\xc3\xa9");
	json_decref(j);
	j = page_str("\xed\xa0\x80x");   /* a surrogate, not UTF-8 */
	CHECK_STR(json_string_value(j), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdx");
	json_decref(j);
}

/* page_table_json writes as text what page_table's tree dumped (and
 * page_end escaped) wrote, byte for byte, for hostile values in every kind
 * of column: invalid UTF-8, controls, markup, times that are not times,
 * links that climb, numbers that are not numbers; each value twice in a
 * row (the text of a repeated time or link is reused). */
static char *old_text(json_t *t)
{
	char *js = json_dumps(t, JSON_COMPACT), *o = malloc(strlen(js) * 6 + 1), *w = o;
	for (const char *p = js; *p; p++)
		w += *p == '<' ? sprintf(w, "\\u003c") : *p == '>' ? sprintf(w, "\\u003e") : *p == '&' ? sprintf(w, "\\u0026")
		                                                                            : sprintf(w, "%c", *p);
	free(js);
	return o;
}

TEST(page_table_text)
{
	static const char *const vals[] = {
		"", "plain", "q\"b\\s/", "ctl\x01\x1f\x7f", "\b\f\n\r\t", "<script>&amp;</script>", "\xff\xfe", "\xc0\xaf",
		"\xed\xa0\x80", "\xf0\x9f\x98\x80", "\xf4\x90\x80\x80", "\xc3\xa9t\xc3", "\xc2\x85", "12", "-7", "abc",
		"2024-03-31T01:00:00Z", "2024-03-31T01:00:00.1234567Z", "2024-02-30T00:00:00Z", "2024-01-01 10:00",
		"2024-12-31T23:59:60Z", "2024-01-01T00:00:00+09:00", "0999-01-01T00:00:00Z", "1601-01-01T00:00:00Z",
		"text\tQ/files/a b/<x>.txt", "t\t../../Q/x", "t\t../../../../etc/passwd", "\xff\tQ/x", "\tQ/x", "t\t",
		"a\tQ/x\nb\tQ/y\n\n\xe3\x81\x82\tQ/\xe3\x81\x82", NULL};
	sqlite3 *db = NULL;
	CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK);
	sqlite3_exec(db, "CREATE TABLE t(v)", NULL, NULL, NULL);
	sqlite3_stmt *ins = NULL;
	sqlite3_prepare_v2(db, "INSERT INTO t VALUES(?)", -1, &ins, NULL);
	for (int i = 0; vals[i]; i++)
		for (int k = 0; k < 2; k++) {
			sqlite3_bind_text(ins, 1, vals[i], -1, SQLITE_STATIC);
			sqlite3_step(ins);
			sqlite3_reset(ins);
		}
	char big[3100];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	big[2500] = '\t';
	sqlite3_bind_text(ins, 1, big, -1, SQLITE_STATIC);
	sqlite3_step(ins);
	sqlite3_finalize(ins);
	sqlite3_exec(db, "INSERT INTO t VALUES(NULL), (NULL), (3.5), (-9223372036854775807 - 1), (x'00ff41')", NULL, NULL,
	             NULL);
	rep_hostinfo h;
	memset(&h, 0, sizeof(h));
	h.has_bias = 1;
	h.tzr = zone(-60, -60, "00000a00000005000300000000000000", "00000300000005000200000000000000");
	static const char *const specs[] = {"s", "n", "t", "a", "L", "c", "tsnaL", NULL};
	static const char *const heads[] = {"one", "t\xe9te", "<three>", "four", "five", NULL};
	for (int i = 0; specs[i]; i++) {
		const char *sql = strlen(specs[i]) == 1 ? "SELECT v FROM t" : "SELECT v, v, v, v, v FROM t";
		for (int withh = 0; withh < 2; withh++) {
			json_t *t = page_table(db, withh ? &h : NULL, sql, heads, specs[i]);
			if (i == 0)
				json_object_set_new(t, "page", json_integer(100));
			char *want = old_text(t);
			json_decref(t);
			shodo_buf b = SHODO_BUF_INIT;
			long long n = page_table_json(&b, db, withh ? &h : NULL, sql, heads, specs[i], i == 0 ? 100 : 0);
			CHECK_INT(n, 2 * 31 + 6);
			CHECK(!b.failed);
			CHECK_STR(b.p, want);
			shodo_buf_release(&b);
			free(want);
		}
	}
	/* sorted here as SQLite sorts: NULL, numbers, text, blobs; bytes, then
	 * length; equal keys in the query's order */
	static const char *const keys[] = {"substr(v, 1, 3)", "substr(v, 1, 1)", "v", "length(v) % 3", NULL};
	for (int i = 0; keys[i]; i++) {
		char *q1 = sqlite3_mprintf("SELECT v, v, v FROM t ORDER BY %s, rowid", keys[i]);
		char *q2 = sqlite3_mprintf("SELECT %s, v, v, v FROM t ORDER BY rowid", keys[i]);
		json_t *t = page_table(db, &h, q1, heads, "tsa");
		char *want = old_text(t);
		json_decref(t);
		shodo_buf b = SHODO_BUF_INIT;
		CHECK_INT(page_table_json_sorted(&b, db, &h, q2, heads, "tsa", 0), 2 * 31 + 6);
		CHECK_STR(b.p, want);
		shodo_buf_release(&b);
		free(want);
		sqlite3_free(q1);
		sqlite3_free(q2);
	}
	/* no rows at all */
	shodo_buf e = SHODO_BUF_INIT;
	CHECK_INT(page_table_json_sorted(&e, db, &h, "SELECT v, v FROM t WHERE 0", heads, "s", 0), 0);
	CHECK_STR(e.p, "{\"cols\":[\"one\"],\"spec\":\"s\",\"rows\":[]}");
	shodo_buf_release(&e);
	sqlite3_close(db);
	/* the data block: page_end now writes it a key at a time */
	json_t *d = json_pack("{s:[s,s], s:s, s:{s:[i]}}", "window", "<a>", "b&", "kind", "host", "charts", "x", 1);
	char *a = NULL, *want = NULL, *body = old_text(d);
	size_t an = 0;
	FILE *fa = open_memstream(&a, &an);
	page_end(fa, d);
	fclose(fa);
	if (asprintf(&want, "<script type=\"application/json\" id=\"shodo-data\">%s</script>\n<script>", body) > 0)
		CHECK(!strncmp(a, want, strlen(want)));
	free(a);
	free(want);
	free(body);
}

int main(void)
{
	RUN(local_times);
	RUN(terminal_text);
	RUN(html_escape);
	RUN(page_links_and_strings);
	RUN(page_table_text);
	UNIT_END();
}
