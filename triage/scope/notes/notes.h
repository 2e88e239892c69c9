/*
 * triage/scope/notes/notes.h — ransom-note detection.
 *
 * A candidate file is judged by its content and its name together:
 *   1. the bytes are decoded to UTF-8 text (ASCII, UTF-8, UTF-16 with or
 *      without BOM, Latin-1 fallback; HTML/HTA tags and RTF control words
 *      stripped, entities decoded, fullwidth forms folded);
 *   2. features are scored: ransom vocabulary in several languages
 *      (grouped so that one theme cannot dominate), validated IOCs (onion
 *      v2/v3 with checksum, bitcoin base58check and bech32/bech32m, Tox IDs
 *      with checksum, Monero, Session IDs, e-mail addresses), and the file
 *      name (README, HOW_TO_DECRYPT, !!!, random IDs);
 *   3. a family is attributed only from strong markers (self-naming,
 *      distinctive phrases, note names), never from the score.
 * No state, no I/O: callers pass bytes.
 */
#ifndef SHODO_TRIAGE_NOTES_H
#define SHODO_TRIAGE_NOTES_H

#include <stddef.h>

/* Score at and above which a file is called a ransom note. */
#define SHODO_NOTE_THRESHOLD 60

typedef struct shodo_note {
	int score;             /* 0..100 */
	int is_note;           /* score >= SHODO_NOTE_THRESHOLD (and content evidence) */
	int content_score;     /* vocabulary part */
	int ioc_score;         /* contacts part */
	int name_score;        /* file-name part */
	const char *family;    /* static string or family_buf, or NULL when not attributable */
	const char *language;  /* "en", "ja", "de", ... or "und" */
	const char *encoding;  /* "ascii", "utf-8", "utf-16le", ... */
	/* space-separated, de-duplicated, malloc'd (never NULL after analyse) */
	char *emails, *onions, *btc, *tox, *xmr, *session, *urls;
	char reasons[512];     /* the features that fired, for the report */
	char family_buf[48];   /* storage when the family is the note's own signature */
} shodo_note;

/* Analyses one candidate.  name is the file name (base name or path, UTF-8),
 * data/n its bytes (callers cap n; 1 MiB is plenty).  Returns 0, or -1 when
 * out of memory. */
int shodo_note_analyse(const char *name, const unsigned char *data, size_t n, shodo_note *out);
void shodo_note_free(shodo_note *r);
/* The file-name part of the score alone (0..40): README, HOW_TO_DECRYPT,
 * !!!, random IDs. */
int shodo_note_name_score(const char *name);

/* Decodes bytes to NUL-terminated UTF-8 text with markup removed (see
 * above).  *encoding (may be NULL) receives a static name.  malloc'd. */
char *shodo_note_text(const unsigned char *data, size_t n, const char *name, const char **encoding);

/* IOC validators, exposed for tests. */
int shodo_btc_valid(const char *addr, size_t len);     /* base58check P2PKH/P2SH or bech32(m) bc1 */
int shodo_onion_valid(const char *host, size_t len);   /* "xxxx.onion" host: 2 = v2, 3 = v3, 0 = no */
int shodo_tox_valid(const char *hex, size_t len);      /* 76 hex digits with a good checksum */

/* Scans text for IOCs and appends them (space-separated, de-duplicated) to
 * the lists in r; used by analyse, exposed for tests. */
int shodo_note_extract(const char *text, shodo_note *r);

#endif
