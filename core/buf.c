#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shodo/buf.h"

int shodo_array_grow(void *pp, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t nc = *cap ? *cap : 16;
	while (nc < need) {
		if (nc > SIZE_MAX / 2)
			return -1;
		nc *= 2;
	}
	if (!elem || nc > SIZE_MAX / elem)
		return -1;
	void *p;
	memcpy(&p, pp, sizeof(p));
	void *np = realloc(p, nc * elem);
	if (!np)
		return -1;
	memcpy(pp, &np, sizeof(np));
	*cap = nc;
	return 0;
}

static int room(shodo_buf *b, size_t n)
{
	if (n > SIZE_MAX - b->len - 1 || shodo_array_grow(&b->p, &b->cap, b->len + n + 1, 1) < 0) {
		b->failed = 1;
		return -1;
	}
	return 0;
}

int shodo_buf_add(shodo_buf *b, const void *data, size_t n)
{
	if (room(b, n) < 0)
		return -1;
	if (n)
		memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

int shodo_buf_adds(shodo_buf *b, const char *s)
{
	return shodo_buf_add(b, s, strlen(s));
}

int shodo_buf_addf(shodo_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || room(b, (size_t)n) < 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

char *shodo_buf_detach(shodo_buf *b)
{
	char *s = b->p ? b->p : strdup("");
	if (b->failed) {
		free(s);
		s = NULL;
	}
	*b = (shodo_buf)SHODO_BUF_INIT;
	return s;
}

void shodo_buf_release(shodo_buf *b)
{
	if (!b)
		return;
	free(b->p);
	*b = (shodo_buf)SHODO_BUF_INIT;
}
