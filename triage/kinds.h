/*
 * triage/kinds.h — the kinds of artifact shodo knows, one line each:
 *
 *   KIND(category, sample path, parsed)
 *
 * category  the CAT_* (triage_int.h) a collected file of this kind gets;
 *           triage/collect/targets.c assigns it by path pattern
 * sample    a path such a file has on a Windows volume; the fuzz target's
 *           inputs pretend to be it (tests/fuzz/fuzz_parsers.c: the first
 *           input byte indexes this list, so append, never reorder)
 * parsed    1: a parser of parsers/parser_list.h bids for it; 0: collected
 *           only (copied and hashed for the analyst)
 *
 * Driven by it: the fuzz target's kinds, the categories shodo parse accepts
 * (triage/parse.c), and tests/unit/test_collect.c, which fails when a
 * target's category is not listed here, when a parsed kind reaches no
 * parser, or when a registered parser is reached by no kind.
 *
 * Adding a kind of artifact: a line here, its targets in collect/targets.c,
 * and (when parsed) a parser in parsers/ and a fuzz seed in
 * tests/fuzz/seeds/fuzz_parsers/ whose first byte is the line's index.
 */
KIND(CAT_EVTX, "Windows/System32/winevt/Logs/Security.evtx", 1)
KIND(CAT_EVT, "Windows/System32/config/SecEvent.Evt", 1)
KIND(CAT_PREFETCH, "Windows/Prefetch/CMD.EXE-4A81B364.pf", 1)
KIND(CAT_REGISTRY, "Windows/System32/config/SAM", 1)
KIND(CAT_REGISTRY, "Windows/System32/config/SYSTEM", 1)
KIND(CAT_REGISTRY, "Windows/System32/config/SOFTWARE", 1)
KIND(CAT_REGISTRY, "Windows/System32/config/SECURITY", 1)
KIND(CAT_REGISTRY, "Users/nurse/NTUSER.DAT", 1)
KIND(CAT_ACCOUNT_DB, "Windows/NTDS/ntds.dit", 1)
KIND(CAT_POLICY, "Windows/SYSVOL/domain/Policies/{31B2F340-016D-11D2-945F-00C04FB984F9}/MACHINE/Microsoft/Windows NT/SecEdit/GptTmpl.inf", 1)
KIND(CAT_RANSOM_NOTE, "Users/Public/HOW_TO_DECRYPT.txt", 1)
KIND(CAT_MFT, "$MFT", 0)
KIND(CAT_TASK, "Windows/System32/Tasks/Updater", 0)
KIND(CAT_EXECUTABLE, "Users/bob/AppData/Local/Temp/svchelper.exe", 1)
KIND(CAT_SCRIPT, "Users/nurse/AppData/Local/Temp/run.ps1", 0)
KIND(CAT_USNJRNL, "$Extend/$UsnJrnl:$J", 0)
KIND(CAT_RDP_CACHE, "Users/nurse/AppData/Local/Microsoft/Terminal Server Client/Cache/bcache24.bmc", 0)
KIND(CAT_PS_HISTORY, "Users/nurse/AppData/Roaming/Microsoft/Windows/PowerShell/PSReadLine/ConsoleHost_history.txt", 0)
KIND(CAT_NTDS_LOG, "Windows/NTDS/edb.log", 0)
KIND(CAT_ZONE_ID, "Users/nurse/Downloads/x.exe:Zone.Identifier", 0)
KIND(CAT_OTHER, "Users/nurse/Documents/notes.txt", 1)   /* text anywhere may be a ransom note */
