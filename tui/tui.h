/*
 * tui/tui.h — the ncurses front end's shared parts.
 *
 *   app.c        the main loop, the screen stack, title/message/key bars,
 *                terminal set-up and its restoration on every exit path
 *                (atexit, signals, crashes), the session log
 *   ui.c         drawing and input: text made safe for the terminal and
 *                clipped by display width, word wrap, lists, forms, dialogs
 *   jobs.c       the job queue: engine calls on their own threads, their
 *                events rendered into progress and log lines
 *   bg.c         a background worker for slow looks (peek, size estimates)
 *   scr_*.c      one file per screen
 *
 * A screen is a small object on a stack: Enter goes forward, Esc goes back.
 * Everything a screen shows from evidence passes through ui_text(), which
 * replaces control characters, so that a hostile name cannot drive the
 * terminal.  The front end reads disks only through engine calls
 * (the public headers in include/shodo).
 */
#ifndef SHODO_TUI_H
#define SHODO_TUI_H

#include <curses.h>
#include <pthread.h>
#include <stdint.h>
#include <jansson.h>
#include "shodo/browse.h"
#include "shodo/dest.h"
#include "shodo/devices.h"
#include "shodo/event.h"
#include "shodo/imager.h"
#include "shodo/status.h"
#include "shodo/triage.h"

#define TUI_MIN_W 64
#define TUI_MIN_H 18

typedef struct tui_app tui_app;
typedef struct tui_screen tui_screen;

/* ---- screens ---- */
struct tui_screen {
	const char *title;
	const char *keys;     /* the key bar; NULL: the screen draws none */
	const char *help;     /* the help text for ? and F1 */
	/* draws the body: rows [y, y+h), columns [0, w) */
	void (*draw)(tui_app *a, tui_screen *s, int y, int h, int w);
	/* a key; returns 1 when handled */
	int (*key)(tui_app *a, tui_screen *s, int ch);
	/* called once per loop turn (about five times a second) */
	void (*tick)(tui_app *a, tui_screen *s);
	void (*destroy)(tui_screen *s);
	int text_input;       /* printable keys go to the screen first (forms) */
	void *st;
};

tui_screen *tui_screen_new(const char *title, const char *keys, const char *help, size_t state_size);
void app_push(tui_app *a, tui_screen *s);
/* Removes the top screen (never the first). */
void app_pop(tui_app *a);
/* Removes screens down to (not including) the first one. */
void app_pop_to_home(tui_app *a);
tui_screen *app_top(tui_app *a);

/* ---- the wizard's choices, carried from screen to screen ---- */
typedef enum tui_action { ACT_TRIAGE, ACT_IMAGE, ACT_TRIAGE_IMAGE } tui_action;

typedef struct tui_draft {
	/* source */
	char source[512];
	char source_desc[512];   /* "WDC WD5000 (serial WX1, 465.8 GiB, /dev/sdb)" */
	char source_model[128], source_serial[128];
	uint64_t source_size;
	char host[128], os[192];
	char source_disk[80];    /* block device of the source, "" for files */
	int source_e01;          /* an E01 set: it is an image already (triage only) */
	int source_no_fs;        /* the peek found no file system to triage (image only) */
	/* destination */
	char dest[512];          /* a file system's mount point or a folder */
	int dest_is_case;        /* dest is itself the case folder */
	char dest_note[256];     /* "mounted /dev/sdc1", "made /dev/sdc writable" */
	/* case and evidence */
	char case_dir[512];
	char case_number[128], examiner[128], evidence_id[72], description[256], notes[512];
	/* action and options */
	tui_action action;
	int format;              /* shodo_image_format */
	int compression;         /* shodo_image_compression */
	char segment[32];        /* "" default, else "2G" */
	int hashes;              /* SHODO_HASH_* */
	int verify;
	int profile;             /* shodo_triage_profile */
	char since[40], until[40];
	int resume;              /* continue an interrupted image of this ID */
} tui_draft;

/* ---- jobs (jobs.c) ---- */
typedef enum tui_job_state { TJ_RUNNING, TJ_DONE, TJ_CANCELLED, TJ_FAILED } tui_job_state;
typedef enum tui_job_kind { TJ_TRIAGE, TJ_IMAGE, TJ_TRIAGE_IMAGE, TJ_VERIFY } tui_job_kind;

#define TUI_JOB_LOG 400

typedef struct tui_job {
	int id;
	tui_job_kind kind;
	tui_draft d;             /* what was confirmed */
	char label[128];
	pthread_mutex_t mu;
	/* progress, under mu */
	char step[16];           /* "triage", "image", "verify" */
	char phase[32];
	uint64_t done, total;
	char unit[12];
	double t, phase_t0, rate;
	uint64_t bad_bytes;      /* unreadable bytes so far (acquisition warnings) */
	int warnings;
	char *log[TUI_JOB_LOG];
	int nlog;
	/* outcome */
	int finished;            /* the thread has returned */
	tui_job_state state;
	shodo_status st_triage, st_image, st_verify;
	int ran_triage, ran_image;
	shodo_err err;           /* the first failure */
	json_t *verify_doc;      /* TJ_VERIFY: the engine's result */
	double started, ended;   /* monotonic */
	/* owned by jobs.c */
	void *impl;
} tui_job;

tui_job *jobs_start(tui_app *a, tui_job_kind kind, const tui_draft *d);
void jobs_reap(tui_app *a);
void jobs_cancel(tui_job *j);
int jobs_running(tui_app *a);
void jobs_cancel_all_and_wait(tui_app *a);
void jobs_free_all(tui_app *a);
const char *jobs_state_name(const tui_job *j);
/* "2 running, 1 done" */
void jobs_summary(tui_app *a, char *out, size_t n);
/* Does an interrupted image of id sit in case_dir (state file, no
 * acquisition.json)?  1 yes; fills the options it was started with. */
int jobs_image_interrupted(const char *case_dir, const char *id, tui_draft *opts_out);
int jobs_image_complete(const char *case_dir, const char *id);
/* Is there a finished triage of id (custody's last triage action says so)?
 * An unfinished one is replaced by the next triage. */
int jobs_triage_finished(const char *case_dir, const char *id);

/* ---- background looks (bg.c) ---- */
typedef struct tui_peek {
	char path[512];
	int state;               /* 0 waiting, 1 reading, 2 done, 3 failed */
	shodo_peek p;
	char error[512];
} tui_peek;

typedef struct tui_estimate {
	char path[512];
	int format, compression;
	uint64_t segment;
	int state;               /* 0 waiting, 1 reading, 2 done, 3 failed */
	shodo_image_space size;   /* expected and worst_case; free_bytes is not used */
	char error[512];
} tui_estimate;

void bg_start(tui_app *a);
void bg_stop(tui_app *a);
/* Copies what is known of path into out; asks for it when not yet known.
 * Returns out->state. */
int bg_peek(tui_app *a, const char *path, tui_peek *out);
int bg_estimate(tui_app *a, const char *path, int format, int compression, uint64_t segment, tui_estimate *out);

/* ---- the application ---- */
#define TUI_MAX_SCREENS 16
#define TUI_MAX_FILES 32
#define TUI_MAX_JOBS 32
#define TUI_LOG_MAX 20000

typedef struct tui_log_line {
	char *text;
	int kind;                /* 0 info, 1 warning, 2 error */
} tui_log_line;

struct tui_app {
	tui_screen *stack[TUI_MAX_SCREENS];
	int depth;
	int H, W, too_small;
	int colors;
	char msg[512];           /* the message line */
	int msg_kind;            /* 0 info, 1 warning, 2 error */
	int quit;
	/* sources the user added: image files and E01 sets */
	char files[TUI_MAX_FILES][512];
	int nfiles;
	/* what the last confirmed job used: remembered for the next disk */
	tui_draft last;
	int have_last;
	/* jobs */
	tui_job *jobs[TUI_MAX_JOBS];
	int njobs;
	/* the session log (every job's events and every action), all lines kept whole */
	pthread_mutex_t log_mu;
	tui_log_line *log;
	int nlog;
	size_t caplog;
	int log_dropped;         /* oldest lines dropped (more than TUI_LOG_MAX) */
	unsigned log_gen;        /* changes when a line is added */
	/* background looks */
	void *bg;
	const char *ro_log;      /* where unlock decisions go (SHODO_RO_LOG or the default) */
};

void app_msg(tui_app *a, int kind, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Appends to the session log (thread safe). */
void app_log(tui_app *a, int kind, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Draws everything (the top screen and the bars) without waiting. */
void app_draw(tui_app *a);
/* One turn of work: reaps jobs, ticks the top screen.  Modal loops call it. */
void app_turn(tui_app *a);
/* Asks to quit (confirming when jobs run).  Returns 1 when quitting. */
int app_request_quit(tui_app *a);

/* ---- ui.c ---- */
enum { UI_INFO = 0, UI_WARN = 1, UI_ERR = 2 };

/* Draws UTF-8 text at (y, x), at most w columns, control characters and
 * invalid bytes shown as '?'.  Returns the columns used. */
int ui_text(int y, int x, int w, const char *s);
int ui_textf(int y, int x, int w, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Same, starting `skip` columns into the text (horizontal scrolling). */
int ui_text_skip(int y, int x, int w, const char *s, int skip);
/* Display width of s (as ui_text would draw it). */
int ui_width(const char *s);
/* Wrapped over at most maxrows rows of w columns; returns the rows used. */
int ui_text_wrap(int y, int x, int w, int maxrows, const char *s);
/* Clears a row from x to the right edge. */
void ui_clear(int y, int x, int w);
/* Word wrap: splits s (lines at '\n') into pieces of at most w columns.
 * Calls fn(piece, len, ud) for each; returns the number of lines. */
int ui_wrap(const char *s, int w, void (*fn)(const char *p, size_t len, void *ud), void *ud);
void ui_box(int y, int x, int h, int w, const char *title);
void ui_hline(int y, int x, int w);
/* the attribute for a highlighted row / a heading / a warning (no colours needed) */
void ui_attr_sel(int on);
void ui_attr_head(int on);
void ui_attr_warn(tui_app *a, int on);

/* Size with a unit, "465.8 GiB"; "?" for 0 when unknown. */
const char *ui_size(uint64_t n, char out[32]);
/* "1:02:03" or "--:--" */
void ui_eta(double s, char *out, size_t n);
/* An engine error as sentences: "What failed: why. What to do: hint." */
void ui_sentence(const shodo_err *err, char *out, size_t n);
/* A message from an engine as a sentence (first letter up, final stop, no
 * libyal function names). */
void ui_sentence_text(const char *msg, char *out, size_t n);

/* a list cursor */
typedef struct ui_list {
	int sel, top;
} ui_list;
/* Up/Down/PgUp/PgDn/Home/End/j/k; returns 1 when handled. */
int ui_list_key(ui_list *l, int ch, int n, int rows);
void ui_list_fit(ui_list *l, int n, int rows);

/* ---- modal dialogs (ui.c); they keep jobs and the screen moving ---- */
/* yes/no; returns 1 for yes.  body may hold several lines. */
int ui_confirm(tui_app *a, const char *title, const char *body, const char *yes, const char *no);
/* The user must type `word` (e.g. a device name) to confirm.  1 when typed. */
int ui_confirm_typed(tui_app *a, const char *title, const char *body, const char *word);
void ui_message(tui_app *a, const char *title, const char *body);
/* A one-line input.  check (may be NULL) returns why the text is not
 * acceptable (shown as it is typed) or NULL.  paths: Tab completes file
 * names.  Returns 1 on Enter with an acceptable text, 0 on Esc. */
int ui_input(tui_app *a, const char *title, const char *label, char *buf, size_t n,
             const char *(*check)(const char *text, void *ud), void *ud, int paths);
/* Scrollable help or text in a box over the screen; returns on Esc/q/Enter. */
void ui_show_text(tui_app *a, const char *title, const char *text);

/* ---- forms (ui.c) ---- */
typedef enum { FF_TEXT, FF_CHOICE, FF_PATH } ui_field_kind;
typedef struct ui_field {
	const char *label;
	ui_field_kind kind;
	char *buf;               /* FF_TEXT/FF_PATH */
	size_t size;
	const char *const *choices;   /* FF_CHOICE: NULL-terminated */
	int *choice;
	const char *hint;        /* shown under the form when focused (defaults, format) */
	/* why the value is not acceptable, or NULL; shown as typed */
	const char *(*check)(const char *text, void *ud);
	void *ud;
	int hidden;              /* not shown (depends on other choices) */
} ui_field;

typedef struct ui_form {
	ui_field *f;
	int n;
	int focus;
	int top;
	int cursor;              /* byte offset in the focused text field */
} ui_form;

void ui_form_draw(tui_app *a, ui_form *fm, int y, int h, int w);
/* Returns 1 handled, 2 Enter on the last field (submit), 0 not handled. */
int ui_form_key(ui_form *fm, int ch);
/* index of the first field whose check fails, -1 when all pass */
int ui_form_invalid(ui_form *fm, const char **why);

/* ---- screens ---- */
tui_screen *scr_devices_new(tui_app *a);
tui_screen *scr_dest_new(tui_app *a, tui_draft *d);
tui_screen *scr_case_new(tui_app *a, tui_draft *d);
tui_screen *scr_options_new(tui_app *a, tui_draft *d);
tui_screen *scr_confirm_new(tui_app *a, tui_draft *d);
tui_screen *scr_jobs_new(tui_app *a);
tui_screen *scr_item_new(tui_app *a, const char *case_dir, const char *id, tui_job *job);
tui_screen *scr_table_new(tui_app *a, const char *case_dir, const char *id, const char *view, const char *filter,
                          const char *jump_to);
tui_screen *scr_text_new(tui_app *a, const char *title, const char *text, const char *help);
tui_screen *scr_review_new(tui_app *a, const char *case_dir);
tui_screen *scr_log_new(tui_app *a);

/* The front end; files are image files to offer besides the devices. */
int tui_main(const char *const *files, int nfiles);

#endif
