/*
 * peek SOURCE [SECONDS] — prints what shodo_triage_peek() finds, one line
 * per volume: label<TAB>fstype<TAB>status<TAB>name<TAB>host<TAB>os<TAB>note,
 * then "host<TAB>...", "os<TAB>...", "timed_out<TAB>0|1".
 */
#include <stdio.h>
#include <stdlib.h>
#include "shodo/triage.h"

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: peek SOURCE [SECONDS]\n");
		return 2;
	}
	shodo_peek p;
	shodo_err err;
	shodo_err_clear(&err);
	shodo_peek_opts o = {argv[1], argc > 2 ? atof(argv[2]) : 0, NULL};
	if (shodo_triage_peek(&o, &p, &err) != SHODO_OK) {
		fprintf(stderr, "peek: %s\n", err.msg);
		return 3;
	}
	for (int i = 0; i < p.nvolumes; i++) {
		const shodo_peek_volume *v = &p.volumes[i];
		printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\n", v->label, v->fstype, v->status, v->name, v->host, v->os, v->note);
	}
	printf("host\t%s\nos\t%s\ntimed_out\t%d\nwarning\t%s\n", p.host, p.os, p.timed_out, p.warning);
	return 0;
}
