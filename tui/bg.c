/*
 * One background thread for the slow looks the screens want: a peek at
 * each source (volumes, Windows host name and version; at most two
 * seconds each) and image size estimates.  Screens ask and get what is
 * known so far; nothing on screen waits for a disk.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "tui.h"

#define BG_MAX 64

typedef struct bg_state {
	pthread_t th;
	int started;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int stop;
	shodo_cancel cancel;
	tui_peek peeks[BG_MAX];
	int npeeks;
	tui_estimate ests[BG_MAX];
	int nests;
} bg_state;

static void *bg_main(void *arg)
{
	bg_state *b = arg;
	pthread_mutex_lock(&b->mu);
	while (!b->stop) {
		tui_peek *p = NULL;
		tui_estimate *e = NULL;
		for (int i = 0; i < b->npeeks && !p; i++)
			if (b->peeks[i].state == 0)
				p = &b->peeks[i];
		for (int i = 0; i < b->nests && !p && !e; i++)
			if (b->ests[i].state == 0)
				e = &b->ests[i];
		if (!p && !e) {
			pthread_cond_wait(&b->cv, &b->mu);
			continue;
		}
		if (p) {
			char path[512];
			p->state = 1;
			snprintf(path, sizeof(path), "%s", p->path);
			pthread_mutex_unlock(&b->mu);
			shodo_peek *res = calloc(1, sizeof(*res));
			shodo_err err;
			shodo_err_clear(&err);
			shodo_peek_opts po = {path, 2.0, &b->cancel};
			shodo_status st = res ? shodo_triage_peek(&po, res, &err) : SHODO_FATAL;
			pthread_mutex_lock(&b->mu);
			/* the table may have moved meanwhile: find the entry again */
			p = NULL;
			for (int i = 0; i < b->npeeks && !p; i++)
				if (!strcmp(b->peeks[i].path, path))
					p = &b->peeks[i];
			if (!p) {
				free(res);
				continue;
			}
			if (res && st == SHODO_OK) {
				p->p = *res;
				p->state = 2;
			} else {
				ui_sentence(&err, p->error, sizeof(p->error));
				p->state = 3;
			}
			free(res);
		} else {
			char path[512];
			int f = e->format, c = e->compression;
			uint64_t seg = e->segment;
			e->state = 1;
			snprintf(path, sizeof(path), "%s", e->path);
			pthread_mutex_unlock(&b->mu);
			shodo_image_space sz;
			shodo_err err;
			shodo_err_clear(&err);
			shodo_image_opts o;
			shodo_image_opts_init(&o);
			o.source = path;
			o.case_dir = "/";   /* the sizes only; each destination's room is compared by the screens */
			o.format = (shodo_image_format)f;
			o.compression = (shodo_image_compression)c;
			o.segment_size = seg;
			shodo_status st = shodo_image_space_check(&o, &sz, &err);
			if (st != SHODO_OK && (sz.worst_case || sz.expected))
				st = SHODO_OK;   /* "does not fit on /" is no error here */
			pthread_mutex_lock(&b->mu);
			e = NULL;
			for (int i = 0; i < b->nests && !e; i++)
				if (!strcmp(b->ests[i].path, path) && b->ests[i].format == f && b->ests[i].compression == c &&
				    b->ests[i].segment == seg)
					e = &b->ests[i];
			if (!e)
				continue;
			if (st == SHODO_OK) {
				e->size = sz;
				e->state = 2;
			} else {
				ui_sentence(&err, e->error, sizeof(e->error));
				e->state = 3;
			}
		}
	}
	pthread_mutex_unlock(&b->mu);
	return NULL;
}

void bg_start(tui_app *a)
{
	bg_state *b = calloc(1, sizeof(*b));
	if (!b)
		return;
	pthread_mutex_init(&b->mu, NULL);
	pthread_cond_init(&b->cv, NULL);
	b->started = pthread_create(&b->th, NULL, bg_main, b) == 0;
	a->bg = b;
}

void bg_stop(tui_app *a)
{
	bg_state *b = a->bg;
	if (!b)
		return;
	pthread_mutex_lock(&b->mu);
	b->stop = 1;
	shodo_cancel_request(&b->cancel);
	pthread_cond_signal(&b->cv);
	pthread_mutex_unlock(&b->mu);
	if (b->started)
		pthread_join(b->th, NULL);
	pthread_mutex_destroy(&b->mu);
	pthread_cond_destroy(&b->cv);
	free(b);
	a->bg = NULL;
}

int bg_peek(tui_app *a, const char *path, tui_peek *out)
{
	bg_state *b = a->bg;
	memset(out, 0, sizeof(*out));
	if (!b)
		return 3;
	pthread_mutex_lock(&b->mu);
	int k = -1;
	for (int i = 0; i < b->npeeks && k < 0; i++)
		if (!strcmp(b->peeks[i].path, path))
			k = i;
	if (k < 0) {
		if (b->npeeks == BG_MAX) {
			/* forget the oldest look */
			if (b->peeks[0].state == 1) {
				pthread_mutex_unlock(&b->mu);
				return 0;
			}
			memmove(&b->peeks[0], &b->peeks[1], (BG_MAX - 1) * sizeof(b->peeks[0]));
			b->npeeks--;
		}
		k = b->npeeks++;
		memset(&b->peeks[k], 0, sizeof(b->peeks[k]));
		snprintf(b->peeks[k].path, sizeof(b->peeks[k].path), "%s", path);
		pthread_cond_signal(&b->cv);
	}
	*out = b->peeks[k];
	pthread_mutex_unlock(&b->mu);
	return out->state;
}

int bg_estimate(tui_app *a, const char *path, int format, int compression, uint64_t segment, tui_estimate *out)
{
	bg_state *b = a->bg;
	memset(out, 0, sizeof(*out));
	if (!b)
		return 3;
	pthread_mutex_lock(&b->mu);
	int k = -1;
	for (int i = 0; i < b->nests && k < 0; i++)
		if (!strcmp(b->ests[i].path, path) && b->ests[i].format == format && b->ests[i].compression == compression &&
		    b->ests[i].segment == segment)
			k = i;
	if (k < 0) {
		if (b->nests == BG_MAX) {
			if (b->ests[0].state == 1) {
				pthread_mutex_unlock(&b->mu);
				return 0;
			}
			memmove(&b->ests[0], &b->ests[1], (BG_MAX - 1) * sizeof(b->ests[0]));
			b->nests--;
		}
		k = b->nests++;
		memset(&b->ests[k], 0, sizeof(b->ests[k]));
		snprintf(b->ests[k].path, sizeof(b->ests[k].path), "%s", path);
		b->ests[k].format = format;
		b->ests[k].compression = compression;
		b->ests[k].segment = segment;
		pthread_cond_signal(&b->cv);
	}
	*out = b->ests[k];
	pthread_mutex_unlock(&b->mu);
	return out->state;
}
