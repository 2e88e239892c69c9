/*
 * triage/scope/notes/language.c — the note's language from its scripts and
 * common words ("en", "ja", "de", ... or "und").
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "notes_int.h"

const char *nt_guess_language(const char *t)
{
	size_t n = strlen(t), i = 0;
	size_t kana = 0, han = 0, hangul = 0, cyr = 0, latin = 0, arabic = 0;
	while (i < n) {
		int32_t c = nt_utf8_next((const unsigned char *)t, n, &i);
		if (c < 0)
			continue;
		if ((c >= 0x3040 && c <= 0x30FF) || (c >= 0xFF66 && c <= 0xFF9F))
			kana++;
		else if (c >= 0x4E00 && c <= 0x9FFF)
			han++;
		else if (c >= 0xAC00 && c <= 0xD7AF)
			hangul++;
		else if (c >= 0x400 && c <= 0x4FF)
			cyr++;
		else if (c >= 0x600 && c <= 0x6FF)
			arabic++;
		else if (c < 0x250 && isalpha(c < 0x80 ? c : 'a'))
			latin++;
	}
	size_t total = kana + han + hangul + cyr + latin + arabic;
	if (!total)
		return "und";
	if (kana * 20 > total)
		return "ja";
	if (hangul * 10 > total)
		return "ko";
	if (han * 10 > total)
		return "zh";
	if (cyr * 3 > total)
		return "ru";
	if (arabic * 3 > total)
		return "ar";
	static const struct {
		const char *lang;
		const char *words[5];
	} sw[] = {
		{"en", {" the ", " your ", " and ", " you ", " files "}},
		{"de", {" und ", " die ", " ihre ", " sie ", " dateien "}},
		{"fr", {" les ", " vos ", " des ", " vous ", " fichiers "}},
		{"es", {" los ", " sus ", " para ", " archivos ", " usted "}},
		{"it", {" il ", " della ", " per ", " sono ", " tuoi "}},
		{"pt", {" os ", " seus ", " para ", " arquivos ", " você "}},
		{"nl", {" de ", " het ", " uw ", " bestanden ", " een "}},
		{"pl", {" się ", " twoje ", " pliki ", " nie ", " jest "}},
		{"tr", {" ve ", " bir ", " için ", " dosyalar", " bu "}},
	};
	const char *best = "und";
	int bestc = 0;
	for (size_t k = 0; k < sizeof(sw) / sizeof(sw[0]); k++) {
		int c = 0;
		for (int w = 0; w < 5; w++)
			for (const char *p = strstr(t, sw[k].words[w]); p && c < 1000; p = strstr(p + 1, sw[k].words[w]))
				c++;
		if (c > bestc) {
			bestc = c;
			best = sw[k].lang;
		}
	}
	return best;
}
