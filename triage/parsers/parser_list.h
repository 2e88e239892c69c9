/* One line per parser: PARSER(name) registers `shodo_parser_<name>`, defined
 * in triage/parsers/<name>.c.  Cheap, specific bidders first. */
/* (parsers are added here as they land) */
PARSER(notes)
