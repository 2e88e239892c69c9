/*
 * report/graph.h — the lateral movement picture of the fleet view.
 */
#ifndef SHODO_REPORT_GRAPH_H
#define SHODO_REPORT_GRAPH_H

#include <stddef.h>
#include <jansson.h>
#include "report_int.h"

/* From the fleet work database (tables hosts, logons, failed): an inline
 * <svg> (malloc'd; NULL when there is no remote logon or Graphviz failed).
 * Appends the drawn sources' addresses to sources (index K of "#src=K")
 * and sets hosts.grp (index K of "#grp=K"); caption says what was left
 * out. */
char *graph_lateral_svg(sqlite3 *w, json_t *sources, char *caption, size_t capsz);

#endif
