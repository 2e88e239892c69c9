/* Any byte string through the safe-path mapping: never a '/' or control
 * byte in a component, never "." or "..", always within the size limit. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "shodo/safepath.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[SHODO_SAFE_NAME_MAX + 1];
	size_t n = shodo_safe_component((const char *)data, size, out, sizeof(out));
	if (n != strlen(out) || n == 0 || n > SHODO_SAFE_NAME_MAX || strchr(out, '/') ||
	    !strcmp(out, ".") || !strcmp(out, ".."))
		abort();
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
			abort();
	char *z = malloc(size + 1), rel[4096];
	memcpy(z, data, size);
	z[size] = '\0';
	size_t rl = shodo_safe_relpath(z, rel, sizeof(rel));
	if (rl && !shodo_relpath_is_clean(rel))
		abort();
	free(z);
	return 0;
}
