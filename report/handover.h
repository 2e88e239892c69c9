/*
 * report/handover.h — the handover sheet of a case folder.
 */
#ifndef SHODO_REPORT_HANDOVER_H
#define SHODO_REPORT_HANDOVER_H

#include <stddef.h>
#include <sqlite3.h>

/* handover.html of the case folder dir (malloc'd), from case.json, each
 * item's acquisition.json, custody.jsonl and the fleet work database w. */
char *handover_html(const char *dir, sqlite3 *w, const char *examiner);
/* prints dir/html into dir/pdf with headless Chromium; 0, or -1 with why */
int handover_pdf(const char *dir, const char *html, const char *pdf, char *why, size_t whysz);

#endif
