/* Placeholder so the triage pipeline links while the parsers (issue 4) stage is built;
 * it does nothing and says so in the log. */
#include "triage_int.h"

shodo_status shodo_analyse_run(shodo_triage_ctx *ctx, const shodo_artifact *arts, size_t n, shodo_err *err)
{
	shodo_emit(ctx->sink, SHODO_EV_INFO, "analyse", "analyse stage not built yet");
	return SHODO_OK;
}
