/* Sorted, merged list of unreadable byte ranges. */
#include <stdlib.h>
#include <string.h>
#include "shodo/buf.h"
#include "imager_int.h"

void img_bad_add(img_badlist *b, uint64_t off, uint64_t len)
{
	if (!len)
		return;
	size_t i = 0;
	while (i < b->n && b->r[i].off + b->r[i].len < off)
		i++;
	if (i < b->n && b->r[i].off <= off + len) {
		/* touches or overlaps range i: merge, then swallow followers */
		uint64_t end = off + len;
		if (b->r[i].off + b->r[i].len > end)
			end = b->r[i].off + b->r[i].len;
		if (off > b->r[i].off)
			off = b->r[i].off;
		size_t j = i + 1;
		while (j < b->n && b->r[j].off <= end) {
			if (b->r[j].off + b->r[j].len > end)
				end = b->r[j].off + b->r[j].len;
			j++;
		}
		b->r[i].off = off;
		b->r[i].len = end - off;
		memmove(&b->r[i + 1], &b->r[j], (b->n - j) * sizeof(img_range));
		b->n -= j - (i + 1);
	} else {
		if (shodo_grow(&b->r, &b->cap, b->n + 1) < 0)
			return;
		memmove(&b->r[i + 1], &b->r[i], (b->n - i) * sizeof(img_range));
		b->r[i].off = off;
		b->r[i].len = len;
		b->n++;
	}
	b->total = 0;
	for (size_t k = 0; k < b->n; k++)
		b->total += b->r[k].len;
}

int img_bad_covers(const img_badlist *b, uint64_t off, uint64_t len)
{
	for (size_t i = 0; i < b->n; i++)
		if (b->r[i].off <= off && off + len <= b->r[i].off + b->r[i].len)
			return 1;
	return 0;
}

void img_bad_cut(img_badlist *b, uint64_t off)
{
	size_t k = 0;
	b->total = 0;
	for (size_t i = 0; i < b->n; i++) {
		if (b->r[i].off >= off)
			continue;
		b->r[k] = b->r[i];
		if (b->r[k].off + b->r[k].len > off)
			b->r[k].len = off - b->r[k].off;
		b->total += b->r[k++].len;
	}
	b->n = k;
}

void img_bad_free(img_badlist *b)
{
	free(b->r);
	memset(b, 0, sizeof(*b));
}
