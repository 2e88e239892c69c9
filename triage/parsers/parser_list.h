/* One line per parser: PARSER(name) registers `shodo_parser_<name>`, defined
 * in triage/parsers/<name>.c.  Cheap, specific bidders first. */
PARSER(evtx)
PARSER(evt)
PARSER(prefetch)
PARSER(hive_sam)
PARSER(hive_system)
PARSER(hive_software)
PARSER(hive_security)
PARSER(hive_other)
PARSER(ransom_note)
PARSER(gpttmpl)
PARSER(ntds)
PARSER(executable)
