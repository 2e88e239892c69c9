/* Unit tests for report/render.c: host local times from Windows zone rules
 * (tests/analysis/timezones.sh compares many more with tzdata), terminal-safe
 * text, HTML escaping. */
#include "unit.h"
#include "report/render.h"
#include "report/page.h"

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

int main(void)
{
	RUN(local_times);
	RUN(terminal_text);
	RUN(html_escape);
	RUN(page_links_and_strings);
	UNIT_END();
}
