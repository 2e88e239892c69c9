/*
 * triage/store_tally.h — shodo parse's per-file summary of logons and
 * events, tallied as the rows are stored (store_tally.c).  Internal to the
 * store: store.c feeds it, parse.c reads it through store.h.
 */
#ifndef SHODO_TRIAGE_STORE_TALLY_H
#define SHODO_TRIAGE_STORE_TALLY_H

struct store_tally;

struct store_tally *store_tally_new(void);
void store_tally_free(struct store_tally *t);
/* one stored row; -1 on out of memory (the tallies are then unusable) */
int store_tally_logon(struct store_tally *t, const char *source, const char *result, int logon_type, const char *ip,
                      long long record);
int store_tally_event(struct store_tally *t, const char *source, const char *category, const char *time);
/* at BEGIN; at ROLLBACK: back to the mark */
void store_tally_mark(struct store_tally *t);
void store_tally_rollback(struct store_tally *t);
int store_tally_usable(const struct store_tally *t);
/* the summary lines of one source, logons (events 0) or events (1), each
 * handed to line(); -1 when the tallies are unusable */
int store_tally_lines(struct store_tally *t, const char *source, int events, void (*line)(void *ud, char *text),
                      void *ud);

#endif
