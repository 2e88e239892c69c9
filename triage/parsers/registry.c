#include <stddef.h>
#include "triage/triage_int.h"

#define PARSER(name) extern const shodo_parser shodo_parser_##name;
#include "parser_list.h"
#undef PARSER

const shodo_parser *const shodo_parsers[] = {
#define PARSER(name) &shodo_parser_##name,
#include "parser_list.h"
#undef PARSER
	NULL,
};

const shodo_parser *shodo_parser_choose(const shodo_artifact *a, const unsigned char *head, size_t n)
{
	const shodo_parser *best = NULL;
	int best_bid = 0;
	for (size_t i = 0; shodo_parsers[i]; i++) {
		int b = shodo_parsers[i]->bid(a, head, n);
		if (b > best_bid) {
			best_bid = b;
			best = shodo_parsers[i];
		}
	}
	return best;
}
