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

/* The one reader over libregf (hive parsers and posture alike).  Every
 * accessor treats a libregf error like an absent key or value.
 *
 * Keys: by backslash path from the root ("SAM\\Domains\\Account"; "" = the
 * root), from a key, by name, by index; NULL when absent.  Free with
 * reg_key_free. */
libregf_key_t *reg_key(libregf_file_t *f, const char *path);
libregf_key_t *reg_subkey(libregf_key_t *k, const char *path);
libregf_key_t *reg_child(libregf_key_t *k, const char *name);
int reg_nsub(libregf_key_t *k);
libregf_key_t *reg_sub(libregf_key_t *k, int i);
int reg_path_exists(libregf_file_t *f, const char *path);
void reg_key_free(libregf_key_t **k);
/* Key name (into out / malloc'd), class name (malloc'd), last written FILETIME (0 unknown). */
int reg_key_name(libregf_key_t *k, char *out, size_t n);
char *reg_name_dup(libregf_key_t *k);
char *reg_class_dup(libregf_key_t *k);
uint64_t reg_key_time(libregf_key_t *k);

/* Values: name NULL or "" = the default value.  1 found, 0 absent or wrong type. */
#define REG_ABSENT 0xFFFFFFFFu
uint32_t reg_value_type(libregf_key_t *k, const char *name);   /* REG_ABSENT when absent */
int reg_type(libregf_key_t *k, const char *name, uint32_t *type);
int reg_has_value(libregf_key_t *k, const char *name);
int reg_nvalues(libregf_key_t *k);
char *reg_value_name_dup(libregf_key_t *k, int i);            /* malloc'd; "" for the default value */
/* The i-th value in one read (name and data malloc'd; 1 ok, 0 unreadable):
 * what loops over many values use, lookups by name are linear in libregf */
int reg_value_at(libregf_key_t *k, int i, char **name, uint32_t *type, unsigned char **data, size_t *len);
/* REG_SZ / REG_EXPAND_SZ into out (reg_str); also the first REG_MULTI_SZ
 * string, malloc'd (reg_string_dup). */
int reg_str(libregf_key_t *k, const char *name, char *out, size_t n);
char *reg_string_dup(libregf_key_t *k, const char *name);
/* REG_DWORD / REG_DWORD_BIG_ENDIAN only (reg_u32); also REG_QWORD (low 32
 * bits), 4- or 8-byte REG_BINARY and decimal REG_SZ (reg_dword, reg_qword). */
int reg_u32(libregf_key_t *k, const char *name, uint32_t *out);
int reg_dword(libregf_key_t *k, const char *name, uint32_t *out);
int reg_qword(libregf_key_t *k, const char *name, uint64_t *out);
/* Data of any type: copied into buf (up to cap; *len = bytes copied) or malloc'd. */
int reg_bin(libregf_key_t *k, const char *name, unsigned char *buf, size_t cap, size_t *len);
unsigned char *reg_binary_dup(libregf_key_t *k, const char *name, size_t *len);
/* Shortcuts by path */
int reg_path_dword(libregf_file_t *f, const char *path, const char *name, uint32_t *out);
char *reg_path_string(libregf_file_t *f, const char *path, const char *name);

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

/* UTF-16LE bytes -> UTF-8, stopping at the first NUL (invalid units become
 * U+FFFD): into out, or malloc'd. */
void reg_utf16(const unsigned char *p, size_t bytes, char *out, size_t n);
char *reg_utf16_dup(const unsigned char *p, size_t bytes);

#endif
