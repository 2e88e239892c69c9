/*
 * triage/scope/notes/score.c — is it a ransom note?  The vocabulary of what
 * notes are made of (the files are encrypted, the victim addressed, payment,
 * contact, threats of leaking or deleting, warnings, an ID or key, a free
 * test decryption; several languages), grouped and capped so that one theme
 * cannot dominate; validated contacts (ioc.c); the file name; then the
 * verdict.  Family names play no part in the verdict (families.c only
 * names the family, and adds a little once the content already speaks).
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "notes_int.h"

/* ------------------------------------------------------------------ */
/* scoring                                                             */

enum { G_CRYPT, G_VICTIM, G_PAY, G_CONTACT, G_THREAT, G_WARN, G_ID, G_TEST, G_BENIGN, NGROUPS };
static const int group_cap[NGROUPS] = {30, 15, 20, 15, 15, 15, 10, 10, 40};
static const char *const group_name[NGROUPS] = {"encryption", "victim", "payment", "contact", "threat",
                                                "warnings", "id", "test-decrypt", "benign"};

typedef struct feature {
	const char *pat;
	signed char w;
	unsigned char grp;
} feature;

/* Matched as substrings of the folded text (lower case, single spaces). */
static const feature features[] = {
	/* the files are encrypted (state + victim) */
	{"have been encrypted", 18, G_CRYPT}, {"has been encrypted", 18, G_CRYPT},
	{"were encrypted", 15, G_CRYPT}, {"are encrypted", 15, G_CRYPT}, {"is encrypted", 10, G_CRYPT},
	{"been encrypted", 10, G_CRYPT}, {"was encrypted", 12, G_CRYPT}, {"encrypted by", 8, G_CRYPT},
	{"been locked", 12, G_CRYPT}, {"are locked", 10, G_CRYPT}, {"is locked", 6, G_CRYPT},
	{"were locked", 10, G_CRYPT}, {"has been locked", 8, G_CRYPT}, {"(crypted)", 10, G_CRYPT},
	{"crypted", 6, G_CRYPT}, {"encrypted", 6, G_CRYPT}, {"encryption", 4, G_CRYPT},
	{"decrypt", 8, G_CRYPT}, {"decryptor", 6, G_CRYPT}, {"decrypter", 6, G_CRYPT},
	{"decryption key", 8, G_CRYPT}, {"decryption tool", 8, G_CRYPT}, {"decryption software", 8, G_CRYPT},
	{"restore your files", 12, G_CRYPT}, {"restore your data", 12, G_CRYPT},
	{"recover your files", 12, G_CRYPT}, {"recover your data", 12, G_CRYPT},
	{"return your files", 12, G_CRYPT}, {"return your data", 12, G_CRYPT},
	{"get your files back", 12, G_CRYPT}, {"get your data back", 12, G_CRYPT},
	{"unlock your", 8, G_CRYPT}, {"ransomware", 12, G_CRYPT}, {"ransom", 6, G_CRYPT},
	{"been hacked", 10, G_CRYPT}, {"were hacked", 10, G_CRYPT}, {"been breached", 8, G_CRYPT},
	{"been compromised", 6, G_CRYPT}, {"been accessed", 8, G_CRYPT}, {"hacked you", 10, G_CRYPT},
	{"we hacked", 10, G_CRYPT}, {"we breached", 10, G_CRYPT}, {"intrusion", 3, G_CRYPT}, {"been penetrated", 10, G_CRYPT}, {"been attacked", 8, G_CRYPT},
	/* de fr es it pt nl pl tr ru uk ja zh ko */
	{"verschlüsselt", 12, G_CRYPT}, {"entschlüssel", 10, G_CRYPT}, {"chiffrés", 10, G_CRYPT},
	{"cryptés", 10, G_CRYPT}, {"déchiffr", 8, G_CRYPT}, {"décrypt", 8, G_CRYPT}, {"cifrados", 10, G_CRYPT},
	{"encriptados", 10, G_CRYPT}, {"descifrar", 8, G_CRYPT}, {"crittografat", 10, G_CRYPT},
	{"criptografados", 10, G_CRYPT}, {"descriptograf", 8, G_CRYPT}, {"versleuteld", 10, G_CRYPT},
	{"zaszyfrowan", 10, G_CRYPT}, {"odszyfrow", 8, G_CRYPT}, {"şifrelendi", 10, G_CRYPT},
	{"зашифрован", 12, G_CRYPT}, {"расшифров", 8, G_CRYPT}, {"дешифр", 8, G_CRYPT},
	{"暗号化", 12, G_CRYPT}, {"復号", 10, G_CRYPT}, {"復元", 6, G_CRYPT}, {"加密", 10, G_CRYPT},
	{"解密", 10, G_CRYPT}, {"암호화", 12, G_CRYPT}, {"복호화", 10, G_CRYPT},
	{"lösegeld", 10, G_PAY}, {"rançon", 10, G_PAY}, {"rescate", 6, G_PAY}, {"riscatto", 8, G_PAY},
	{"resgate", 6, G_PAY}, {"losgeld", 10, G_PAY}, {"okup", 4, G_PAY}, {"fidye", 8, G_PAY},
	{"выкуп", 10, G_PAY}, {"身代金", 12, G_PAY}, {"ビットコイン", 10, G_PAY}, {"支払", 6, G_PAY},
	{"赎金", 12, G_PAY}, {"比特币", 10, G_PAY}, {"비트코인", 10, G_PAY}, {"биткоин", 10, G_PAY},
	{"ihre dateien", 8, G_VICTIM}, {"vos fichiers", 8, G_VICTIM}, {"sus archivos", 8, G_VICTIM},
	{"i tuoi file", 8, G_VICTIM}, {"seus arquivos", 8, G_VICTIM}, {"uw bestanden", 8, G_VICTIM},
	{"twoje pliki", 8, G_VICTIM}, {"dosyalarınız", 8, G_VICTIM}, {"ваши файлы", 8, G_VICTIM},
	{"あなたのファイル", 10, G_VICTIM}, {"ファイル", 4, G_VICTIM}, {"您的文件", 10, G_VICTIM},
	{"파일", 4, G_VICTIM}, {"連絡", 4, G_CONTACT}, {"联系", 4, G_CONTACT},
	/* victim addressed */
	{"your files", 8, G_VICTIM}, {"your data", 6, G_VICTIM}, {"your network", 8, G_VICTIM},
	{"your company", 6, G_VICTIM}, {"your documents", 6, G_VICTIM}, {"your servers", 6, G_VICTIM},
	{"your computer", 4, G_VICTIM}, {"your systems", 5, G_VICTIM}, {"your infrastructure", 5, G_VICTIM},
	{"all your", 5, G_VICTIM}, {"all of your", 5, G_VICTIM}, {"your important files", 8, G_VICTIM},
	{"your personal", 3, G_VICTIM}, {"your sensitive", 6, G_VICTIM}, {"your confidential", 6, G_VICTIM},
	/* payment */
	{"bitcoin", 8, G_PAY}, {"btc", 6, G_PAY}, {"monero", 8, G_PAY}, {"xmr", 4, G_PAY},
	{"cryptocurrency", 5, G_PAY}, {"payment", 6, G_PAY}, {"pay us", 8, G_PAY}, {"pay for", 4, G_PAY},
	{"to pay", 4, G_PAY}, {"the price", 5, G_PAY}, {"price", 3, G_PAY}, {"discount", 5, G_PAY},
	{"wallet", 4, G_PAY}, {"amount", 2, G_PAY}, {"usd", 2, G_PAY}, {"$", 1, G_PAY},
	/* contact */
	{"contact us", 8, G_CONTACT}, {"write to us", 8, G_CONTACT}, {"write us", 8, G_CONTACT},
	{"email us", 6, G_CONTACT}, {"e-mail us", 6, G_CONTACT}, {"send us", 5, G_CONTACT},
	{"our email", 6, G_CONTACT}, {"our e-mail", 6, G_CONTACT}, {"tor browser", 10, G_CONTACT},
	{"torproject.org", 8, G_CONTACT}, {".onion", 6, G_CONTACT}, {"qtox", 8, G_CONTACT},
	{"tox id", 8, G_CONTACT}, {"tox chat", 8, G_CONTACT}, {"jabber", 4, G_CONTACT},
	{"session messenger", 6, G_CONTACT}, {"getsession.org", 8, G_CONTACT}, {"chat", 3, G_CONTACT},
	{"negotiat", 6, G_CONTACT}, {"live chat", 4, G_CONTACT}, {"our support", 5, G_CONTACT},
	{"contact", 2, G_CONTACT}, {"use tor", 8, G_CONTACT}, {"via tor", 8, G_CONTACT}, {"in the subject", 4, G_CONTACT}, {"telegram", 3, G_CONTACT},
	/* threat: exfiltration, deadline */
	{"leak", 5, G_THREAT}, {"publish", 5, G_THREAT}, {"stolen", 6, G_THREAT}, {"exfiltrat", 8, G_THREAT},
	{"we have downloaded", 10, G_THREAT}, {"we downloaded", 10, G_THREAT}, {"have been downloaded", 8, G_THREAT},
	{"we have stolen", 10, G_THREAT}, {"in our possession", 8, G_THREAT}, {"leak site", 8, G_THREAT},
	{"your ceo", 4, G_THREAT}, {"your management", 3, G_THREAT}, {"data breach", 4, G_THREAT}, {"deadline", 5, G_THREAT},
	{"hours", 2, G_THREAT}, {"permanently", 4, G_THREAT}, {"lost forever", 6, G_THREAT},
	{"irreversibl", 4, G_THREAT}, {"data loss", 3, G_THREAT}, {"double price", 8, G_THREAT},
	{"price will", 6, G_THREAT}, {"our blog", 6, G_THREAT}, {"sell", 3, G_THREAT},
	{"journalists", 5, G_THREAT}, {"competitors", 4, G_THREAT}, {"regulator", 3, G_THREAT},
	/* warnings */
	{"do not rename", 10, G_WARN}, {"don't rename", 10, G_WARN}, {"do not modify", 8, G_WARN},
	{"don't modify", 8, G_WARN}, {"do not try to", 6, G_WARN}, {"don't try to", 6, G_WARN},
	{"do not delete", 5, G_WARN}, {"don't delete", 5, G_WARN}, {"third-party", 4, G_WARN},
	{"third party", 4, G_WARN}, {"recovery software", 6, G_WARN}, {"recovery companies", 8, G_WARN},
	{"data recovery", 4, G_WARN}, {"antivirus", 3, G_WARN}, {"do not contact", 5, G_WARN},
	{"do not turn off", 5, G_WARN}, {"do not touch", 5, G_WARN}, {"do not reboot", 5, G_WARN},
	{"do not shut", 5, G_WARN}, {"do not reset", 5, G_WARN}, {"police", 3, G_WARN}, {"fbi", 3, G_WARN},
	{"law enforcement", 3, G_WARN}, {"damage", 2, G_WARN}, {"don't panic", 4, G_WARN},
	/* ID and key */
	{"personal id", 8, G_ID}, {"your id", 6, G_ID}, {"unique id", 6, G_ID}, {"your key", 5, G_ID},
	{"private key", 4, G_ID}, {"personal key", 8, G_ID}, {"decryption id", 8, G_ID}, {"key:", 2, G_ID},
	{"id:", 2, G_ID}, {"access key", 4, G_ID}, {"login", 1, G_ID}, {"token", 2, G_ID},
	/* proof: free test decryption */
	{"for free", 5, G_TEST}, {"free decrypt", 8, G_TEST}, {"test decrypt", 8, G_TEST},
	{"decrypt one", 6, G_TEST}, {"decrypt 1", 6, G_TEST}, {"decrypt 2", 6, G_TEST}, {"guarantee", 4, G_TEST},
	{"proof", 3, G_TEST}, {"test file", 4, G_TEST}, {"free of charge", 4, G_TEST},
	/* text that ransom notes do not contain */
	{"copyright", -10, G_BENIGN}, {"warranty", -10, G_BENIGN}, {"license", -8, G_BENIGN},
	{"licence", -8, G_BENIGN}, {"#include", -10, G_BENIGN}, {"synopsis", -8, G_BENIGN},
	{"changelog", -8, G_BENIGN}, {"debian", -8, G_BENIGN}, {"makefile", -6, G_BENIGN},
	{"./configure", -6, G_BENIGN}, {"upstream", -6, G_BENIGN}, {"maintainer", -6, G_BENIGN},
	{"documentation", -5, G_BENIGN}, {"man page", -6, G_BENIGN}, {"deprecated", -6, G_BENIGN},
	{"command line", -5, G_BENIGN}, {"command-line", -5, G_BENIGN}, {"source code", -4, G_BENIGN},
	{"compile", -5, G_BENIGN}, {"librar", -4, G_BENIGN}, {"package", -3, G_BENIGN},
	{"patch", -4, G_BENIGN}, {"bug report", -6, G_BENIGN}, {"release", -3, G_BENIGN},
	{"config", -3, G_BENIGN}, {"option", -3, G_BENIGN}, {"example", -3, G_BENIGN},
	{"function", -4, G_BENIGN}, {"usage:", -6, G_BENIGN}, {"version ", -2, G_BENIGN},
	{"github.com", -4, G_BENIGN}, {"python", -4, G_BENIGN}, {"linux", -4, G_BENIGN},
};

/* Anonymous / privacy mail services favoured by ransomware operators. */
static const char *const anon_mail[] = {
	"protonmail.", "proton.me", "pm.me", "tutanota.", "tuta.io", "tutamail.", "onionmail.", "cock.li",
	"airmail.cc", "firemail.", "msgsafe.io", "keemail.me", "mailfence.", "disroot.", "cyberfear.",
	"dnmx.org", "mail2tor.", "torbox", "secmail.", "elude.in", "xmpp.jp", "jabb.im", "exploit.im",
	"thesecure.biz", "aol.com", "yandex.", "mail.ru", "gmx.", "india.com", "qq.com", "bk.ru",
	"inbox.lv", "techmail.info", "mailum.com", "onionmail.org", "cumallover.me", "decoymail.", "zohomail.",
	"skiff.com", "mail.fr", "seznam.", "420blaze.it", "ctemplar.", "rape.lol", "msgden.",
	NULL,
};

/* A token that looks machine-made: 5+ characters mixing digits and
 * letters, or upper and lower case, inside a name. */
static int random_token(const char *s, size_t n)
{
	if (n < 5 || n > 40)
		return 0;
	int dig = 0, up = 0, lo = 0;
	for (size_t i = 0; i < n; i++) {
		if (isdigit((unsigned char)s[i]))
			dig++;
		else if (isupper((unsigned char)s[i]))
			up++;
		else if (islower((unsigned char)s[i]))
			lo++;
		else
			return 0;
	}
	if (dig && (up || lo) && dig + up + lo >= 6)
		return 1;
	if (up >= 2 && lo >= 2 && n >= 6) {
		/* mixed case; not CamelCase words such as ReadMe, HowToRecover */
		int trans = 0;
		for (size_t i = 1; i < n; i++)
			if (isupper((unsigned char)s[i]) && islower((unsigned char)s[i - 1]))
				trans++;
		return trans >= 3 && (size_t)trans * 3 >= n / 2;
	}
	return 0;
}

static int name_score(const char *name, const char *lname, char *why, size_t whysz)
{
	int s = 0;
	const char *base = strrchr(name, '/');
	base = base ? base + 1 : name;
	const char *lbase = strrchr(lname, '/');
	lbase = lbase ? lbase + 1 : lname;
	static const char *const readme[] = {"readme", "read_me", "read me", "read-me", "read.me", "r3adm3",
	                                     "_read", "read_", "contact", "message", "notice", "note",
	                                     "leeme", "lisezmoi", "liesmich", NULL};
	static const char *const strong[] = {"decrypt", "restore", "recover", "unlock", "ransom", "encrypted",
	                                     "locked", "hacked", "return_your", "return your", "back_files",
	                                     "back files", "your_files", "your files", "your_data", "your data",
	                                     "files_back", "warning", "attention", "instruction", "how_to",
	                                     "how to", "howto", "how-to", "help_", "helpme", "help me",
	                                     "stolen", "leak", "breach", "attack", "crypt", "unlock", NULL};
	for (int i = 0; readme[i]; i++)
		if (strstr(lbase, readme[i])) {
			s += 10;
			break;
		}
	int st = 0;
	for (int i = 0; strong[i]; i++)
		if (strstr(lbase, strong[i]))
			st++;
	s += st >= 2 ? 25 : st * 15;
	if (strstr(base, "!!") || base[0] == '!' || base[0] == '#' || base[0] == '+' ||
	    (base[0] == '_' && base[1] != '_') || strstr(base, "___"))
		s += 8;
	/* random IDs in the name: README.dcglhCm.txt, RESTORE-FILES-Q7ILknn7k.txt */
	for (const char *p = base; *p;) {
		while (*p && !isalnum((unsigned char)*p))
			p++;
		const char *q = p;
		while (*q && isalnum((unsigned char)*q))
			q++;
		if (random_token(p, (size_t)(q - p))) {
			s += 6;
			break;
		}
		p = q;
	}
	/* double extension: report.docx.README.txt or an odd note extension */
	if (s > 40)
		s = 40;
	snprintf(why, whysz, "name:%d", s);
	return s;
}

static char *lower_ascii_dup(const char *s)
{
	char *d = strdup(s ? s : "");
	if (d)
		for (char *p = d; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	return d;
}

int shodo_note_name_score(const char *name)
{
	char why[32];
	char *lname = lower_ascii_dup(name ? name : "");
	int s = lname ? name_score(name ? name : "", lname, why, sizeof(why)) : 0;
	free(lname);
	return s;
}

static int mail_anon(const char *email)
{
	const char *at = strchr(email, '@');
	if (!at)
		return 0;
	for (int i = 0; anon_mail[i]; i++)
		if (strstr(at + 1, anon_mail[i]) == at + 1 || strstr(at + 1, anon_mail[i]))
			return 1;
	return 0;
}

static int count_list(const char *l)
{
	int c = 0;
	for (const char *p = l; p && *p; p++)
		if (p == l || p[-1] == ' ')
			c++;
	return c;
}

void shodo_note_free(shodo_note *r)
{
	if (!r)
		return;
	free(r->emails);
	free(r->onions);
	free(r->btc);
	free(r->tox);
	free(r->xmr);
	free(r->session);
	free(r->urls);
	r->emails = r->onions = r->btc = r->tox = r->xmr = r->session = r->urls = NULL;
}

static void fix_lists(shodo_note *r)
{
	char **l[] = {&r->emails, &r->onions, &r->btc, &r->tox, &r->xmr, &r->session, &r->urls};
	for (size_t i = 0; i < sizeof(l) / sizeof(l[0]); i++)
		if (!*l[i])
			*l[i] = strdup("");
}

int shodo_note_analyse(const char *name, const unsigned char *data, size_t n, shodo_note *r)
{
	memset(r, 0, sizeof(*r));
	r->language = "und";
	if (!name)
		name = "";
	const char *enc = "ascii";
	char *raw = nt_decode_bytes(data, n, &enc);
	char *text = shodo_note_text(data, n, name, &enc);
	char *low = text ? nt_fold_text(text) : NULL;
	char *lname = lower_ascii_dup(name);
	int rc = -1;
	if (!raw || !text || !low || !lname)
		goto out;
	r->encoding = enc;

	/* IOCs from the markup-free text and from the raw text (attributes) */
	if (shodo_note_extract(text, r) || shodo_note_extract(raw, r))
		goto out;

	/* vocabulary */
	int gsum[NGROUPS] = {0};
	char why[512];
	size_t wl = 0;
	why[0] = 0;
	for (size_t i = 0; i < sizeof(features) / sizeof(features[0]); i++) {
		const feature *f = &features[i];
		const char *p = strstr(low, f->pat);
		/* short Latin patterns must be whole words */
		if (p && strlen(f->pat) <= 4 && isalpha((unsigned char)f->pat[0]))
			p = nt_find_word(low, f->pat);
		if (p)
			gsum[f->grp] += f->w;
	}
	int content = 0, groups = 0, demand = 0;
	for (int g = 0; g < NGROUPS; g++) {
		int v = gsum[g];
		/* what makes a text a demand rather than a manual about encryption:
		 * it speaks to the victim, asks for payment or contact, threatens,
		 * warns, or offers a test decryption */
		if (v > 0 && (g == G_VICTIM || g == G_PAY || g == G_CONTACT || g == G_THREAT || g == G_WARN || g == G_TEST))
			demand = 1;
		if (g == G_BENIGN) {
			if (v < -group_cap[g])
				v = -group_cap[g];
		} else {
			if (v > group_cap[g])
				v = group_cap[g];
			if (v >= 5)
				groups++;
		}
		content += v;
		if (v && wl < sizeof(why) - 32)
			wl += (size_t)snprintf(why + wl, sizeof(why) - wl, "%s%s:%d", wl ? " " : "", group_name[g], v);
	}
	if (groups >= 4)
		content += 10;
	if (groups >= 5)
		content += 5;
	/* a long text with a little ransom vocabulary is a document, not a note */
	size_t tl = strlen(low);
	if (tl > 20000)
		content -= (int)((tl - 20000) / 2000);
	if (content < 0)
		content = 0;

	/* contacts */
	int ioc = 0;
	int onions = count_list(r->onions);
	if (onions) {
		int v3 = 0;
		for (const char *p = r->onions; p && *p;) {
			const char *e = strchr(p, ' ');
			size_t l = e ? (size_t)(e - p) : strlen(p);
			if (l == 62)
				v3 = 1;
			p += l;
			while (*p == ' ')
				p++;
		}
		ioc += v3 ? 25 : 15;
	}
	if (count_list(r->btc))
		ioc += 20;
	if (count_list(r->tox))
		ioc += 25;
	if (count_list(r->xmr))
		ioc += 15;
	if (count_list(r->session))
		ioc += 15;
	int anon = 0, mails = count_list(r->emails);
	if (mails) {
		char *dup = strdup(r->emails);
		if (!dup)
			goto out;
		for (char *save = NULL, *tok = strtok_r(dup, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
			anon |= mail_anon(tok);
		free(dup);
		ioc += anon ? 15 : 5;
	}
	if (ioc > 45)
		ioc = 45;

	char nwhy[32];
	int ns = name_score(name, lname, nwhy, sizeof(nwhy));

	/* terse notes: a contact and a note name and little else */
	int terse = 0;
	if (tl < 400 && ioc >= 15 && ns >= 10)
		terse = 15;

	/* the family is named after the verdict and plays no part in it: a
	 * family nobody has seen yet is detected by what its note says */
	r->family = nt_attribute(text, low, lname, r->family_buf, sizeof(r->family_buf));

	r->content_score = content;
	r->ioc_score = ioc;
	r->name_score = ns;
	int total = content + ioc + ns + terse;
	if (total > 100)
		total = 100;
	r->score = total;
	/* the content has to speak for itself: a note name alone is no note */
	r->is_note = total >= SHODO_NOTE_THRESHOLD && (content >= 20 || ioc >= 15) && (demand || ioc >= 15 || terse);
	if (!r->is_note)
		r->family = NULL;
	r->language = nt_guess_language(low);
	snprintf(r->reasons, sizeof(r->reasons), "%s%sioc:%d %s%s", why, *why ? " " : "", ioc, nwhy,
	         terse ? " terse:15" : "");
	rc = 0;
out:
	free(raw);
	free(text);
	free(low);
	free(lname);
	fix_lists(r);
	if (rc)
		shodo_note_free(r);
	if (rc)
		fix_lists(r);
	return rc;
}
