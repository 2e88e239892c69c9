#include "posture_int.h"
shodo_status posture_reuse_run(shodo_triage_ctx *ctx, const shodo_artifact *arts, size_t n, shodo_err *err)
{
	return SHODO_OK;
}
