/*
 * tz_local — local times with report/render.c's time zone rules, for tests
 * that compare them with tzdata (`TZ=Zone date`).
 *
 *   tz_local BIAS STDBIAS DLBIAS STDSTART DLSTART [YEAR=TZI ...] -- EPOCH...
 *
 * STDSTART/DLSTART are SYSTEMTIME bytes in hex (as the SYSTEM hive holds
 * them), TZI a REG_TZI_FORMAT in hex (a Dynamic DST year).  Prints, for each
 * EPOCH, "EPOCH +HHMM" (the offset, as date +%z prints it) and the report's
 * rendering.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report/render.h"
#include "shodo/util.h"

int main(int argc, char **argv)
{
	if (argc < 7) {
		fprintf(stderr, "usage: tz_local BIAS STDBIAS DLBIAS STDSTART DLSTART [YEAR=TZI ...] -- EPOCH...\n");
		return 2;
	}
	render_tz z;
	memset(&z, 0, sizeof(z));
	z.known = 1;
	z.rule.bias = atoi(argv[1]);
	z.rule.std_bias = atoi(argv[2]);
	z.rule.dl_bias = atoi(argv[3]);
	render_systemtime_hex(argv[4], &z.rule.std_start);
	render_systemtime_hex(argv[5], &z.rule.dl_start);
	int i = 6;
	for (; i < argc && strcmp(argv[i], "--"); i++) {
		const char *eq = strchr(argv[i], '=');
		if (!eq || z.nyears >= RENDER_TZ_YEARS || !render_tzi_hex(eq + 1, &z.years[z.nyears]))
			return 2;
		z.years[z.nyears++].year = atoi(argv[i]);
	}
	for (i++; i < argc; i++) {
		time_t t = (time_t)strtoll(argv[i], NULL, 10);
		int dst = 0, off = render_tz_offset(&z, t, &dst), a = off < 0 ? -off : off;
		char iso[32], out[96];
		shodo_time_iso(t, iso);
		render_local(iso, &z, out, sizeof(out));
		printf("%s %c%02d%02d %s\n", argv[i], off < 0 ? '-' : '+', a / 60, a % 60, out);
	}
	return 0;
}
