#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include "shodo/buf.h"
#include "shodo/json.h"
#include "shodo/util.h"

char *shodo_time_iso(time_t t, char out[32])
{
	struct tm tm;
	if (!gmtime_r(&t, &tm)) {
		out[0] = '\0';
		return out;
	}
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return out;
}

char *shodo_time_iso_ns(time_t t, long nsec, char out[48])
{
	struct tm tm;
	if (!gmtime_r(&t, &tm)) {
		out[0] = '\0';
		return out;
	}
	if (nsec <= 0) {
		strftime(out, 48, "%Y-%m-%dT%H:%M:%SZ", &tm);
	} else {
		char base[32];
		strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
		/* 100 ns resolution is what NTFS and FILETIME carry */
		snprintf(out, 48, "%s.%07ldZ", base, (nsec / 100) % 10000000L);
	}
	return out;
}

#define FILETIME_UNIX_DIFF 116444736000000000ULL

int64_t shodo_filetime_to_unix(uint64_t ft)
{
	return ((int64_t)ft - (int64_t)FILETIME_UNIX_DIFF) / 10000000LL;
}

char *shodo_filetime_iso(uint64_t ft, char out[48])
{
	if (ft == 0) {
		out[0] = '\0';
		return out;
	}
	int64_t rel = (int64_t)ft - (int64_t)FILETIME_UNIX_DIFF;
	int64_t secs = rel / 10000000LL, frac = rel % 10000000LL;
	if (frac < 0) {
		frac += 10000000LL;
		secs--;
	}
	return shodo_time_iso_ns((time_t)secs, (long)frac * 100, out);
}

char *shodo_now_iso(char out[32])
{
	return shodo_time_iso(time(NULL), out);
}

int64_t shodo_days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int64_t)era * 146097 + doe - 719468;
}

int shodo_digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int shodo_parse_iso(const char *s, time_t *out)
{
	int Y, M, D, h = 0, mi = 0, sec = 0, n = 0;
	const char *p;
	long off = 0;
	/* the usual form, "2024-03-01T22:10:05[.1234567][Z]", digit by digit:
	 * the report reads every time of the timeline, and sscanf was 1.6 % of a
	 * whole triage; read left to right, nothing past a short string's end.
	 * The general reading below gives the same for this form. */
	if ((Y = shodo_digits(s, 4)) >= 0 && s[4] == '-' && (M = shodo_digits(s + 5, 2)) >= 0 && s[7] == '-' &&
	    (D = shodo_digits(s + 8, 2)) >= 0 && (s[10] == 'T' || s[10] == ' ') && (h = shodo_digits(s + 11, 2)) >= 0 &&
	    s[13] == ':' && (mi = shodo_digits(s + 14, 2)) >= 0 && s[16] == ':' && (sec = shodo_digits(s + 17, 2)) >= 0) {
		p = s + 19;
		if (*p == '.')
			for (p++; isdigit((unsigned char)*p); p++)
				;
		if (*p == 'Z')
			p++;
		if (!*p)
			goto check;
	}
	h = mi = sec = 0;
	if (sscanf(s, "%4d-%2d-%2d%n", &Y, &M, &D, &n) != 3)
		return -1;
	p = s + n;
	if (*p == 'T' || *p == ' ') {
		int k = 0;
		if (sscanf(p + 1, "%2d:%2d%n", &h, &mi, &k) != 2)
			return -1;
		p += 1 + k;
		if (*p == ':') {
			if (sscanf(p + 1, "%2d%n", &sec, &k) != 1)
				return -1;
			p += 1 + k;
			if (*p == '.')
				for (p++; isdigit((unsigned char)*p); p++)
					;
		}
	}
	if (*p == 'Z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int oh = 0, om = 0;
		if (sscanf(p + 1, "%2d:%2d", &oh, &om) < 1)
			return -1;
		off = (oh * 3600L + om * 60L) * (*p == '-' ? -1 : 1);
		p += strlen(p);
	}
	if (*p)
		return -1;
check:
	if (M < 1 || M > 12 || D < 1 || D > 31 || h > 23 || mi > 59 || sec > 60)
		return -1;
	*out = (time_t)shodo_days_from_civil(Y, M, D) * 86400 + h * 3600 + mi * 60 + sec - off;
	return 0;
}

uint64_t shodo_parse_size(const char *s)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || v <= 0)
		return 0;
	double mul = 1;
	switch (toupper((unsigned char)*end)) {
	case 'K': mul = 1024.0; end++; break;
	case 'M': mul = 1024.0 * 1024; end++; break;
	case 'G': mul = 1024.0 * 1024 * 1024; end++; break;
	case 'T': mul = 1024.0 * 1024 * 1024 * 1024; end++; break;
	case '\0': break;
	default: return 0;
	}
	if (*end == 'i' || *end == 'I')
		end++;
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end)
		return 0;
	return (uint64_t)(v * mul);
}

char *shodo_fmt_size(uint64_t n, char out[32])
{
	static const char *const u[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
	double v = (double)n;
	int i = 0;
	while (v >= 1024 && i < 5) {
		v /= 1024;
		i++;
	}
	if (i == 0)
		snprintf(out, 32, "%llu B", (unsigned long long)n);
	else
		snprintf(out, 32, "%.1f %s", v, u[i]);
	return out;
}

void shodo_read_line(const char *path, char *out, size_t outsz)
{
	FILE *fp = fopen(path, "re");
	out[0] = '\0';
	if (!fp)
		return;
	if (fgets(out, (int)outsz, fp)) {
		size_t n = strlen(out);
		while (n && isspace((unsigned char)out[n - 1]))
			out[--n] = '\0';
		size_t lead = strspn(out, " \t");
		memmove(out, out + lead, strlen(out + lead) + 1);
	}
	fclose(fp);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP || flag == FTW_D)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

void shodo_remove_tree(const char *path)
{
	nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int shodo_mkdirs(const char *path, unsigned mode)
{
	char buf[4096];
	if (strlen(path) >= sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(buf, path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, mode) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(buf, mode) < 0 && errno != EEXIST)
		return -1;
	struct stat st;
	if (stat(buf, &st) < 0)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}

char *shodo_read_file(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	size_t cap = 0, n = 0;
	char *buf = NULL;
	for (;;) {
		/* room for at least 4 KiB more and the final NUL */
		if (cap - n < 4096 + 1 && shodo_grow(&buf, &cap, n + 4096 + 1) < 0) {
			free(buf);
			close(fd);
			errno = ENOMEM;
			return NULL;
		}
		ssize_t r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			free(buf);
			close(fd);
			errno = e;
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (buf) {
		buf[n] = '\0';
		if (len)
			*len = n;
	}
	return buf;
}

int shodo_write_file_atomic(const char *path, const void *data, size_t len, unsigned mode)
{
	struct iovec part = {(void *)(uintptr_t)data, len};
	return shodo_write_file_atomicv(path, &part, 1, mode);
}

int shodo_write_file_atomicv(const char *path, const struct iovec *parts, int nparts, unsigned mode)
{
	char tmp[4200];
	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid()) >= (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return -1;
	for (int i = 0; i < nparts; i++) {
		const char *p = parts[i].iov_base;
		size_t left = parts[i].iov_len;
		while (left) {
			ssize_t w = write(fd, p, left);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				int e = w < 0 ? errno : ENOSPC;
				close(fd);
				unlink(tmp);
				errno = e;
				return -1;
			}
			p += w;
			left -= (size_t)w;
		}
	}
	if (fsync(fd) < 0 || close(fd) < 0) {
		int e = errno;
		unlink(tmp);
		errno = e;
		return -1;
	}
	/* rename over a read-only file is allowed: the directory is what matters */
	if (rename(tmp, path) < 0) {
		int e = errno;
		unlink(tmp);
		errno = e;
		return -1;
	}
	return 0;
}

int shodo_snprintf(char *out, size_t outsz, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(out, outsz, fmt, ap);
	va_end(ap);
	return (n < 0 || (size_t)n >= outsz) ? -1 : 0;
}

int shodo_ncpu(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}

const char *shodo_operator(char out[128])
{
	const char *u = getenv("SUDO_USER");
	if (!u || !*u) {
		struct passwd pw, *res = NULL;
		char buf[1024];
		if (getpwuid_r(getuid(), &pw, buf, sizeof(buf), &res) == 0 && res)
			snprintf(out, 128, "%s", res->pw_name);
		else
			snprintf(out, 128, "uid%d", (int)getuid());
		return out;
	}
	snprintf(out, 128, "%s", u);
	return out;
}

const char *shodo_json_str(const json_t *o, const char *k, const char *dflt)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : dflt;
}

char *shodo_json_text(const json_t *doc)
{
	char *s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (!s)
		return NULL;
	shodo_buf b = {s, strlen(s), strlen(s) + 1, 0};
	if (shodo_buf_add(&b, "\n", 1) < 0) {
		shodo_buf_release(&b);
		return NULL;
	}
	return b.p;
}

void shodo_uncache(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return;
	(void)fsync(fd);
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	close(fd);
}

ssize_t shodo_pread_all(int fd, void *buf, size_t n, uint64_t off)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = pread(fd, (char *)buf + got, n - got, (off_t)(off + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}
