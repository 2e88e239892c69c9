/*
 * triage/scope/notes/notes_int.h — what the parts of the detector share:
 *   decode.c    bytes -> UTF-8 text, folding
 *   strip.c     markup (HTML/HTA, RTF) removed; shodo_note_text()
 *   ioc.c       contacts extracted and validated
 *   families.c  family attribution from strong markers
 *   language.c  language guess
 *   score.c     vocabulary, name and contacts -> verdict; shodo_note_analyse()
 */
#ifndef SHODO_TRIAGE_NOTES_INT_H
#define SHODO_TRIAGE_NOTES_INT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "notes.h"
#include "shodo/buf.h"

/* text is built in a shodo_buf (shodo/buf.h); a character at a time, and
 * a code point as UTF-8: */
static inline void nt_putc(shodo_buf *b, char c) { shodo_buf_add(b, &c, 1); }
void nt_put_cp(shodo_buf *b, uint32_t cp);

/* the next code point of UTF-8 s[*i..n) (advances *i), -1 when invalid */
int32_t nt_utf8_next(const unsigned char *s, size_t n, size_t *i);
/* appends a code point of text, fullwidth forms folded */
void nt_put_text_cp(shodo_buf *b, uint32_t cp);
/* bytes -> UTF-8 (no markup handling); *enc gets the encoding's name */
char *nt_decode_bytes(const unsigned char *d, size_t n, const char **enc);
/* windows-1252 0x80..0x9F as code points */
extern const uint16_t nt_cp1252[32];
/* lower case, single spaces */
char *nt_fold_text(const char *t);

int nt_word_at(const char *text, const char *p, size_t l);
const char *nt_find_word(const char *text, const char *w);
const char *nt_attribute(const char *raw_text, const char *low, const char *lname, char *buf, size_t bufsz);
const char *nt_guess_language(const char *t);

#include <strings.h>
static inline int nt_has_suffix_ci(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && !strcasecmp(s + a - b, suf);
}

#endif
