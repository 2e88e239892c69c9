/*
 * shodo/parse.h — the triage parsers on loose files (shodo parse): an event
 * log, a prefetch file, a hive, ntds.dit, GptTmpl.inf or a ransom note,
 * without a case folder.  The rows go into a SQLite store (in memory, or a
 * file the caller names) and come back as one JSON document.
 */
#ifndef SHODO_PARSE_H
#define SHODO_PARSE_H

#include <stddef.h>
#include "shodo/event.h"
#include "shodo/json.h"
#include "shodo/status.h"

typedef struct shodo_parse_opts {
	const char *const *paths;     /* files and directories (walked: files only, sorted, links not followed) */
	size_t npaths;
	const char *category;         /* every file is this category; NULL: from the name and content */
	const char *db;               /* keep the rows in this SQLite store (created or appended); NULL: in memory */
	const char *const *tables;    /* tables to return (NULL-terminated); NULL: every table, those with rows */
	const shodo_sink *sink;       /* what each parser did (may be NULL) */
	shodo_cancel *cancel;         /* may be NULL */
	int no_rows;                  /* 1: the document holds no rows (files, grades, summaries): the rows
	                                 of a large log would all be held in memory only to be dropped */
} shodo_parse_opts;

/* The categories --category accepts and the tables --tables accepts
 * (NULL-terminated). */
const char *const *shodo_parse_categories(void);
const char *const *shodo_parse_tables(void);

/* Parses every file.  *result (new reference) is the --json document:
 *   {"files": [{"file", "category", "parser", "status" (ok, warning, failed),
 *               "message", "summary": [lines for a person],
 *               "<table>": [rows] ...}], "store": db or null}
 * (without the "<table>" members when o->no_rows is set).
 * Returns OK (every file parsed), WARN (a file failed or was parsed in
 * part; *result is complete), USAGE (unknown category or table, no file
 * found), FATAL (the store cannot be opened or written) or CANCELLED. */
shodo_status shodo_parse_run(const shodo_parse_opts *o, json_t **result, shodo_err *err);

#endif
