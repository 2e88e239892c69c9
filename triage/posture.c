/* Placeholder so the triage pipeline links while the posture (issue 6) stage is built;
 * it does nothing and says so in the log. */
#include "triage_int.h"

shodo_status shodo_posture_run(shodo_triage_ctx *ctx, const shodo_artifact *arts, size_t n, shodo_err *err)
{
	shodo_emit(ctx->sink, SHODO_EV_INFO, "posture", "posture stage not built yet");
	return SHODO_OK;
}
