/*
 * triage/parsers/regutil.h — registry hive helpers over libregf shared by
 * the hive parsers: opening with a clear error, the hive kind from the root
 * key's subkeys (so renamed hives are recognised), typed value getters, and
 * the dirty-hive check (base block sequence numbers).
 */
#ifndef SHODO_PARSERS_REGUTIL_H
#define SHODO_PARSERS_REGUTIL_H

#include <stddef.h>
#include <stdint.h>
#include <libregf.h>
#include "putil.h"

typedef enum reg_kind {
	HIVE_UNKNOWN = 0,
	HIVE_SAM,
	HIVE_SYSTEM,
	HIVE_SOFTWARE,
	HIVE_SECURITY,
	HIVE_NTUSER,
	HIVE_USRCLASS,
	HIVE_AMCACHE,
} reg_kind;

const char *reg_kind_name(reg_kind k);

/* Opens a hive; FAILED with "not a readable registry hive: why" in err. */
shodo_status reg_open(const char *file, libregf_file_t **out, shodo_err *err);
void reg_close(libregf_file_t **f);

/* Hive kind from the root key's subkeys; HIVE_UNKNOWN if the root cannot be
 * read or matches nothing. */
reg_kind reg_kind_of(libregf_file_t *f);
/* Kind a name suggests (artifact path base name, or the file name stored in
 * the base block), for hives whose root cannot be read. */
reg_kind reg_kind_from_name(const char *name);

/* Bid for a parser of hive kind k: 48 when the content says so, 8 when only
 * the name does (so a broken SAM still reaches the SAM parser and fails
 * there with a clear message), 0 otherwise. */
int reg_bid(const shodo_artifact *a, const unsigned char *head, size_t n, reg_kind k);

/* Key by path from the root ("SAM\\Domains\\Account"); NULL if absent. */
libregf_key_t *reg_key(libregf_file_t *f, const char *path);
libregf_key_t *reg_subkey(libregf_key_t *k, const char *path);
void reg_key_free(libregf_key_t **k);

/* Value getters: 1 found, 0 absent or wrong type.  name "" = default value. */
int reg_str(libregf_key_t *k, const char *name, char *out, size_t n);
int reg_u32(libregf_key_t *k, const char *name, uint32_t *out);
/* Binary (any type) data; *len = size copied (up to cap), returns 1. */
int reg_bin(libregf_key_t *k, const char *name, unsigned char *buf, size_t cap, size_t *len);
/* Type of a value (the SAM keeps RIDs there). */
int reg_type(libregf_key_t *k, const char *name, uint32_t *type);
int reg_key_name(libregf_key_t *k, char *out, size_t n);
uint64_t reg_key_time(libregf_key_t *k);

/* Opens a hive for parsing.  When it is dirty its transaction logs are
 * replayed into a temporary copy (hivelog.c), which is opened instead; the
 * collected file is never changed.  lognote gets one sentence for the
 * analyst ("" when the hive is clean): what was replayed, or why nothing
 * could be and what may be missing. */
shodo_status reg_open_hive(const char *file, libregf_file_t **out, char *lognote, size_t n, shodo_err *err);

/* The state of an open hive for the parser's grade: REG_CLEAN; REG_DIRTY
 * (information: the log note says what was replayed or may be missing);
 * REG_DAMAGED (a warning: libregf found damaged cells).  note gets the
 * sentence(s) to report. */
enum { REG_CLEAN = 0, REG_DIRTY = 1, REG_DAMAGED = 2 };
int reg_state(libregf_file_t *f, const char *lognote, char *note, size_t n);

/* Autostart entries into persistence: Run/RunOnce (also Policies\Explorer
 * and Wow6432Node) as kind "run_key", non-default Winlogon Shell/Userinit
 * as "winlogon" (HKLM only).  root is the path of the Software key in the
 * hive ("" for SOFTWARE, "Software\\" for a user hive), label how to name
 * it ("HKLM\\Software", "HKCU\\Software"); account names the user (or
 * NULL).  Adds to *count. */
shodo_status reg_autostarts(libregf_file_t *f, const shodo_artifact *a, shodo_triage_ctx *ctx, const char *root,
                            const char *label, const char *account, int *count, shodo_err *err);

/* UTF-16LE bytes -> UTF-8 (invalid units become U+FFFD). */
void reg_utf16(const unsigned char *p, size_t bytes, char *out, size_t n);

#endif
