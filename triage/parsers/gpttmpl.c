/*
 * Group Policy security templates (SYSVOL ...\MACHINE\Microsoft\Windows NT\
 * SecEdit\GptTmpl.inf): the domain's password, lockout, Kerberos and audit
 * policy as set by GPO.  An INI file, usually UTF-16LE with a BOM, at times
 * ANSI/UTF-8.
 *
 * Table policy, origin "gpttmpl":
 *   [System Access]   keys as written (MinimumPasswordLength,
 *                     PasswordHistorySize, MaximumPasswordAge, LockoutBadCount,
 *                     LockoutDuration, ResetLockoutCount, PasswordComplexity,
 *                     ClearTextPassword, ...) — the same names the SAM
 *                     parser uses for the local policy
 *   other sections    "<Section>.<key>": Kerberos Policy, Event Audit,
 *                     Privilege Rights, Registry Values, Group Membership
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "shodo/util.h"
#include "regutil.h"

#define GPT_MAX (4u << 20)

static int looks_inf(const unsigned char *h, size_t n)
{
	static const char *const marks[] = {"[Unicode]", "[System Access]", "[Version]", NULL};
	char ascii[512];
	size_t o = 0;
	/* fold UTF-16LE to ASCII for the check */
	size_t start = (n >= 2 && h[0] == 0xFF && h[1] == 0xFE) ? 2 : (n >= 3 && h[0] == 0xEF) ? 3 : 0;
	int wide = n > start + 1 && h[start + 1] == 0;
	for (size_t i = start; i < n && o < sizeof(ascii) - 1; i += wide ? 2 : 1)
		ascii[o++] = (char)(h[i] ? h[i] : ' ');
	ascii[o] = '\0';
	for (int i = 0; marks[i]; i++)
		if (putil_strcasestr(ascii, marks[i]))
			return 1;
	return 0;
}

static int bid_gpttmpl(const shodo_artifact *a, const unsigned char *head, size_t n)
{
	const char *name = putil_basename(a->path ? a->path : a->file);
	int named = !strcasecmp(name, "GptTmpl.inf");
	int policy = a->category && !strcmp(a->category, CAT_POLICY);
	if ((named || policy) && looks_inf(head, n))
		return 24;
	if (named || policy)
		return 1;
	return 0;
}

static void trim(char *s)
{
	char *b = s;
	while (*b == ' ' || *b == '\t')
		b++;
	size_t l = strlen(b);
	while (l && (b[l - 1] == ' ' || b[l - 1] == '\t' || b[l - 1] == '\r' || b[l - 1] == '\n'))
		l--;
	memmove(s, b, l);
	s[l] = '\0';
}

/* "Event Audit" -> "EventAudit" */
static void squash(const char *in, char *out, size_t n)
{
	size_t o = 0;
	for (; *in && o + 1 < n; in++)
		if (*in != ' ')
			out[o++] = *in;
	out[o] = '\0';
}

static shodo_status parse_gpttmpl(const shodo_artifact *a, shodo_triage_ctx *ctx, shodo_err *err)
{
	size_t len = 0;
	char *raw = shodo_read_file(a->file, &len);
	if (!raw)
		return shodo_err_set(err, SHODO_FAILED, errno, "cannot read '%s'", a->file);
	if (len > GPT_MAX) {
		free(raw);
		return shodo_err_set(err, SHODO_FAILED, 0, "security template larger than %u MiB", GPT_MAX >> 20);
	}
	const unsigned char *u = (const unsigned char *)raw;
	char *text = NULL;
	if (len >= 2 && u[0] == 0xFF && u[1] == 0xFE) {
		text = malloc(len * 2 + 1);
		if (text)
			reg_utf16(u + 2, len - 2, text, len * 2 + 1);
	} else if (len >= 2 && u[1] == 0 && u[0] != 0) {
		text = malloc(len * 2 + 1);
		if (text)
			reg_utf16(u, len, text, len * 2 + 1);
	} else {
		text = malloc(len + 1);
		if (text) {
			size_t skip = (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) ? 3 : 0;
			memcpy(text, raw + skip, len - skip);
			text[len - skip] = '\0';
		}
	}
	free(raw);
	if (!text)
		return shodo_err_set(err, SHODO_FAILED, ENOMEM, "security template");

	shodo_status rc = SHODO_OK;
	char section[128] = "", sq[128] = "";
	int nkeys = 0, nsections = 0, sysaccess = 0;
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		trim(line);
		if (!line[0] || line[0] == ';')
			continue;
		if (line[0] == '[') {
			char *end = strchr(line, ']');
			if (!end)
				continue;
			*end = '\0';
			snprintf(section, sizeof(section), "%s", line + 1);
			trim(section);
			squash(section, sq, sizeof(sq));
			nsections++;
			continue;
		}
		char *eq = strchr(line, '=');
		if (!eq || !section[0])
			continue;
		*eq = '\0';
		char key[512], val[2048];
		snprintf(key, sizeof(key), "%s", line);
		snprintf(val, sizeof(val), "%s", eq + 1);
		trim(key);
		trim(val);
		if (!key[0] || !strcasecmp(section, "Unicode") || !strcasecmp(section, "Version"))
			continue;
		/* quoted values ("...") lose their quotes */
		size_t vl = strlen(val);
		if (vl >= 2 && val[0] == '"' && val[vl - 1] == '"') {
			memmove(val, val + 1, vl - 2);
			val[vl - 2] = '\0';
		}
		char full[700];
		if (!strcasecmp(section, "System Access")) {
			snprintf(full, sizeof(full), "%s", key);
			sysaccess++;
		} else {
			snprintf(full, sizeof(full), "%s.%s", sq, key);
		}
		if ((rc = putil_policy(ctx, a, "gpttmpl", full, val[0] ? val : "(empty)", err)) != SHODO_OK)
			goto out;
		nkeys++;
	}
	if (!nsections)
		rc = shodo_err_set(err, SHODO_FAILED, 0, "not a security template: no [sections]");
	else if (!nkeys)
		rc = shodo_err_set(err, SHODO_WARN, 0, "security template without settings");
	else
		snprintf(err->msg, sizeof(err->msg), "%d settings, %d of them password and lockout policy", nkeys,
		         sysaccess);
out:
	free(text);
	return rc;
}

const shodo_parser shodo_parser_gpttmpl = {"gpttmpl", bid_gpttmpl, parse_gpttmpl};
