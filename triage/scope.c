/* Placeholder so the triage pipeline links while the scoping (issue 4) stage is built;
 * it does nothing and says so in the log. */
#include "triage_int.h"

shodo_status shodo_scope_run(shodo_triage_ctx *ctx, shodo_err *err)
{
	shodo_emit(ctx->sink, SHODO_EV_INFO, "scope", "scope stage not built yet");
	return SHODO_OK;
}
