/*
 * triage/parsers/putil.h — helpers the artifact parsers share: libyal error
 * text, little-endian reads, times, the XML field getter for event records,
 * and the store writers for the tables several parsers fill.
 */
#ifndef SHODO_PARSERS_PUTIL_H
#define SHODO_PARSERS_PUTIL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "core/libyal.h"
#include "triage/triage_int.h"

/* A libyal error chain as one short line (core/libyal.h). */
#define PUTIL_YAL_MSG(lib, error, out, n) shodo_libyal_msg((void *)(error), SHODO_LIBYAL(lib), (out), (n))

static inline uint16_t le16(const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }
static inline uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t le64(const unsigned char *p) { return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32; }

/* FILETIME -> ISO text into out (48 bytes); "" for 0 and for values that are
 * not plausible times (before 1970 or after 2200, or all ones). */
char *putil_ft(uint64_t ft, char out[48]);

/* Case-insensitive substring search (ASCII). */
const char *putil_strcasestr(const char *hay, const char *needle);
/* Case-insensitive "ends with". */
int putil_endswith(const char *s, const char *suffix);
/* Last path component (after '/' or '\\'). */
const char *putil_basename(const char *path);

/* Event record XML (as libevtx/libevt render it): the text of
 * <Data Name="name">...</Data> or, failing that, of the first element
 * <name>...</name>, with XML entities decoded.  Returns 1 when found (out
 * may be empty), 0 when absent.  out is always terminated. */
int putil_xml_field(const char *xml, const char *name, char *out, size_t n);
/* Decodes &amp; &lt; &gt; &quot; &apos; &#N; &#xN; in place. */
void putil_xml_unescape(char *s);

/* Appends s to a growing, NUL-terminated buffer (*buf, *len, *cap).  Returns
 * 0, or -1 when out of memory or when max would be exceeded (nothing added). */
int putil_append(char **buf, size_t *len, size_t *cap, const char *s, size_t max);

/* ---- store writers (prepared statements cached by the store) ---- */
shodo_status putil_host(shodo_triage_ctx *ctx, const shodo_artifact *a, const char *key, const char *value,
                        shodo_err *err);
shodo_status putil_policy(shodo_triage_ctx *ctx, const shodo_artifact *a, const char *origin, const char *key,
                          const char *value, shodo_err *err);



/* Command lines that delete backups, evade defences, add accounts or move
 * laterally: a short label ("delete shadow copies") or NULL. */
const char *putil_suspicious_cmdline(const char *cmd);
/* 1 when a command line runs from a folder users can write to (Users,
 * AppData, Temp, ProgramData, Public, ...). */
int putil_user_writable(const char *cmd);
/* Known attacker and admin tools by executable name ("MIMIKATZ.EXE"):
 * "credential theft: mimikatz" style label, or NULL. */
const char *putil_tool_flag(const char *exe);
#endif
