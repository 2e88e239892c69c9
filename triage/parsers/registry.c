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

const shodo_parser *shodo_parser_choose_from(const shodo_parser *const *list, const shodo_artifact *a,
                                             const unsigned char *head, size_t n, const shodo_parser *tie[2])
{
	const shodo_parser *best = NULL, *rival = NULL;
	int best_bid = 0;
	if (tie)
		tie[0] = tie[1] = NULL;
	for (size_t i = 0; list[i]; i++) {
		int b = list[i]->bid(a, head, n);
		if (b > best_bid) {
			best_bid = b;
			best = list[i];
			rival = NULL;
		} else if (b > 0 && b == best_bid && !rival) {
			rival = list[i];
		}
	}
	if (rival) {
		if (tie) {
			tie[0] = best;
			tie[1] = rival;
		}
		return NULL;
	}
	return best;
}

const shodo_parser *shodo_parser_choose(const shodo_artifact *a, const unsigned char *head, size_t n,
                                        const shodo_parser *tie[2])
{
	return shodo_parser_choose_from(shodo_parsers, a, head, n, tie);
}
