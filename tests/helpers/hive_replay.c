/*
 * hive_replay HIVE OUT — replays HIVE's transaction logs with shodo's
 * hivelog_replay and moves the replayed copy to OUT, so that a test can
 * compare it byte for byte and read it with hivexget.  Prints the note;
 * exits 0 when a copy was written, 1 when nothing was replayed, 2 on error.
 */
#include <stdio.h>
#include <stdlib.h>
#include "triage/parsers/hivelog.h"

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: hive_replay HIVE OUT\n");
		return 2;
	}
	hivelog_result r;
	if (hivelog_replay(argv[1], NULL, &r) < 0) {
		fprintf(stderr, "hive_replay: cannot read '%s'\n", argv[1]);
		return 2;
	}
	printf("dirty=%d replayed=%d complete=%d entries=%u pages=%u seq=%u->%u logs=%s\n%s\n", r.dirty, r.replayed,
	       r.complete, r.entries, r.pages, r.seq_before, r.seq_after, r.logs, r.note);
	if (!r.replayed)
		return 1;
	if (rename(r.copy, argv[2]) != 0) {
		perror("rename");
		return 2;
	}
	return 0;
}
