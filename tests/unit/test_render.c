/* Unit tests for report/render.c: host local times (with the EU and US
 * daylight-saving rules), terminal-safe text, HTML escaping. */
#include "unit.h"
#include "report/render.h"
#include "report/page.h"

static char buf[256];
static const char *loc(const char *iso, int bias, const char *tz) { return render_local(iso, bias, tz, buf, sizeof(buf)); }

TEST(local_times)
{
	/* W. Europe: CET, CEST from the last Sunday of March 01:00 UTC */
	CHECK_STR(loc("2024-03-31T00:59:59Z", -60, "W. Europe Standard Time"), "2024-03-31 01:59:59 (UTC+01:00)");
	CHECK_STR(loc("2024-03-31T01:00:00Z", -60, "W. Europe Standard Time"), "2024-03-31 03:00:00 (UTC+02:00 DST)");
	CHECK_STR(loc("2024-10-27T00:59:59Z", -60, "W. Europe Standard Time"), "2024-10-27 02:59:59 (UTC+02:00 DST)");
	CHECK_STR(loc("2024-10-27T01:00:00Z", -60, "W. Europe Standard Time"), "2024-10-27 02:00:00 (UTC+01:00)");
	CHECK_STR(loc("2023-07-01T12:00:00Z", 0, "GMT Standard Time"), "2023-07-01 13:00:00 (UTC+01:00 DST)");
	/* Eastern: EST, EDT from the second Sunday of March 02:00 local */
	CHECK_STR(loc("2024-03-10T06:59:59Z", 300, "Eastern Standard Time"), "2024-03-10 01:59:59 (UTC-05:00)");
	CHECK_STR(loc("2024-03-10T07:00:00Z", 300, "Eastern Standard Time"), "2024-03-10 03:00:00 (UTC-04:00 DST)");
	CHECK_STR(loc("2024-11-03T05:59:59Z", 300, "Eastern Standard Time"), "2024-11-03 01:59:59 (UTC-04:00 DST)");
	CHECK_STR(loc("2024-11-03T06:00:00Z", 300, "Eastern Standard Time"), "2024-11-03 01:00:00 (UTC-05:00)");
	/* Tokyo and unknown zones: the bias only */
	CHECK_STR(loc("2024-07-01T00:00:00.1234567Z", -540, "Tokyo Standard Time"), "2024-07-01 09:00:00 (UTC+09:00)");
	CHECK_STR(loc("2024-07-01T00:00:00Z", -330, NULL), "2024-07-01 05:30:00 (UTC+05:30)");
	CHECK_STR(loc("garbage", 0, NULL), "");
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

int main(void)
{
	RUN(local_times);
	RUN(terminal_text);
	RUN(html_escape);
	RUN(page_links_and_strings);
	UNIT_END();
}
