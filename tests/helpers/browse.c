/*
 * browse DIR                    shodo_browse_case() as JSON
 * browse DIR ID VIEW [FILTER]   shodo_browse_table() as JSON
 * browse DIR ID|- text WHICH    shodo_browse_text()
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shodo/browse.h"

int main(int argc, char **argv)
{
	shodo_err err;
	shodo_err_clear(&err);
	if (argc == 2) {
		json_t *j = shodo_browse_case(argv[1], &err);
		if (!j) {
			fprintf(stderr, "browse: %s\n", err.msg);
			return 3;
		}
		json_dumpf(j, stdout, JSON_INDENT(1));
		json_decref(j);
		return 0;
	}
	if (argc == 5 && !strcmp(argv[3], "text")) {
		char *t = shodo_browse_text(argv[1], strcmp(argv[2], "-") ? argv[2] : NULL, argv[4], &err);
		if (!t) {
			fprintf(stderr, "browse: %s\n", err.msg);
			return 3;
		}
		fputs(t, stdout);
		free(t);
		return 0;
	}
	if (argc < 4)
		return 2;
	json_t *j = shodo_browse_table(argv[1], argv[2], argv[3], argc > 4 ? argv[4] : NULL, 0, &err);
	if (!j) {
		fprintf(stderr, "browse: %s\n", err.msg);
		return 3;
	}
	json_dumpf(j, stdout, JSON_INDENT(1));
	json_decref(j);
	return 0;
}
