/*
 * report/i18n.c — the language of the reports, summaries and handover
 * sheet: English (the strings in the code) or Japanese (po/ja.po, compiled
 * by msgfmt into the "shodo" gettext domain).  The front end binds the
 * domain and selects the catalog (cli/common.c: LANGUAGE, LC_MESSAGES);
 * this only decides whether to ask gettext at all, so that English output
 * never depends on the reader's environment.
 */
#include <libintl.h>
#include <string.h>
#include "report_int.h"
#include "shodo/report.h"

static char lang[8] = "en";

shodo_status shodo_report_set_lang(const char *l)
{
	if (!l || !strcmp(l, "en") || !strcmp(l, "C")) {
		strcpy(lang, "en");
		return SHODO_OK;
	}
	if (!strcmp(l, "ja")) {
		strcpy(lang, "ja");
		return SHODO_OK;
	}
	return SHODO_USAGE;
}

const char *rep_lang(void) { return lang; }

const char *rep_tr(const char *msgid)
{
	if (!strcmp(lang, "en") || !msgid || !*msgid)
		return msgid;
	return dgettext("shodo", msgid);
}

json_t *rep_page_words(void)
{
	static const struct {
		const char *key, *text;
	} w[] = {
		{"search", N_("Search:")},
		{"length_menu", N_("Show _MENU_ rows")},
		{"info", N_("Rows _START_ to _END_ of _TOTAL_")},
		{"info_empty", N_("No rows")},
		{"info_filtered", N_("(filtered from _MAX_)")},
		{"zero_records", N_("No matching rows")},
		{"empty_table", N_("none")},
		{"filter", N_("filter")},
		{"not_measured", N_("not measured")},
		{"none_found", N_("none found")},
		{"enc_window", N_("encryption window (first to last encrypted file, notes)")},
		{"failed_per_hour", N_("failed logons per hour (UTC)")},
		{"events_per_hour", N_("timeline entries per hour (UTC)")},
	};
	json_t *o = json_object();
	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		json_object_set_new(o, w[i].key, json_string(_(w[i].text)));
	return o;
}
