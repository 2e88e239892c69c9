/*
 * shodo/buf.h — the growing buffers: a string that grows as it is appended
 * to, and capacity for arrays.  Both double their room and never lose what
 * they hold when memory runs out: the call fails, the old contents stay.
 *
 *   shodo_buf b = SHODO_BUF_INIT;
 *   shodo_buf_addf(&b, "%s  %s\n", hash, name);
 *   ... b.p, b.len ...
 *   shodo_buf_release(&b);
 *
 *   if (shodo_grow(&v, &cap, n + 1) < 0) goto fail;   (T *v; size_t n, cap)
 *   v[n++] = x;
 */
#ifndef SHODO_BUF_H
#define SHODO_BUF_H

#include <stddef.h>

typedef struct shodo_buf {
	char *p;       /* NUL-terminated once anything was added; NULL before */
	size_t len;    /* bytes held, without the NUL */
	size_t cap;    /* bytes allocated */
	int failed;    /* 1 once an addition ran out of memory (later ones still try) */
} shodo_buf;
#define SHODO_BUF_INIT {NULL, 0, 0, 0}

/* Append bytes / a string / printf output.  0, or -1 when out of memory (the
 * buffer keeps what it had and b->failed is set). */
int shodo_buf_add(shodo_buf *b, const void *data, size_t n);
int shodo_buf_adds(shodo_buf *b, const char *s);
int shodo_buf_addf(shodo_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the string over (malloc'd, "" for an empty buffer, NULL when out of
 * memory) and leaves b empty. */
char *shodo_buf_detach(shodo_buf *b);
/* Frees the string and leaves b empty; NULL-safe. */
void shodo_buf_release(shodo_buf *b);

/* Makes room for need elements of elem bytes in the array *pp (any T **)
 * whose capacity is *cap (doubling, 16 at first).  0, or -1 when out of
 * memory or on size overflow, with *pp and *cap unchanged. */
int shodo_array_grow(void *pp, size_t *cap, size_t need, size_t elem);
#define shodo_grow(pp, cap, need) shodo_array_grow((pp), (cap), (need), sizeof(**(pp)))

#endif
