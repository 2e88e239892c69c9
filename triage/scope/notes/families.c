/*
 * triage/scope/notes/families.c — naming the family: only from strong
 * markers (a family signing with its name, its note names, phrases only it
 * uses, "<name> ransomware" for a name the table does not know), never from
 * the score.  Detection does not depend on this table: a note of a family
 * that is not in it is detected by what it says (score.c).
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "notes_int.h"

typedef struct family_marker {
	const char *family;
	const char *marker;
	unsigned char where; /* W_WORD: word in text; W_SUB: substring of text; W_NAME: in file name;
	                        W_FIRST: the first line of text is the marker; W_SELF: "<m> ransomware",
	                        "<m> team/group/locker/leaks" or in the file name */
} family_marker;

enum { W_WORD, W_SUB, W_NAME, W_FIRST, W_SELF };

/* Strong markers from public reporting: the names families sign with, their
 * note names and extensions, and phrases that only they use.  More specific
 * entries come first. */
static const family_marker families[] = {
	{"lockbit", "lockbit", W_WORD}, {"lockbit", "lockbitsupp", W_SUB}, {"lockbit", "lockbit3", W_SUB},
	{"lockbit", "restore-my-files.txt", W_NAME}, {"lockbit", "lockbit", W_NAME},
	{"alphv", "alphv", W_WORD}, {"alphv", "blackcat", W_WORD}, {"alphv", "alphv", W_NAME},
	{"conti", "contirecovery", W_SUB}, {"conti", "conti", W_WORD}, {"conti", "conti", W_NAME},
	{"ryuk", "ryuk", W_WORD}, {"ryuk", "balance of shadow universe", W_SUB}, {"ryuk", "ryuk", W_NAME},
	{"revil", "sodinokibi", W_WORD}, {"revil", "revil", W_WORD}, {"revil", "decryptor.top", W_SUB},
	{"revil", "decoder.re", W_SUB},
	{"gandcrab", "gandcrab", W_WORD}, {"gandcrab", "gandcrab", W_NAME}, {"gandcrab", "krab-decrypt", W_NAME},
	{"phobos", "phobos", W_WORD}, {"phobos", "all of your files are encrypted!!!", W_SUB},
	{"dharma", "dharma", W_WORD}, {"dharma", "all your data has been locked us", W_SUB},
	{"dharma", "files encrypted.txt", W_NAME}, {"crysis", "crysis", W_WORD},
	{"stop", "price of private key and decrypt software", W_SUB},
	{"stop", "don't worry, you can return all your files", W_SUB},
	{"stop", "don't worry my friend, you can return all your files", W_SUB}, {"stop", "djvu", W_WORD},
	{"hive", "hiveleaks", W_SUB}, {"hive", "hivecust", W_SUB}, {"hive", "hive", W_SELF},
	{"blackbasta", "black basta", W_SUB}, {"blackbasta", "blackbasta", W_SUB}, {"blackbasta", "basta", W_SELF},
	{"blacksuit", "blacksuit", W_WORD},
	{"akira", "akira", W_WORD}, {"akira", "akira", W_NAME},
	{"royal", "royal", W_SELF}, {"royal", "royal ransomware", W_SUB},
	{"play", "play", W_FIRST}, {"play", "play", W_SELF},
	{"medusalocker", "medusalocker", W_WORD}, {"medusalocker", "your company network has been penetrated", W_SUB},
	{"medusa", "medusa", W_WORD}, {"medusa", "medusa", W_NAME},
	{"rhysida", "rhysida", W_WORD}, {"clop", "clop", W_WORD}, {"clop", "cl0p", W_WORD},
	{"clop", "clop", W_NAME}, {"clop", "cl0p", W_NAME},
	{"8base", "8base", W_WORD}, {"8base", "8base", W_NAME}, {"bianlian", "bianlian", W_WORD},
	{"cactus", "cactus", W_WORD}, {"cactus", "cactus", W_NAME}, {"babuk", "babuk", W_WORD},
	{"darkside", "darkside", W_WORD}, {"blackmatter", "blackmatter", W_WORD}, {"blackmatter", "blackmatter", W_NAME},
	{"avoslocker", "avoslocker", W_WORD}, {"avoslocker", "avos", W_WORD}, {"avoslocker", "avos", W_NAME},
	{"cuba", "cuba", W_SELF}, {"cuba", "cuba", W_NAME}, {"karakurt", "karakurt", W_WORD},
	{"karakurt", "karakurt", W_NAME}, {"maze", "maze", W_SELF}, {"maze", "maze", W_WORD},
	{"egregor", "egregor", W_WORD}, {"netwalker", "netwalker", W_WORD}, {"netwalker", "mailto", W_SELF},
	{"ragnarok", "ragnarok", W_WORD}, {"ragnarok", "ragnarok", W_NAME},
	{"ragnarlocker", "ragnar locker", W_SUB}, {"ragnarlocker", "ragnar_locker", W_SUB}, {"ragnarlocker", "ragnarlocker", W_SUB},
	{"snatch", "snatch", W_WORD}, {"snatch", "snatch", W_NAME}, {"vicesociety", "vice society", W_SUB},
	{"vicesociety", "vicesociety", W_SUB}, {"lorenz", "lorenz", W_SELF}, {"quantum", "quantum", W_SELF},
	{"mallox", "mallox", W_WORD}, {"targetcompany", "targetcompany", W_WORD}, {"makop", "makop", W_WORD},
	{"inc", "inc. ransom", W_SUB}, {"inc", "inc ransom", W_SUB}, {"inc", "inc-readme", W_NAME},
	{"hunters", "hunters international", W_SUB}, {"ransomhub", "ransomhub", W_WORD},
	{"trigona", "trigona", W_WORD}, {"noescape", "noescape", W_WORD}, {"moneymessage", "money message", W_SUB},
	{"moneymessage", "money_message", W_NAME}, {"nokoyawa", "nokoyawa", W_WORD},
	{"cerber", "cerber", W_WORD}, {"locky", "locky", W_WORD}, {"locky", "locky", W_NAME},
	{"teslacrypt", "teslacrypt", W_WORD}, {"teslacrypt", "tesla crypt", W_SUB},
	{"wannacry", "wanna decryptor", W_SUB}, {"wannacry", "wana decrypt0r", W_SUB}, {"wannacry", "wannacry", W_WORD},
	{"wannacry", "@please_read_me@", W_NAME}, {"petya", "petya", W_WORD}, {"badrabbit", "bad rabbit", W_SUB},
	{"globeimposter", "globeimposter", W_WORD}, {"zeppelin", "zeppelin", W_WORD},
	{"hellokitty", "hellokitty", W_WORD}, {"hellokitty", "hello kitty", W_SUB},
	{"doppelpaymer", "doppelpaymer", W_WORD}, {"doppelpaymer", "doppelpaymer", W_NAME},
	{"doppelpaymer", "doppel", W_NAME}, {"bitpaymer", "bitpaymer", W_WORD}, {"bitpaymer", "bitpaymer", W_NAME},
	{"wastedlocker", "wastedlocker", W_WORD}, {"wastedlocker", "wasted", W_NAME},
	{"everest", "everest", W_WORD}, {"everest", "everest", W_NAME}, {"lynx", "lynx", W_SELF},
	{"eldorado", "eldorado", W_WORD}, {"blacklock", "blacklock", W_WORD}, {"dragonforce", "dragonforce", W_WORD},
	{"qilin", "qilin", W_WORD}, {"agenda", "agenda", W_SELF}, {"3am", "3am", W_SELF}, {"3am", "threeam", W_WORD},
	{"termite", "termite", W_WORD}, {"nitrogen", "nitrogen", W_SELF}, {"interlock", "interlock", W_WORD},
	{"embargo", "embargo", W_SELF}, {"blackbyte", "blackbyte", W_WORD}, {"blackbyte", "bb_readme", W_NAME},
	{"blackhunt", "blackhunt", W_WORD}, {"blackhunt", "blackhunt", W_NAME}, {"diavol", "diavol", W_WORD},
	{"nemty", "nemty", W_WORD}, {"prometheus", "prometheus", W_SELF}, {"suncrypt", "suncrypt", W_WORD},
	{"magniber", "magniber", W_WORD}, {"cryptomix", "cryptomix", W_WORD}, {"xorist", "xorist", W_WORD},
	{"redalert", "redalert", W_WORD}, {"redalert", "red alert", W_SELF}, {"knight", "knight", W_SELF},
	{"cyclops", "cyclops", W_WORD}, {"ako", "ako", W_NAME}, {"nevada", "nevada", W_SELF},
	{"nightspire", "nightspire", W_WORD}, {"nightspire", "nspire", W_NAME}, {"monti", "monti", W_SELF},
	{"vohuk", "vohuk", W_WORD}, {"abysslocker", "abyss", W_SELF}, {"karma", "karma", W_SELF},
	{"karma", "karma", W_NAME}, {"kawalocker", "kawalocker", W_WORD}, {"kawalocker", "kavva", W_SUB},
	{"kawalocker", "kavva", W_NAME}, {"gwisinlocker", "gwisin", W_SUB}, {"hellcat", "hellcat", W_WORD},
	{"icefire", "icefire", W_WORD}, {"icefire", "ifire", W_NAME}, {"industrialspy", "industrial spy", W_SUB},
	{"h0lygh0st", "h0lygh0st", W_WORD}, {"h0lygh0st", "holy ghost", W_SUB}, {"ech0raix", "ech0raix", W_WORD},
	{"ech0raix", "qnapcrypt", W_WORD}, {"donut", "d0nut", W_WORD}, {"ctblocker", "ctb-locker", W_SUB},
	{"ctblocker", "ctb locker", W_SUB}, {"darkangels", "dark angels", W_SUB}, {"ransomhouse", "ransomhouse", W_WORD},
	{"ransomhouse", "white rabbit", W_SUB}, {"mountlocker", "mountlocker", W_WORD}, {"mamba", "mamba", W_SELF},
	{"lv", "lv ransomware", W_SUB}, {"sekhmet", "sekhmet", W_WORD}, {"egregor", "egregor", W_NAME},
	{"thegentlemen", "gentlemen", W_SELF}, {"thegentlemen", "gentlemen", W_NAME}, {"osiris", "osiris", W_SELF},
	{"obscura", "obscura", W_SELF}, {"obscura", "obscura", W_NAME}, {"nova", "nova", W_NAME},
	{"naga", "naga", W_NAME}, {"nblock", "nblock", W_NAME}, {"lambda", "lambda", W_NAME},
	{"everest", "everest", W_SELF}, {"blackfield", "blackfield", W_WORD}, {"clearwater", "clearwater", W_NAME},
	{"ciphbit", "ciphbit", W_WORD}, {"darkbit", "darkbit", W_WORD}, {"tommyleaks", "tommyleaks", W_WORD},
	{"leaknet", "leaknet", W_WORD}, {"mydoom", "mydoom", W_WORD}, {"ftcode", "ftcode", W_WORD},
	{"payoutsking", "payouts king", W_SUB}, {"ralord", "ralord", W_WORD}, {"raworld", "ra world", W_SUB},
	{"kraken", "kraken", W_SELF}, {"krybit", "krybit", W_WORD}, {"beast", "beast", W_SELF},
	{"sugar", "sugar", W_SELF}, {"grief", "grief", W_SELF}, {"fog", "fog", W_SELF}, {"zeon", "zeon", W_SELF},
};

/* Words that come before "ransomware" without naming a family. */
static const char *const self_stop[] = {
	"the", "this", "our", "a", "by", "of", "with", "your", "any", "new", "and", "to", "from", "is", "was",
	"that", "against", "other", "no", "as", "for", "in", "on", "an", "all", "known", "famous", "using",
	"called", "strong", "modern", "dangerous", "powerful", "human-operated", "operated", "extortion", "double",
	"triple", "data", "file", "files", "network", "company", "attack", "attacks", "victim", "victims", "group",
	"groups", "most", "such", "some", "nationalities", "these", "those", "what", "about", "are", "were", "not", NULL,
};

int nt_word_at(const char *text, const char *p, size_t l)
{
	unsigned char before = p > text ? (unsigned char)p[-1] : ' ';
	unsigned char after = (unsigned char)p[l];
	return !isalnum(before) && before < 0x80 && !isalnum(after) && after < 0x80;
}

const char *nt_find_word(const char *text, const char *w)
{
	size_t l = strlen(w);
	for (const char *p = strstr(text, w); p; p = strstr(p + 1, w))
		if (nt_word_at(text, p, l))
			return p;
	return NULL;
}

static int self_named(const char *low, const char *lname, const char *m)
{
	static const char *const after[] = {" ransomware", " team", " group", " locker", " leaks", " blog",
	                                    " gang", " ransom", " news", NULL};
	size_t l = strlen(m);
	for (const char *p = nt_find_word(low, m); p; p = strstr(p + 1, m)) {
		if (!nt_word_at(low, p, l))
			continue;
		for (int k = 0; after[k]; k++)
			if (!strncmp(p + l, after[k], strlen(after[k])))
				return 1;
	}
	return lname && nt_find_word(lname, m) != NULL;
}

static int marker_hit(const family_marker *f, const char *raw_text, const char *low, const char *lname)
{
	switch (f->where) {
	case W_WORD:
		return nt_find_word(low, f->marker) != NULL;
	case W_SUB:
		return strstr(low, f->marker) != NULL;
	case W_NAME:
		return lname && strstr(lname, f->marker) != NULL;
	case W_SELF:
		return self_named(low, lname, f->marker);
	case W_FIRST: {
		const char *s = raw_text;
		while (*s && isspace((unsigned char)*s))
			s++;
		size_t l = strlen(f->marker);
		return !strncasecmp(s, f->marker, l) &&
		       (s[l] == '\n' || s[l] == '\r' || !s[l] || (s[l] == ' ' && (s[l + 1] == '\n' || !s[l + 1])));
	}
	}
	return 0;
}

/* "<name> ransomware" for a name the table does not know: the family as
 * the note signs itself.  Returns a pointer into buf or NULL. */
static const char *self_signed(const char *low, char *buf, size_t bufsz)
{
	for (const char *p = strstr(low, " ransomware"); p; p = strstr(p + 1, " ransomware")) {
		const char *e = p, *s = p;
		while (s > low && (isalnum((unsigned char)s[-1]) || s[-1] == '-' || s[-1] == '_'))
			s--;
		size_t l = (size_t)(e - s);
		if (l < 3 || l >= bufsz)
			continue;
		memcpy(buf, s, l);
		buf[l] = 0;
		int stop = 0;
		for (int k = 0; self_stop[k]; k++)
			if (!strcmp(buf, self_stop[k]))
				stop = 1;
		if (stop || !isalpha((unsigned char)buf[0]))
			continue;
		/* "brain cipher", "black lock": a generic last word joins the one before */
		static const char *const generic[] = {"cipher", "lock", "locker", "crypt", "crypto", "byte", "bit",
		                                      "matter", "side", "kitty", "cat", "suit", "hunt", "force", NULL};
		for (int k = 0; generic[k]; k++)
			if (!strcmp(buf, generic[k]) && s - low >= 2 && s[-1] == ' ') {
				const char *w = s - 1;
				while (w > low && isalpha((unsigned char)w[-1]))
					w--;
				size_t wl = (size_t)(s - 1 - w);
				if (wl >= 3 && wl + l < bufsz) {
					memmove(buf + wl, buf, l + 1);
					memcpy(buf, w, wl);
				}
				break;
			}
		return buf;
	}
	return NULL;
}

const char *nt_attribute(const char *raw_text, const char *low, const char *lname, char *buf, size_t bufsz)
{
	/* names first (a note that signs itself), then shared phrases */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
			const family_marker *f = &families[i];
			if ((pass == 0) == (f->where == W_SUB))
				continue;
			if (marker_hit(f, raw_text, low, lname))
				return f->family;
		}
	return self_signed(low, buf, bufsz);
}
