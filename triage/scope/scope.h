/*
 * triage/scope/scope.h — helpers of the scoping stage exposed for tests.
 */
#ifndef SHODO_TRIAGE_SCOPE_H
#define SHODO_TRIAGE_SCOPE_H

#include "triage/triage_int.h"

/* Files with one appended extension needed before it is called encryption. */
#define SHODO_SCOPE_MIN_ENCRYPTED 5

/* 1 when name carries ext appended after a user-file extension
 * ("report.docx.lockbit", "a.xlsx.id[..].[x@y.z].eking" with ext "eking"). */
int shodo_scope_appended(const char *name, const char *ext);

/* sessions.c: Remote Desktop connections and network logons from the logon
 * events, into table sessions (logons.session marks each event's row) */
shodo_status shodo_scope_sessions(shodo_triage_ctx *ctx, shodo_err *err);

/* hostid.c: the OS (SOFTWARE, else the newest boot event, else the prefetch
 * format) and SAM/SECURITY machine SIDs compared, into host (source 'scope') */
shodo_status shodo_scope_host(shodo_triage_ctx *ctx, shodo_err *err);
/* "Windows 10 22H2", "Windows Server 2019", "Windows 7 or Windows Server
 * 2008 R2" from the version, build and SYSTEM's ProductType (NULL unknown) */
void shodo_scope_os_name(unsigned major, unsigned minor, unsigned build, const char *ptype, char *out, size_t n);

/* tools.c: flags renamed copies of flagged tools by hash */
shodo_status shodo_scope_tools(shodo_triage_ctx *ctx, shodo_err *err);

#endif
