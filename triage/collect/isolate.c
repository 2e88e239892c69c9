/*
 * A hostile file system cannot end the run: libtsk's work on a volume
 * (opening its file system, walking it, reading files) runs in a child
 * process.  The child never touches the store, the manifest or the caller's
 * sink: it sends messages through a pipe and the parent does every write.
 * When the child crashes (a signal), hangs (no message for the time limit:
 * every entry walked and every block copied ticks, and a tick sends a
 * heartbeat at most once a second) or the run is cancelled, the parent kills
 * it, keeps what it had received (rows, manifest lines, artifacts: each
 * complete, since a message is acted on only when whole), removes a copy
 * that was being written, and marks the volume failed.  The other volumes
 * are triaged as usual and the case folder stays consistent (manifest,
 * SHA256SUMS and custody are written by the parent from what it received).
 *
 * Message: u32 length (little endian) of what follows, one type byte, then
 * fields, each a u32 length (0xffffffff: NULL) and its bytes.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "shodo/buf.h"
#include "collect.h"

struct col_chan {
	int fd;
	unsigned char *buf;
	size_t n, cap;
	size_t msg_start;        /* where the message being built starts */
	double last_flush;
	int broken;              /* the parent went away */
};

static void put(col_chan *ch, const void *p, size_t n)
{
	if (shodo_grow(&ch->buf, &ch->cap, ch->n + n) < 0) {
		ch->broken = 1;
		return;
	}
	memcpy(ch->buf + ch->n, p, n);
	ch->n += n;
}

static void put32(col_chan *ch, uint32_t v)
{
	unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
	                      (unsigned char)(v >> 24)};
	put(ch, b, 4);
}

void col_chan_flush(col_chan *ch)
{
	size_t off = 0;
	/* only whole messages leave: the one being built stays */
	size_t upto = ch->msg_start == (size_t)-1 ? ch->n : ch->msg_start;
	while (off < upto && !ch->broken) {
		ssize_t w = write(ch->fd, ch->buf + off, upto - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			ch->broken = 1;
			break;
		}
		off += (size_t)w;
	}
	memmove(ch->buf, ch->buf + upto, ch->n - upto);
	ch->n -= upto;
	if (ch->msg_start != (size_t)-1)
		ch->msg_start -= upto;
	ch->last_flush = shodo_monotonic();
}

col_chan *col_chan_open(int fd)
{
	col_chan *ch = calloc(1, sizeof(*ch));
	if (!ch)
		return NULL;
	ch->fd = fd;
	ch->msg_start = (size_t)-1;
	ch->last_flush = shodo_monotonic();
	return ch;
}

void col_chan_close(col_chan *ch)
{
	if (!ch)
		return;
	col_chan_flush(ch);
	close(ch->fd);
	free(ch->buf);
	free(ch);
}

void col_msg_begin(col_chan *ch, char type)
{
	ch->msg_start = ch->n;
	put32(ch, 0);
	put(ch, &type, 1);
}

void col_msg_str(col_chan *ch, const char *s)
{
	col_msg_bytes(ch, s, s ? strlen(s) + 1 : 0);
}

void col_msg_bytes(col_chan *ch, const void *p, size_t n)
{
	if (!p) {
		put32(ch, 0xffffffffu);
		return;
	}
	put32(ch, (uint32_t)n);
	put(ch, p, n);
}

void col_msg_i64(col_chan *ch, int64_t v)
{
	char b[32];
	snprintf(b, sizeof(b), "%lld", (long long)v);
	col_msg_str(ch, b);
}

void col_msg_end(col_chan *ch)
{
	if (ch->broken || ch->msg_start == (size_t)-1)
		return;
	uint32_t len = (uint32_t)(ch->n - ch->msg_start - 4);
	unsigned char *p = ch->buf + ch->msg_start;
	p[0] = (unsigned char)len;
	p[1] = (unsigned char)(len >> 8);
	p[2] = (unsigned char)(len >> 16);
	p[3] = (unsigned char)(len >> 24);
	ch->msg_start = (size_t)-1;
	if (ch->n >= (1u << 20))
		col_chan_flush(ch);
}

void col_chan_tick(col_chan *ch)
{
	if (!ch)
		return;
	if (shodo_monotonic() - ch->last_flush >= 1.0) {
		col_msg_begin(ch, 'H');
		col_msg_end(ch);
		col_chan_flush(ch);
	}
}

static void chan_event(const shodo_event *ev, void *ud)
{
	col_chan *ch = ud;
	if (ev->kind == SHODO_EV_PROGRESS) {
		col_msg_begin(ch, 'P');
		col_msg_str(ch, ev->phase);
		col_msg_str(ch, ev->unit);
		col_msg_i64(ch, (int64_t)ev->done);
		col_msg_i64(ch, (int64_t)ev->total);
	} else {
		col_msg_begin(ch, 'E');
		col_msg_i64(ch, ev->kind);
		col_msg_str(ch, ev->phase);
		col_msg_str(ch, ev->msg);
	}
	col_msg_end(ch);
	/* warnings and the end of a phase are worth seeing at once */
	if (ev->kind != SHODO_EV_PROGRESS && ev->kind != SHODO_EV_DEBUG)
		col_chan_flush(ch);
}

void col_chan_sink(col_chan *ch, shodo_sink *s)
{
	memset(s, 0, sizeof(*s));
	s->fn = chan_event;
	s->ud = ch;
}

/* ---- the parent's side ---- */

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int parse_msg(const unsigned char *p, size_t n, col_msg *m)
{
	memset(m, 0, sizeof(*m));
	if (n < 1)
		return -1;
	m->type = (char)p[0];
	size_t o = 1;
	while (o < n) {
		if (m->nf == COL_MSG_MAXF || n - o < 4)
			return -1;
		uint32_t l = get32(p + o);
		o += 4;
		if (l == 0xffffffffu) {
			m->f[m->nf] = NULL;
			m->len[m->nf++] = 0;
			continue;
		}
		if (l > n - o || l == 0 || p[o + l - 1] != 0)
			return -1;
		m->f[m->nf] = (const char *)p + o;
		m->len[m->nf++] = l;
		o += l;
	}
	return 0;
}

int64_t col_msg_int(const col_msg *m, int i)
{
	if (i >= m->nf || !m->f[i])
		return 0;
	char b[32];
	size_t l = m->len[i] < sizeof(b) - 1 ? m->len[i] : sizeof(b) - 1;
	memcpy(b, m->f[i], l);
	b[l] = '\0';
	return strtoll(b, NULL, 10);
}

/* What the kernel says of a child that has been silent, before it is
 * stopped: its state, where it sleeps (wchan: futex_wait_queue for a lock,
 * pipe_write for a full pipe; nothing while it runs) and the CPU time it has
 * used: a loop burns CPU, a deadlock does not.  It goes into the volume's
 * message so that a hang seen once can be told apart from a slow disk. */
static void child_state(pid_t pid, char *out, size_t outsz)
{
	char p[64], st[1024] = "", wchan[64] = "";
	snprintf(p, sizeof(p), "/proc/%d/stat", (int)pid);
	FILE *f = fopen(p, "re");
	if (f) {
		if (!fgets(st, sizeof(st), f))
			st[0] = '\0';
		fclose(f);
	}
	snprintf(p, sizeof(p), "/proc/%d/wchan", (int)pid);
	f = fopen(p, "re");
	if (f) {
		if (!fgets(wchan, sizeof(wchan), f))
			wchan[0] = '\0';
		fclose(f);
	}
	/* after the name in parentheses: state, then 11 fields, utime, stime */
	const char *r = strrchr(st, ')');
	char state = '?';
	unsigned long long ut = 0, stm = 0;
	if (r && sscanf(r + 1, " %c %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %llu %llu", &state, &ut, &stm) != 3)
		ut = stm = 0;
	long hz = sysconf(_SC_CLK_TCK);
	snprintf(out, outsz, "state %c, %s%s, %.2f s of CPU", state, wchan[0] && strcmp(wchan, "0") ? "waiting in " : "",
	         wchan[0] && strcmp(wchan, "0") ? wchan : "running", hz > 0 ? (double)(ut + stm) / (double)hz : 0.0);
}

int col_run_isolated(void (*child)(col_chan *ch, void *arg), void *arg, double timeout, shodo_cancel *cancel,
                     int (*on_msg)(const col_msg *m, void *ud), void *ud, col_child_result *res)
{
	int fds[2];
	memset(res, 0, sizeof(*res));
	if (pipe2(fds, O_CLOEXEC) < 0) {
		res->error = errno;
		return -1;
	}
	fflush(NULL);
	/* the store's thread, if parsing, finishes its job first (analyse.c) */
	shodo_analysis_fork_prepare();
	pid_t pid = fork();
	if (pid == 0)
		shodo_analysis_fork_child();
	else
		shodo_analysis_fork_parent();
	if (pid < 0) {
		res->error = errno;
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		/* the parent's terminal signals reach it: it stops by the cancel token */
		col_chan *ch = col_chan_open(fds[1]);
		if (ch) {
			child(ch, arg);
			col_chan_close(ch);
		}
		_exit(0);
	}
	close(fds[1]);
	unsigned char *buf = NULL;
	size_t n = 0, cap = 0;
	double last = shodo_monotonic();
	int eof = 0;
	while (!eof) {
		struct pollfd pfd = {.fd = fds[0], .events = POLLIN};
		int pr = poll(&pfd, 1, 250);
		if (pr < 0 && errno != EINTR)
			break;
		if (pr > 0) {
			if (shodo_grow(&buf, &cap, n + 65536) < 0) {
				res->error = ENOMEM;
				break;
			}
			ssize_t r = read(fds[0], buf + n, cap - n);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0) {
				eof = 1;
			} else {
				n += (size_t)r;
				last = shodo_monotonic();
			}
			size_t off = 0;
			while (n - off >= 4) {
				uint32_t l = get32(buf + off);
				if (n - off - 4 < l)
					break;
				col_msg m;
				if (parse_msg(buf + off + 4, l, &m) == 0 && m.type != 'H' && on_msg(&m, ud) < 0)
					res->stopped = 1;
				off += 4 + (size_t)l;
			}
			memmove(buf, buf + off, n - off);
			n -= off;
			/* the time the parent spent acting on them (waiting for the
			 * store's thread) is not the child's silence */
			if (r > 0)
				last = shodo_monotonic();
			if (res->stopped)
				break;
		}
		if (!eof && shodo_cancelled(cancel)) {
			res->cancelled = 1;
			break;
		}
		if (!eof && timeout > 0 && shodo_monotonic() - last > timeout) {
			res->timed_out = 1;
			child_state(pid, res->state, sizeof(res->state));
			break;
		}
	}
	close(fds[0]);
	free(buf);
	int st = 0;
	if (!eof)
		kill(pid, SIGKILL);
	/* after its pipe closed the child only exits: wait, but not for ever */
	double t0 = shodo_monotonic();
	pid_t w;
	while ((w = waitpid(pid, &st, eof ? WNOHANG : 0)) == 0) {
		if (shodo_monotonic() - t0 > (timeout > 0 ? timeout : 30)) {
			kill(pid, SIGKILL);
			w = waitpid(pid, &st, 0);
			res->timed_out = 1;
			break;
		}
		usleep(10000);
	}
	if (w == pid) {
		if (WIFSIGNALED(st)) {
			res->signaled = 1;
			res->sig = WTERMSIG(st);
		} else if (WIFEXITED(st)) {
			res->exited = 1;
			res->code = WEXITSTATUS(st);
		}
	}
	return 0;
}

void col_child_describe(const col_child_result *r, double timeout, char *out, size_t outsz)
{
	if (r->error)
		snprintf(out, outsz, "could not start the isolated walk: %s", strerror(r->error));
	else if (r->cancelled)
		snprintf(out, outsz, "cancelled");
	else if (r->timed_out)
		snprintf(out, outsz, "libtsk made no progress for %.0f s (a loop in a damaged or crafted file system?): "
		                     "stopped%s%s%s", timeout, r->state[0] ? " (" : "", r->state, r->state[0] ? ")" : "");
	else if (r->signaled && r->sig != SIGKILL)
		snprintf(out, outsz, "libtsk crashed (%s) on this file system (damaged or crafted?)", strsignal(r->sig));
	else if (r->signaled)
		snprintf(out, outsz, "the walk was killed (%s)", strsignal(r->sig));
	else if (r->exited && r->code)
		snprintf(out, outsz, "the walk ended with status %d", r->code);
	else
		snprintf(out, outsz, "the walk ended early");
}
