/*
 * triage/posture/posture_int.h — what the posture modules share: the finding
 * writer, and the SAM decryption entry points (triage/posture/samkeys.c).
 */
#ifndef SHODO_POSTURE_INT_H
#define SHODO_POSTURE_INT_H

#include <stddef.h>
#include <stdint.h>
#include <libregf.h>
#include "triage/triage_int.h"
#include "triage/parsers/regutil.h"

/* ---- registry: the one reader over libregf (triage/parsers/regutil.h) ---- */

/* ---- findings (triage/posture/posture.c) ---- */
typedef struct posture_host {
	shodo_triage_ctx *ctx;
	const char *volume;
	const char *sys_src, *soft_src, *sam_src, *sec_src;  /* artifact source columns */
	const char *sys_path, *soft_path, *sam_path, *sec_path; /* original paths */
	libregf_file_t *sys, *soft, *sam, *sec;
	char ccs[32];           /* "ControlSet001" */
	uint32_t build;         /* OS build number, 0 unknown */
	int role;               /* 0 unknown, 1 workstation, 2 server, 3 domain controller */
	int nfindings;
} posture_host;

/* Adds one finding row.  evidence is printf-formatted. */
void posture_add(posture_host *h, const char *severity, const char *area, const char *finding,
                 const char *value, const char *remedy, const char *source, const char *evfmt, ...)
	__attribute__((format(printf, 8, 9)));

/* SAM users (posture_accounts.c) */
typedef struct sam_user {
	uint32_t rid;
	uint16_t acb;        /* account control bits from F (0x0001 disabled) */
	int have_f;
	char name[128];
} sam_user;
int posture_sam_users(libregf_file_t *sam, sam_user **out);   /* count; *out malloc'd */
size_t posture_sid_str(const unsigned char *p, size_t n, char *out, size_t outsz);

/* per-area checks, each reads what it needs and adds findings */
void posture_check_system(posture_host *h);     /* posture.c: SYSTEM + SOFTWARE */
void posture_check_accounts(posture_host *h);   /* posture_accounts.c: SAM (+ policy table) */
/* posture_creds.c: keyed digests of local NT hashes, blank passwords */
shodo_status posture_credentials(posture_host *h, shodo_err *err);
/* posture_reuse.c: reuse_review rows from the files table and artifacts */
shodo_status posture_reuse_run(shodo_triage_ctx *ctx, const shodo_artifact *arts, size_t n, shodo_err *err);
/* reuse review kind of a file name by extension (NULL = not reviewed) and
 * whether a path lies where ordinary users can write */
const char *posture_review_kind(const char *name);
int posture_user_writable(const char *path);
/* the case folder of a triage run */
void posture_case_dir(shodo_triage_ctx *ctx, char *out, size_t outsz);
/* 32-byte per-case key at DIR/.shodo/credential.key, created 0600 once */
shodo_status posture_case_key(const char *case_dir, int create, unsigned char key[32], shodo_err *err);
/* "key id": first 16 hex digits of SHA-256("shodo credential key id" || key) */
void posture_key_id(const unsigned char key[32], char out[17]);

/* ---- SAM decryption (triage/posture/samkeys.c) ----
 * Everything secret lives in a samkeys struct that the caller wipes with
 * samkeys_wipe.  Nothing here writes or logs a key or hash. */
typedef struct samkeys {
	unsigned char bootkey[16];
	unsigned char samkey[16];
	int have_boot, have_sam;
	int revision;        /* 1 RC4/MD5, 2 AES */
	void *libctx;        /* OSSL_LIB_CTX with the legacy provider */
	void *prov_legacy, *prov_default;
} samkeys;

shodo_status samkeys_init(samkeys *k, shodo_err *err);
void samkeys_wipe(samkeys *k);
/* boot key from SYSTEM\<ccs>\Control\Lsa\{JD,Skew1,GBG,Data} class names */
shodo_status samkeys_bootkey(samkeys *k, libregf_file_t *sys, const char *ccs, shodo_err *err);
/* SAM key from SAM\SAM\Domains\Account F (root-relative path given) */
shodo_status samkeys_samkey(samkeys *k, const unsigned char *f, size_t flen, shodo_err *err);
/* NT hash of one user from its V value.  Returns 1 with nt filled, 0 when
 * the account stores no NT hash, -1 on error (err set). */
int samkeys_nthash(samkeys *k, uint32_t rid, const unsigned char *v, size_t vlen, unsigned char nt[16],
                   shodo_err *err);

#endif
