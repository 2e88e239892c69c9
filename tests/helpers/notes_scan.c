/*
 * notes_scan FILE... — runs the ransom-note detector on files (or, with -,
 * on the paths read from stdin, one per line) and prints one tab-separated
 * line per file: verdict, score, family, language, encoding, contacts
 * counts, reasons, path.  Used by bench/notes.sh and tests/analysis.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "triage/scope/notes/notes.h"

static int count(const char *l)
{
	int c = 0;
	for (const char *p = l; p && *p; p++)
		if (p == l || p[-1] == ' ')
			c++;
	return c;
}

static void one(const char *path)
{
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		printf("error\t0\t-\t-\t-\t0\t0\t0\t0\t0\t-\t%s\n", path);
		return;
	}
	size_t cap = 1 << 20;
	unsigned char *buf = malloc(cap);
	size_t n = buf ? fread(buf, 1, cap, fp) : 0;
	fclose(fp);
	shodo_note r;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	if (!buf || shodo_note_analyse(base, buf, n, &r)) {
		printf("error\t0\t-\t-\t-\t0\t0\t0\t0\t0\t-\t%s\n", path);
		free(buf);
		return;
	}
	printf("%s\t%d\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%s\t%s\n", r.is_note ? "note" : "benign", r.score,
	       r.family ? r.family : "-", r.language, r.encoding, count(r.emails), count(r.onions), count(r.btc),
	       count(r.tox), count(r.xmr), r.reasons, path);
	if (getenv("NOTES_SCAN_VERBOSE"))
		printf("  emails=%s\n  onions=%s\n  btc=%s\n  tox=%s\n  xmr=%s\n  session=%s\n  urls=%s\n", r.emails,
		       r.onions, r.btc, r.tox, r.xmr, r.session, r.urls);
	shodo_note_free(&r);
	free(buf);
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-")) {
			char line[8192];
			while (fgets(line, sizeof(line), stdin)) {
				line[strcspn(line, "\n")] = 0;
				if (*line)
					one(line);
			}
		} else {
			one(argv[i]);
		}
	}
	return 0;
}
