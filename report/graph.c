/*
 * report/graph.c — lateral movement as a picture: logon sources (RDP type
 * 10, network type 3) to the hosts they reached, laid out by Graphviz
 * (libgvc, "dot") as SVG when the fleet report is written.
 *
 * 2,300 hosts do not fit in one picture, so hosts reached by the same set
 * of sources are one node ("1,840 hosts"): the supplier's server that
 * reached everything is one thick edge into the biggest node.  At most
 * GRAPH_SOURCES sources (those that reached most hosts) and GRAPH_GROUPS
 * host groups are drawn; the rest are counted in the caption.  Sources with
 * many failed logons are drawn red ("brute force").  Each node links to the
 * hosts table filtered by it (#src=K / #grp=K); no value from evidence is
 * ever part of a link, and labels are escaped for DOT here and for SVG by
 * Graphviz.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <graphviz/gvc.h>
#include "graph.h"
#include "shodo/buf.h"

#define GRAPH_SOURCES 24
#define GRAPH_GROUPS 60
#define BRUTE_MIN 10   /* failed logons from one source, across the fleet */

/* a DOT string body: printable text only, \ and " escaped, cut */
static void dot_text(FILE *fp, const char *s, size_t max)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p && n < max; p++) {
		if ((*p & 0xC0) != 0x80)
			n++;
		if (*p < 0x20 || *p == 0x7f)
			fputc('?', fp);
		else if (*p == '\\' || *p == '"')
			fprintf(fp, "\\%c", *p);
		else
			fputc(*p, fp);
	}
	if (s && n >= max && strlen(s) > max)
		fputs("...", fp);
}

static int graph_err(char *msg)
{
	(void)msg;   /* the library prints nothing: the caller says what failed */
	return 0;
}

typedef struct grp {
	char *sig;
	int n;
	char name[128];
} grp;

char *graph_lateral_svg(sqlite3 *w, json_t *sources, char *caption, size_t capsz)
{
	sqlite3_stmt *s = NULL;
	char *dot = NULL, *svg = NULL;
	size_t dl = 0;
	int nsrc = 0, ngrp = 0, total_src = 0, other_hosts = 0;
	grp *g = NULL;
	size_t gcap = 0;
	caption[0] = '\0';
	if (sqlite3_exec(w,
	                 "DROP TABLE IF EXISTS topsrc; CREATE TABLE topsrc(k INTEGER PRIMARY KEY, ip TEXT UNIQUE, ws TEXT,"
	                 " hosts INTEGER, logons INTEGER, first TEXT, failed INTEGER);"
	                 "DROP TABLE IF EXISTS sigs; CREATE TABLE sigs(evidence TEXT PRIMARY KEY, sig TEXT)",
	                 NULL, NULL, NULL) != SQLITE_OK)
		return NULL;
	total_src = (int)rep_qi(w, "SELECT count(DISTINCT source_ip) FROM logons");
	if (!total_src)
		return NULL;
	char q[1024];
	snprintf(q, sizeof(q),
	         "INSERT INTO topsrc(k, ip, ws, hosts, logons, first, failed) SELECT row_number() OVER () - 1, * FROM"
	         " (SELECT source_ip, max(workstation), count(DISTINCT evidence) AS hn, sum(count), min(first),"
	         " (SELECT coalesce(sum(f.count),0) FROM failed f WHERE f.source_ip = l.source_ip)"
	         " FROM logons l GROUP BY source_ip ORDER BY hn DESC, sum(count) DESC LIMIT %d)",
	         GRAPH_SOURCES);
	if (sqlite3_exec(w, q, NULL, NULL, NULL) != SQLITE_OK)
		return NULL;
	/* the hosts each reached by the same set of drawn sources */
	sqlite3_exec(w,
	             "INSERT INTO sigs SELECT h.evidence, (SELECT group_concat(k, ',') FROM (SELECT DISTINCT t.k FROM"
	             " logons l JOIN topsrc t ON t.ip = l.source_ip WHERE l.evidence = h.evidence ORDER BY t.k))"
	             " FROM hosts h WHERE h.primary_ = 1",
	             NULL, NULL, NULL);
	sqlite3_exec(w, "DELETE FROM sigs WHERE sig IS NULL", NULL, NULL, NULL);
	if (sqlite3_prepare_v2(w,
	                       "SELECT sig, count(*), min(coalesce(nullif(h.host,''), h.evidence)) FROM sigs s JOIN hosts h"
	                       " USING(evidence) GROUP BY sig ORDER BY count(*) DESC, sig",
	                       -1, &s, NULL) != SQLITE_OK)
		return NULL;
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (ngrp >= GRAPH_GROUPS) {
			other_hosts += sqlite3_column_int(s, 1);
			continue;
		}
		if (shodo_grow(&g, &gcap, (size_t)ngrp + 1) < 0)
			break;
		g[ngrp].sig = strdup((const char *)sqlite3_column_text(s, 0));
		g[ngrp].n = sqlite3_column_int(s, 1);
		snprintf(g[ngrp].name, sizeof(g[ngrp].name), "%s", (const char *)sqlite3_column_text(s, 2));
		ngrp++;
	}
	sqlite3_finalize(s);
	/* hosts.grp: the group number the table filters by (#grp=K) */
	if (sqlite3_prepare_v2(w, "UPDATE hosts SET grp = ?1 WHERE evidence IN (SELECT evidence FROM sigs WHERE sig = ?2)",
	                       -1, &s, NULL) == SQLITE_OK) {
		for (int i = 0; i < ngrp; i++) {
			sqlite3_reset(s);
			sqlite3_bind_int(s, 1, i);
			sqlite3_bind_text(s, 2, g[i].sig, -1, SQLITE_STATIC);
			sqlite3_step(s);
		}
		sqlite3_finalize(s);
	}

	FILE *fp = open_memstream(&dot, &dl);
	if (!fp)
		goto out;
	fputs("digraph lateral {\n rankdir=LR; ranksep=1.6; nodesep=0.12; bgcolor=\"transparent\";\n"
	      " node [fontname=\"Noto Sans,sans-serif\", fontsize=10, style=filled, shape=box];\n"
	      " edge [fontname=\"Noto Sans,sans-serif\", fontsize=8, color=\"#55555588\"];\n",
	      fp);
	if (sqlite3_prepare_v2(w, "SELECT k, ip, ws, hosts, logons, first, failed FROM topsrc ORDER BY k", -1, &s, NULL) ==
	    SQLITE_OK) {
		while (sqlite3_step(s) == SQLITE_ROW) {
			int k = sqlite3_column_int(s, 0), hosts = sqlite3_column_int(s, 3);
			long long failed = sqlite3_column_int64(s, 6);
			const char *ip = (const char *)sqlite3_column_text(s, 1), *ws = (const char *)sqlite3_column_text(s, 2);
			json_array_append_new(sources, json_string(ip ? ip : ""));
			fprintf(fp, " s%d [id=\"src%d\", URL=\"#src=%d\", shape=%s, fillcolor=\"%s\", label=\"", k, k, k,
			        failed >= BRUTE_MIN ? "octagon" : "box", failed >= BRUTE_MIN ? "#f4b6b0" : "#cfe3f5");
			dot_text(fp, ip, 40);
			if (ws && *ws) {
				fputs("\\n", fp);
				dot_text(fp, ws, 30);
			}
			fprintf(fp, "\\n%d host%s", hosts, hosts == 1 ? "" : "s");
			if (failed >= BRUTE_MIN)
				fprintf(fp, "\\nbrute force: %lld failed", failed);
			fputs("\"];\n", fp);
			nsrc++;
		}
		sqlite3_finalize(s);
	}
	for (int i = 0; i < ngrp; i++) {
		fprintf(fp, " g%d [id=\"grp%d\", URL=\"#grp=%d\", shape=ellipse, fillcolor=\"%s\", label=\"", i, i, i,
		        g[i].n > 1 ? "#fde7c8" : "#eeeeee");
		if (g[i].n == 1)
			dot_text(fp, g[i].name, 30);
		else {
			fprintf(fp, "%d hosts\\n(", g[i].n);
			dot_text(fp, g[i].name, 24);
			fputs(", ...)", fp);
		}
		fputs("\"];\n", fp);
	}
	/* edges: per source, group and logon type */
	if (sqlite3_prepare_v2(w,
	                       "SELECT t.k, s.sig, l.type, sum(l.count), min(l.first), count(DISTINCT l.evidence) FROM logons l"
	                       " JOIN topsrc t ON t.ip = l.source_ip JOIN sigs s ON s.evidence = l.evidence"
	                       " GROUP BY t.k, s.sig, l.type",
	                       -1, &s, NULL) == SQLITE_OK) {
		while (sqlite3_step(s) == SQLITE_ROW) {
			const char *sig = (const char *)sqlite3_column_text(s, 1);
			int gi = -1;
			for (int i = 0; i < ngrp && gi < 0; i++)
				if (!strcmp(g[i].sig, sig ? sig : ""))
					gi = i;
			if (gi < 0)
				continue;
			int type = sqlite3_column_int(s, 2), hosts = sqlite3_column_int(s, 5);
			const char *first = (const char *)sqlite3_column_text(s, 4);
			char ft[32] = "";
			if (first && strlen(first) >= 16)
				snprintf(ft, sizeof(ft), "%.5s %.5s", first + 5, first + 11);
			fprintf(fp, " s%d -> g%d [penwidth=%.1f, color=\"%s\", label=\"type %d: %lld\\nfirst %s\"];\n",
			        sqlite3_column_int(s, 0), gi, 1.0 + 1.5 * log10(1.0 + hosts), type == 10 ? "#c0392b99" : "#2c6fa899",
			        type, sqlite3_column_int64(s, 3), ft);
		}
		sqlite3_finalize(s);
	}
	fputs("}\n", fp);
	if (fclose(fp) != 0)
		goto out;
	snprintf(caption, capsz, "%d of %d sources drawn, %d host groups%s", nsrc, total_src, ngrp,
	         other_hosts ? "" : "");
	if (other_hosts)
		snprintf(caption + strlen(caption), capsz - strlen(caption), "; %d more hosts in smaller groups not drawn",
		         other_hosts);

	agseterr(AGMAX);
	agseterrf(graph_err);
	GVC_t *gvc = gvContext();
	Agraph_t *gr = gvc ? agmemread(dot) : NULL;
	if (gr && gvLayout(gvc, gr, "dot") == 0) {
		char *data = NULL;
		unsigned int len = 0;
		if (gvRenderData(gvc, gr, "svg", &data, &len) == 0 && data) {
			/* from <svg on: no XML prolog or DOCTYPE inside HTML */
			char *start = strstr(data, "<svg");
			if (start)
				svg = strdup(start);
		}
		gvFreeRenderData(data);
		gvFreeLayout(gvc, gr);
	}
	if (gr)
		agclose(gr);
	if (gvc)
		gvFreeContext(gvc);
out:
	for (int i = 0; i < ngrp; i++)
		free(g[i].sig);
	free(g);
	free(dot);
	return svg;
}
