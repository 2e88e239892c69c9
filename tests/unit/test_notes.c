/* Unit tests for triage/scope/notes/detect.c: IOC validation and extraction, decoding,
 * scoring and family attribution on small inputs written here. */
#include "unit.h"
#include "triage/scope/notes/notes.h"

static int analyse(const char *name, const char *text, shodo_note *r)
{
	return shodo_note_analyse(name, (const unsigned char *)text, strlen(text), r);
}

TEST(btc_checksums)
{
	CHECK(shodo_btc_valid("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", 34));
	CHECK(shodo_btc_valid("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", 34));
	/* one character changed: base58check fails */
	CHECK(!shodo_btc_valid("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb", 34));
	CHECK(!shodo_btc_valid("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLz", 34));
	/* not base58 ('0', 'O', 'l', 'I' are not in the alphabet) */
	CHECK(!shodo_btc_valid("1A1zP1eP5QGefi2DMPTfTL5SLmv7Div0Na", 34));
	/* bech32 v0 (P2WPKH) and bech32m v1 (taproot) */
	CHECK(shodo_btc_valid("bc1qqqqsyqcyq5rqwzqfpg9scrgwpugpzysn4v0345", 42));
	CHECK(shodo_btc_valid("BC1QQQQSYQCYQ5RQWZQFPG9SCRGWPUGPZYSN4V0345", 42));
	CHECK(shodo_btc_valid("bc1pqqqsyqcyq5rqwzqfpg9scrgwpugpzysnzs23v9ccrydpk8qarc0sg5tmnz", 62));
	/* v1 with a bech32 (not bech32m) checksum, flipped char, mixed case */
	CHECK(!shodo_btc_valid("bc1pqqqsyqcyq5rqwzqfpg9scrgwpugpzysnzs23v9ccrydpk8qarc0sagmhkq", 62));
	CHECK(!shodo_btc_valid("bc1qqqqsyqcyq5rqwzqfpg9scrgwpugpzysn4v0346", 42));
	CHECK(!shodo_btc_valid("bc1qqqqsyqcyq5rqwzqfpg9scrgwpugpzysn4V0345", 42));
}

TEST(onion_versions)
{
	const char *v3 = "duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczad.onion";
	CHECK_INT(shodo_onion_valid(v3, strlen(v3)), 3);
	const char *bad = "duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczbd.onion";
	CHECK_INT(shodo_onion_valid(bad, strlen(bad)), 0);
	CHECK_INT(shodo_onion_valid("expyuzz4wqqyqhjn.onion", 22), 2);
	CHECK_INT(shodo_onion_valid("expyuzz4wqqyqhj.onion", 21), 0);   /* 15 chars */
	CHECK_INT(shodo_onion_valid("expyuzz4wqqyqhj1.onion", 22), 0);  /* '1' is not base32 */
}

TEST(tox_ids)
{
	const char *good = "0A0B0C0D0E0F101112131415161718191A1B1C1D1E1F202122232425262728292A2B2C2D2626";
	CHECK_INT(strlen(good), 76);
	CHECK(shodo_tox_valid(good, 76));
	const char *badsum = "0A0B0C0D0E0F101112131415161718191A1B1C1D1E1F202122232425262728292A2B2C2D2627";
	CHECK(!shodo_tox_valid(badsum, 76));
	CHECK(!shodo_tox_valid(good, 74));
}

TEST(extract_contacts)
{
	shodo_note r;
	memset(&r, 0, sizeof(r));
	const char *t =
		"Mail: Decrypt.Support@ProtonMail.com or backup [at] onionmail [dot] org\n"
		"Site: http://duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczad.onion/chat?id=1\n"
		"Old: expyuzz4wqqyqhjn.onion, fake: duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczbd.onion\n"
		"BTC: 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa (not 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb)\n"
		"bc1qqqqsyqcyq5rqwzqfpg9scrgwpugpzysn4v0345\n"
		"Tox: 0A0B0C0D0E0F101112131415161718191A1B1C1D1E1F202122232425262728292A2B2C2D2626\n"
		"not tox: 0A0B0C0D0E0F101112131415161718191A1B1C1D1E1F202122232425262728292A2B2C2D262\n"
		"Session: 05aabbccddeeff00112233445566778899aabbccddeeff00112233445566778899\n"
		"see https://www.torproject.org/download/.";
	CHECK_INT(shodo_note_extract(t, &r), 0);
	CHECK_STR(r.emails, "decrypt.support@protonmail.com backup@onionmail.org");
	CHECK_STR(r.onions, "duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczad.onion expyuzz4wqqyqhjn.onion");
	CHECK_STR(r.btc, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa bc1qqqqsyqcyq5rqwzqfpg9scrgwpugpzysn4v0345");
	CHECK_STR(r.tox, "0A0B0C0D0E0F101112131415161718191A1B1C1D1E1F202122232425262728292A2B2C2D2626");
	CHECK_STR(r.session, "05aabbccddeeff00112233445566778899aabbccddeeff00112233445566778899");
	CHECK_STR(r.urls, "https://www.torproject.org/download/");
	shodo_note_free(&r);
}

TEST(utf16_and_fullwidth_email)
{
	/* UTF-16LE without BOM, and a fullwidth at sign in UTF-8 */
	const char *ascii = "Your files are encrypted. Write to rescue@tutanota.com";
	unsigned char u16[256];
	size_t n = 0;
	for (const char *p = ascii; *p; p++) {
		u16[n++] = (unsigned char)*p;
		u16[n++] = 0;
	}
	shodo_note r;
	CHECK_INT(shodo_note_analyse("README.txt", u16, n, &r), 0);
	CHECK_STR(r.encoding, "utf-16le");
	CHECK_STR(r.emails, "rescue@tutanota.com");
	shodo_note_free(&r);
	CHECK_INT(analyse("x.txt", "contact: help\xef\xbc\xa0" "cock.li now", &r), 0);
	CHECK_STR(r.emails, "help@cock.li");
	shodo_note_free(&r);
	/* UTF-16BE with BOM */
	unsigned char be[64] = {0xFE, 0xFF};
	size_t m = 2;
	for (const char *p = "a@b.cc"; *p; p++) {
		be[m++] = 0;
		be[m++] = (unsigned char)*p;
	}
	CHECK_INT(shodo_note_analyse("n.txt", be, m, &r), 0);
	CHECK_STR(r.encoding, "utf-16be-bom");
	CHECK_STR(r.emails, "a@b.cc");
	shodo_note_free(&r);
}

TEST(markup_is_stripped)
{
	const char *html = "<html><head><style>p{color:red}</style></head><body><p>All your files have "
	                   "<b>been</b> encrypted!</p><p>Contact &#x75;s at <a href=\"mailto:x@y.org\">mail</a>"
	                   "</p></body></html>";
	char *t = shodo_note_text((const unsigned char *)html, strlen(html), "note.hta", NULL);
	CHECK(t && strstr(t, "All your files have  been  encrypted!") != NULL);
	CHECK(t && strstr(t, "Contact us at") != NULL);
	CHECK(t && !strstr(t, "color"));
	CHECK(t && !strchr(t, '<'));
	free(t);
	const char *rtf = "{\\rtf1\\ansi{\\fonttbl{\\f0 Arial;}}\\f0\\fs20 Your files are encrypted\\par "
	                  "Pay in bitcoin \\'e9t\\'e9 \\u26263?\\par}";
	t = shodo_note_text((const unsigned char *)rtf, strlen(rtf), "x.rtf", NULL);
	CHECK(t && strstr(t, "Your files are encrypted\nPay in bitcoin \xc3\xa9t\xc3\xa9 \xe6\x9a\x97") != NULL);
	CHECK(t && !strstr(t, "Arial"));
	free(t);
}

TEST(scores_notes_and_not_documents)
{
	shodo_note r;
	/* an unseen family in English: vocabulary + contacts + name */
	CHECK_INT(analyse("HOW_TO_RESTORE_FILES.txt",
	                  "Hello! All your files have been encrypted and your data was stolen.\n"
	                  "To get the decryption key contact us: zzz@onionmail.org\n"
	                  "Do not rename encrypted files. We will publish your data on our blog in 72 hours.\n",
	                  &r), 0);
	CHECK(r.is_note);
	CHECK(r.family == NULL);
	CHECK_STR(r.language, "en");
	shodo_note_free(&r);
	/* Japanese */
	CHECK_INT(analyse("お読みください.txt",
	                  "あなたのファイルはすべて暗号化されました。復号するにはビットコインで身代金を支払ってください。"
	                  "連絡先: fukugo@protonmail.com",
	                  &r), 0);
	CHECK(r.is_note);
	CHECK_STR(r.language, "ja");
	shodo_note_free(&r);
	/* German */
	CHECK_INT(analyse("LIESMICH.txt",
	                  "Alle Ihre Dateien wurden verschlüsselt. Zahlen Sie das Lösegeld in Bitcoin, um sie zu "
	                  "entschlüsseln. Kontakt: hilfe@tutanota.de",
	                  &r), 0);
	CHECK(r.is_note);
	CHECK_STR(r.language, "de");
	shodo_note_free(&r);
	/* a backup tool's README speaks of encrypt/decrypt/restore */
	CHECK_INT(analyse("README",
	                  "backuptool - encrypted backups\n\nUsage: backuptool restore [options]\n"
	                  "Backups are encrypted with your private key; to restore your files run the restore "
	                  "command. See the documentation and the LICENSE file (GPL). Report bugs to "
	                  "dev@example.org. Copyright 2020 the authors.\n",
	                  &r), 0);
	CHECK(!r.is_note);
	shodo_note_free(&r);
	/* a note name with nothing in it */
	CHECK_INT(analyse("!!!README!!!.txt", "Thanks for installing. Have fun.", &r), 0);
	CHECK(!r.is_note);
	shodo_note_free(&r);
	/* empty and binary input */
	CHECK_INT(shodo_note_analyse("README.txt", (const unsigned char *)"", 0, &r), 0);
	CHECK(!r.is_note);
	CHECK_STR(r.emails, "");
	shodo_note_free(&r);
	unsigned char junk[512];
	for (int i = 0; i < 512; i++)
		junk[i] = (unsigned char)(i * 37 + 11);
	CHECK_INT(shodo_note_analyse("README.txt", junk, sizeof(junk), &r), 0);
	CHECK(!r.is_note);
	shodo_note_free(&r);
}

TEST(manuals_with_note_names)
{
	shodo_note r;
	/* a note-like name on a manual about encryption: no demand, no contact
	 * channel of an attacker */
	CHECK_INT(analyse("README_DECRYPT.txt",
	                  "GnuPG quick guide: to decrypt a file that was encrypted for you, run\n"
	                  "  gpg --decrypt file.gpg > file\n"
	                  "You need your private key. To encrypt files for a colleague, import their public key first.\n"
	                  "Questions: security@hospital.example\n",
	                  &r), 0);
	CHECK(!r.is_note);
	shodo_note_free(&r);
	/* a BitLocker recovery key file (UTF-16 with BOM, as Windows saves it) */
	static const char bl[] = "BitLocker Drive Encryption recovery key\r\n\r\nTo verify that this is the correct "
	                         "recovery key, compare the start of the following identifier with the identifier value "
	                         "displayed on your PC.\r\n\r\nRecovery Key:\r\n\r\n\t123456-234567-345678-456789-"
	                         "567890-678901-789012-890123\r\n";
	unsigned char u16[1024];
	size_t n = 0;
	u16[n++] = 0xFF;
	u16[n++] = 0xFE;
	for (const char *p = bl; *p && n + 2 < sizeof(u16); p++) {
		u16[n++] = (unsigned char)*p;
		u16[n++] = 0;
	}
	CHECK_INT(shodo_note_analyse("BitLocker Recovery Key 5A3B2C1D.TXT", u16, n, &r), 0);
	CHECK(!r.is_note);
	CHECK_STR(r.encoding, "utf-16le-bom");
	shodo_note_free(&r);
}

TEST(family_markers)
{
	shodo_note r;
	CHECK_INT(analyse("Restore-My-Files.txt",
	                  "LockBit 2.0 Ransomware\nYour data are stolen and encrypted. Pay bitcoin. Tor browser: "
	                  "http://duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczad.onion",
	                  &r), 0);
	CHECK(r.is_note);
	CHECK_STR(r.family, "lockbit");
	shodo_note_free(&r);
	/* a family the table does not know signs its note */
	CHECK_INT(analyse("README.txt",
	                  "Zorbex Ransomware\nAll your files have been encrypted. Contact us to decrypt: "
	                  "zorbex@onionmail.org. Do not rename files.",
	                  &r), 0);
	CHECK(r.is_note);
	CHECK_STR(r.family, "zorbex");
	shodo_note_free(&r);
	/* "this ransomware" names nobody */
	CHECK_INT(analyse("README.txt",
	                  "Your files were encrypted by this ransomware. Contact us to decrypt: "
	                  "x@onionmail.org. Do not rename files.",
	                  &r), 0);
	CHECK(r.is_note);
	CHECK(r.family == NULL);
	shodo_note_free(&r);
}

int main(void)
{
	RUN(btc_checksums);
	RUN(onion_versions);
	RUN(tox_ids);
	RUN(extract_contacts);
	RUN(utf16_and_fullwidth_email);
	RUN(markup_is_stripped);
	RUN(scores_notes_and_not_documents);
	RUN(manuals_with_note_names);
	RUN(family_markers);
	UNIT_END();
}
