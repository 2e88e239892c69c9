/*
 * Hives nothing else claims (NTUSER.DAT, UsrClass.dat, Amcache.hve,
 * DEFAULT, renamed or unknown ones): opened and checked so the artifact list
 * says what the file is and whether it is readable and dirty.  User hives
 * give their Run/RunOnce autostart entries (persistence, kind run_key).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "regutil.h"

static int bid_other(const shodo_artifact *a, const unsigned char *head, size_t n)
{
	const char *p = a->path ? a->path : a->file;
	if (putil_endswith(p, ".LOG") || putil_endswith(p, ".LOG1") || putil_endswith(p, ".LOG2") ||
	    putil_endswith(p, ".blf") || putil_endswith(p, ".regtrans-ms"))
		return 0;
	if (n >= 4 && !memcmp(head, "regf", 4))
		return 2;
	return a->category && !strcmp(a->category, CAT_REGISTRY) ? 1 : 0;
}

static shodo_status parse_other(const shodo_artifact *a, shodo_triage_ctx *ctx, shodo_err *err)
{
	libregf_file_t *f = NULL;
	libregf_key_t *root = NULL;
	libregf_error_t *e = NULL;
	char dirty[1024], name[256] = "";
	char lognote[600];
	shodo_status rc = reg_open_hive(a->file, &f, lognote, sizeof(lognote), err);
	if (rc != SHODO_OK)
		return rc;
	if (libregf_file_get_root_key(f, &root, &e) != 1) {
		char msg[256];
		PUTIL_YAL_MSG(libregf, e, msg, sizeof(msg));
		libregf_error_free(&e);
		rc = shodo_err_set(err, SHODO_FAILED, 0, "registry hive root key unreadable: %s", msg);
		goto out;
	}
	reg_key_name(root, name, sizeof(name));
	reg_kind k = reg_kind_of(f);
	int autostarts = 0;
	if (k == HIVE_NTUSER) {
		/* the user's Run keys; the user from ".../Users/<name>/NTUSER.DAT" */
		char user[256] = "";
		const char *p = a->path ? a->path : a->file, *u = putil_strcasestr(p, "Users/");
		if (u && strchr(u + 6, '/'))
			snprintf(user, sizeof(user), "%.*s", (int)(strchr(u + 6, '/') - (u + 6)), u + 6);
		/* a saved Software subtree has the Run keys one level up */
		const char *rootpath = !strcasecmp(name, "Software") ? "" : "Software\\";
		rc = reg_autostarts(f, a, ctx, rootpath, "HKCU\\Software", user[0] ? user : NULL, &autostarts, err);
		if (rc != SHODO_OK)
			goto out;
	}
	int state = reg_state(f, lognote, dirty, sizeof(dirty));
	int is_dirty = state != REG_CLEAN;
	if (k == HIVE_NTUSER)
		snprintf(err->msg, sizeof(err->msg), "NTUSER hive (root key '%s'): %d autostart entries%s%s", name,
		         autostarts, is_dirty ? "; " : "", is_dirty ? dirty : "");
	else
		snprintf(err->msg, sizeof(err->msg), "%s hive (root key '%s'): not analysed further%s%s",
		         k == HIVE_UNKNOWN ? "unrecognised" : reg_kind_name(k), name, is_dirty ? "; " : "",
		         is_dirty ? dirty : "");
	if (state == REG_DAMAGED)
		rc = SHODO_WARN;  /* damaged cells; a dirty hive alone is normal */
out:
	reg_key_free(&root);
	reg_close(&f);
	return rc;
}

const shodo_parser shodo_parser_hive_other = {"hive_other", bid_other, parse_other};
