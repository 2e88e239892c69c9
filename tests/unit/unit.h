/*
 * tests/unit/unit.h — a tiny assertion harness.  Each test_<thing>.c is a
 * program with TEST(name) functions registered in main() via RUN(name).
 * Failed checks print file:line, the expression and the values, and the
 * program exits 1 at the end.
 */
#ifndef SHODO_UNIT_H
#define SHODO_UNIT_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <inttypes.h>

static int unit_failures, unit_checks;

#define CHECK(cond) do { unit_checks++; if (!(cond)) { unit_failures++; \
	fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); } } while (0)
#define CHECK_INT(a, b) do { long long _a = (long long)(a), _b = (long long)(b); unit_checks++; \
	if (_a != _b) { unit_failures++; fprintf(stderr, "%s:%d: %s == %s failed: %lld != %lld\n", \
	__FILE__, __LINE__, #a, #b, _a, _b); } } while (0)
#define CHECK_STR(a, b) do { const char *_a = (a), *_b = (b); unit_checks++; \
	if (!_a || !_b || strcmp(_a, _b)) { unit_failures++; fprintf(stderr, \
	"%s:%d: %s == %s failed: '%s' != '%s'\n", __FILE__, __LINE__, #a, #b, _a ? _a : "(null)", \
	_b ? _b : "(null)"); } } while (0)
#define TEST(name) static void name(void)
#define RUN(name) do { int _f = unit_failures; name(); \
	fprintf(stderr, "%s %s\n", unit_failures == _f ? "ok  " : "FAIL", #name); } while (0)
#define UNIT_END() do { fprintf(stderr, "%d checks, %d failed\n", unit_checks, unit_failures); \
	if (unit_dir[0] && !unit_failures) { char _c[300]; snprintf(_c, sizeof(_c), "rm -rf '%s'", unit_dir); \
	if (system(_c) != 0) fprintf(stderr, "cannot remove %s\n", unit_dir); } \
	return unit_failures ? 1 : 0; } while (0)

/* A fresh temporary directory for the test program, removed at UNIT_END. */
static char unit_dir[256];
static inline const char *unit_tmpdir(void)
{
	char *dir = unit_dir;
	if (!dir[0]) {
		snprintf(dir, sizeof(unit_dir), "/tmp/shodo-unit.XXXXXX");
		if (!mkdtemp(dir)) { perror("mkdtemp"); exit(2); }
	}
	return dir;
}
#endif
