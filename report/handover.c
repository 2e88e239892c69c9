/*
 * report/handover.c — DIR/handover.html (and handover.pdf): the sheet that
 * goes with the evidence to the police.  One page per evidence item at
 * most, printed on A4: the case, each item with its media, hashes as
 * stored and as verified, times, examiner, unreadable sectors, what triage
 * took, the head of the custody chain, the signature status of SHA256SUMS,
 * and spaces for the signatures of who hands over and who receives.
 *
 * The PDF is printed from the HTML by headless Chromium when it is
 * installed (Debian's chromium); shodo does not lay out PDF itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "handover.h"
#include "render.h"
#include "report_int.h"
#include "shodo/hash.h"
#include "shodo/util.h"

extern char **environ;

static const char handover_style[] =
    "@page{size:A4;margin:14mm 14mm 16mm 14mm}"
    "body{font-family:'Noto Sans','Noto Sans CJK JP',system-ui,sans-serif;font-size:10pt;color:#000;margin:0}"
    "h1{font-size:16pt;margin:0 0 .3em}h2{font-size:12pt;margin:1em 0 .3em;border-bottom:1.5px solid #000}"
    "table{border-collapse:collapse;width:100%;margin:.2em 0;page-break-inside:avoid}"
    "th,td{border:1px solid #666;padding:2pt 4pt;text-align:left;vertical-align:top}"
    "th{width:30%;background:#eee;font-weight:600;white-space:normal;word-break:keep-all}"
    ".h{font-family:'DejaVu Sans Mono',monospace;font-size:8.5pt;word-break:break-all}"
    ".item{page-break-inside:avoid;margin-bottom:.6em}"
    ".sig{display:flex;gap:8mm;margin-top:6mm;page-break-inside:avoid}.sig>div{flex:1;border:1px solid #000;"
    "padding:3mm;min-height:45mm}.sig p{margin:0 0 7mm}.bad{font-weight:700}"
    ".muted{color:#444;font-size:9pt}";

static void row(FILE *fp, const char *label, const char *value, int hash)
{
	fputs("<tr><th>", fp);
	render_html(fp, label);
	fprintf(fp, "</th><td%s>", hash ? " class=\"h\"" : "");
	render_html(fp, value && *value ? value : "-");
	fputs("</td></tr>\n", fp);
}

static const char *js(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* the last custody entry of each item for the actions the sheet shows,
 * keyed "action/ID": custody.jsonl is read once (a merged fleet's chain has
 * tens of thousands of entries) */
static json_t *custody_index(const char *dir)
{
	char p[4200];
	size_t n = 0;
	json_t *idx = json_object();
	snprintf(p, sizeof(p), "%s/custody.jsonl", dir);
	char *buf = shodo_read_file(p, &n), *save = NULL;
	for (char *l = buf ? strtok_r(buf, "\n", &save) : NULL; l; l = strtok_r(NULL, "\n", &save)) {
		/* cheap test before parsing: only these actions matter */
		if (!strstr(l, "\"action\":\"triage\"") && !strstr(l, "\"action\":\"merge-item\""))
			continue;
		json_t *e = json_loads(l, 0, NULL);
		const char *ev = js(e, "evidence"), *ac = js(e, "action");
		if (ev && ac) {
			char key[128];
			snprintf(key, sizeof(key), "%s/%s", ac, ev);
			json_object_set(idx, key, e);
		}
		json_decref(e);
	}
	free(buf);
	return idx;
}

static json_t *last_custody(json_t *idx, const char *id, const char *action)
{
	char key[128];
	snprintf(key, sizeof(key), "%s/%s", action, id);
	return json_object_get(idx, key);
}

static void item(FILE *fp, const char *dir, json_t *ev, sqlite3 *w, json_t *idx)
{
	const char *id = js(ev, "id");
	char p[4200], b[512];
	if (!id)
		return;
	fputs("<div class=\"item\"><h2>", fp);
	render_html(fp, _("Evidence item"));
	fputs(" ", fp);
	render_html(fp, id);
	fputs("</h2><table>\n", fp);
	{
		sqlite3_stmt *s = NULL;
		if (sqlite3_prepare_v2(w, "SELECT host, os, items FROM hosts WHERE evidence = ?", -1, &s, NULL) == SQLITE_OK) {
			sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
			if (sqlite3_step(s) == SQLITE_ROW) {
				row(fp, _("host name (from its registry)"), (const char *)sqlite3_column_text(s, 0), 0);
				row(fp, _("operating system"), (const char *)sqlite3_column_text(s, 1), 0);
				const char *items = (const char *)sqlite3_column_text(s, 2);
				if (items && strchr(items, ' '))
					row(fp, _("the same machine as the evidence items"), items, 0);
			}
			sqlite3_finalize(s);
		}
	}
	row(fp, _("added to the case (UTC)"), js(ev, "added"), 0);
	snprintf(p, sizeof(p), "%s/%s/image/acquisition.json", dir, id);
	json_t *a = json_load_file(p, 0, NULL);
	if (a) {
		json_t *src = json_object_get(a, "source"), *meta = json_object_get(a, "metadata");
		json_t *h = json_object_get(a, "hashes"), *v = json_object_get(a, "verification");
		json_t *img = json_object_get(a, "image");
		row(fp, _("source device or file"), js(src, "path"), 0);
		row(fp, _("model"), js(src, "model"), 0);
		row(fp, _("serial number"), js(src, "serial"), 0);
		snprintf(b, sizeof(b), "%lld bytes, sectors of %lld bytes",
		         (long long)json_integer_value(json_object_get(src, "size")),
		         (long long)json_integer_value(json_object_get(src, "sector_size")));
		row(fp, _("media size"), b, 0);
		row(fp, _("examiner"), js(meta, "examiner"), 0);
		row(fp, _("evidence number"), js(meta, "evidence_number"), 0);
		row(fp, _("description"), js(meta, "description"), 0);
		row(fp, _("acquisition started (UTC)"), js(a, "start"), 0);
		row(fp, _("acquisition finished (UTC)"), js(a, "end"), 0);
		snprintf(b, sizeof(b), "%s, %s", js(img, "format") ? js(img, "format") : "?",
		         js(img, "compression") ? js(img, "compression") : "?");
		row(fp, _("image format"), b, 0);
		static const char *const algs[] = {"md5", "sha1", "sha256"};
		for (int i = 0; i < 3; i++) {
			snprintf(b, sizeof(b), "%s %s", algs[i], _("as computed while reading the source"));
			row(fp, b, js(h, algs[i]), 1);
			const char *r = js(v, algs[i]);
			if (r) {
				snprintf(b, sizeof(b), "%s %s", algs[i], _("read back from the image"));
				row(fp, b, r, 1);
			}
		}
		row(fp, _("verification"), js(v, "result") ? js(v, "result") : _("not verified after acquisition"), 0);
		json_t *bad = json_object_get(a, "unreadable");
		long long nb = (long long)json_integer_value(json_object_get(a, "unreadable_bytes"));
		if (json_array_size(bad) || nb)
			snprintf(b, sizeof(b), _("%zu ranges, %lld bytes zero-filled (listed in acquisition.json)"),
			         json_array_size(bad), nb);
		else
			snprintf(b, sizeof(b), "%s", _("none"));
		row(fp, _("unreadable sectors"), b, 0);
		snprintf(b, sizeof(b), "%zu", json_array_size(json_object_get(a, "segments")));
		row(fp, _("image segments (sha256 of each in acquisition.json)"), b, 0);
		json_decref(a);
	} else {
		row(fp, _("image"), _("none in this case folder (triaged without imaging)"), 0);
	}
	json_t *t = last_custody(idx, id, "triage");
	if (t) {
		snprintf(b, sizeof(b), "%s, %s", js(t, "time") ? js(t, "time") : "?", js(t, "examiner") ? js(t, "examiner") : "?");
		row(fp, _("triage (UTC, examiner)"), b, 0);
		row(fp, _("what triage took"), js(t, "detail"), 0);
		snprintf(b, sizeof(b), "%s: %s", js(t, "object") ? js(t, "object") : "?", js(t, "sha256") ? js(t, "sha256") : "-");
		row(fp, _("sha256 of the triage result recorded in custody"), b, 1);
	}
	json_t *m = last_custody(idx, id, "merge-item");
	if (m) {
		row(fp, _("brought into this case by shodo merge"), js(m, "detail"), 0);
	}
	fputs("</table></div>\n", fp);
}

char *handover_html(const char *dir, sqlite3 *w, const char *examiner)
{
	char *out = NULL, p[4200], head[65], now[32], b[512];
	size_t ol = 0;
	FILE *fp = open_memstream(&out, &ol);
	if (!fp)
		return NULL;
	snprintf(p, sizeof(p), "%s/case.json", dir);
	json_t *c = json_load_file(p, 0, NULL);
	int entries = 0;
	if (shodo_case_custody_head(dir, head, &entries, NULL) != SHODO_OK)
		entries = -1;
	fprintf(fp, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">\n"
	            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
	            "<title>",
	        rep_lang());
	render_html(fp, _("Evidence handover sheet"));
	fprintf(fp, "</title><style>%s</style></head><body>\n<h1>", handover_style);
	render_html(fp, _("Evidence handover sheet"));
	fputs("</h1>\n<table>\n", fp);
	row(fp, _("case number"), js(c, "case_number"), 0);
	row(fp, _("description"), js(c, "description"), 0);
	row(fp, _("examiner"), js(c, "examiner") ? js(c, "examiner") : examiner, 0);
	row(fp, _("case folder created (UTC)"), js(c, "created"), 0);
	row(fp, _("this sheet written (UTC)"), shodo_now_iso(now), 0);
	row(fp, _("written by"), "shodo " SHODO_VERSION, 0);
	snprintf(b, sizeof(b), "%zu", json_array_size(json_object_get(c, "evidence")));
	row(fp, _("evidence items"), b, 0);
	if (entries >= 0) {
		snprintf(b, sizeof(b), _("%s (sha256 of entry %d of custody.jsonl, the last before this sheet)"), head, entries);
		row(fp, _("custody chain head"), b, 1);
	} else {
		row(fp, _("custody chain head"), _("custody.jsonl cannot be read"), 0);
	}
	{
		shodo_digests d;
		memset(&d, 0, sizeof(d));
		snprintf(p, sizeof(p), "%s/SHA256SUMS", dir);
		if (shodo_hash_file(p, SHODO_HASH_SHA256, &d, NULL) == SHODO_OK)
			row(fp, _("sha256 of SHA256SUMS before this sheet"), d.sha256, 1);
		snprintf(p, sizeof(p), "%s/SHA256SUMS.sig", dir);
		row(fp, _("signature of SHA256SUMS"),
		    access(p, F_OK) == 0 ? _("present (SHA256SUMS.sig): check with shodo verify DIR --pubkey KEY")
		                         : _("not signed"),
		    0);
	}
	fputs("</table>\n<p class=\"muted\">", fp);
	render_html(fp, _("A second party checks the folder with: cd DIR && sha256sum -c SHA256SUMS; shodo verify DIR. "
	                  "Every time is UTC."));
	fputs("</p>\n", fp);
	size_t i;
	json_t *ev;
	json_t *idx = custody_index(dir);
	json_array_foreach(json_object_get(c, "evidence"), i, ev) item(fp, dir, ev, w, idx);
	json_decref(idx);
	fputs("<div class=\"sig\"><div><p><b>", fp);
	render_html(fp, _("Handed over by"));
	fputs("</b></p>", fp);
	static const char *const lines[] = {N_("name"), N_("organisation"), N_("date and time"), N_("signature")};
	for (int k = 0; k < 4; k++) {
		fputs("<p>", fp);
		render_html(fp, _(lines[k]));
		fputs(":</p>", fp);
	}
	fputs("</div><div><p><b>", fp);
	render_html(fp, _("Received by"));
	fputs("</b></p>", fp);
	for (int k = 0; k < 4; k++) {
		fputs("<p>", fp);
		render_html(fp, _(lines[k]));
		fputs(":</p>", fp);
	}
	fputs("</div></div>\n</body></html>\n", fp);
	json_decref(c);
	if (fclose(fp) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

/* headless Chromium prints html into pdf; 0, or -1 with why */
int handover_pdf(const char *dir, const char *html, const char *pdf, char *why, size_t whysz)
{
	static const char *const browsers[] = {"/usr/bin/chromium", "/usr/bin/chromium-browser", NULL};
	const char *bin = getenv("SHODO_CHROMIUM");
	for (int i = 0; !bin && browsers[i]; i++)
		if (access(browsers[i], X_OK) == 0)
			bin = browsers[i];
	if (!bin || access(bin, X_OK) != 0) {
		snprintf(why, whysz, "no Chromium installed (Debian package chromium)");
		return -1;
	}
	char prof[4200], url[4300], out[4300], ud[4400], tmp[4300];
	snprintf(prof, sizeof(prof), "%s/.shodo/chromium.XXXXXX", dir);
	if (!mkdtemp(prof)) {
		snprintf(why, whysz, "cannot create '%s': %s", prof, strerror(errno));
		return -1;
	}
	char *absdir = realpath(dir, NULL);
	snprintf(url, sizeof(url), "file://%s/%s", absdir ? absdir : dir, html);
	snprintf(tmp, sizeof(tmp), "%s/%s.tmp.%d", dir, pdf, (int)getpid());
	snprintf(out, sizeof(out), "--print-to-pdf=%s", tmp);
	snprintf(ud, sizeof(ud), "--user-data-dir=%s", prof);
	free(absdir);
	char *argv[] = {(char *)bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
	                "--disable-background-networking", "--disable-component-update", "--disable-sync",
	                "--no-pdf-header-footer", "--run-all-compositor-stages-before-draw", ud, out, url, NULL};
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	pid_t pid;
	int rc = -1;
	if (posix_spawn(&pid, bin, &fa, NULL, argv, environ) != 0) {
		snprintf(why, whysz, "cannot start '%s': %s", bin, strerror(errno));
	} else {
		int st = 0, waited = 0;
		/* a printer that hangs must not hang the report: 120 s */
		while (waitpid(pid, &st, WNOHANG) == 0) {
			if (waited++ > 1200) {
				kill(pid, SIGKILL);
				waitpid(pid, &st, 0);
				break;
			}
			struct timespec ts = {0, 100000000};
			nanosleep(&ts, NULL);
		}
		struct stat sb;
		if (WIFEXITED(st) && WEXITSTATUS(st) == 0 && stat(tmp, &sb) == 0 && sb.st_size > 0) {
			char final[4300];
			snprintf(final, sizeof(final), "%s/%s", dir, pdf);
			chmod(tmp, 0600);
			if (rename(tmp, final) == 0)
				rc = 0;
			else
				snprintf(why, whysz, "cannot write '%s': %s", final, strerror(errno));
		} else {
			snprintf(why, whysz, "Chromium did not print the PDF (status %d)", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
		}
		unlink(tmp);
	}
	posix_spawn_file_actions_destroy(&fa);
	/* the browser's profile is not evidence */
	shodo_remove_tree(prof);
	return rc;
}
