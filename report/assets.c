/*
 * report/assets.c — the libraries the report pages use, inlined into the
 * program at build time from Debian's packages (paths set by the Makefile):
 * jQuery and DataTables (libjs-jquery, libjs-jquery-datatables), Chart.js
 * (libjs-chart.js), DataTables' stylesheet without its image references
 * (the pages load nothing), and report/page.js.  A page never fetches
 * anything at view time.
 */
#include "page.h"

#define ASSET(name, file)                                                                                  \
	__asm__(".section .rodata\n.global " #name "\n.type " #name ", @object\n.balign 16\n" #name ":\n"    \
	        ".incbin \"" file "\"\n.byte 0\n.global " #name "_end\n" #name "_end:\n.previous\n");          \
	extern const char name[], name##_end[];

ASSET(asset_jquery, SHODO_ASSET_JQUERY)
ASSET(asset_datatables, SHODO_ASSET_DATATABLES)
ASSET(asset_datatables_css, SHODO_ASSET_DATATABLES_CSS)
ASSET(asset_chartjs, SHODO_ASSET_CHARTJS)
ASSET(asset_page, SHODO_ASSET_PAGE)

const page_asset page_scripts[] = {
	{"jquery", asset_jquery, asset_jquery_end},
	{"datatables", asset_datatables, asset_datatables_end},
	{"chartjs", asset_chartjs, asset_chartjs_end},
	{"page", asset_page, asset_page_end},
	{NULL, NULL, NULL},
};

const page_asset page_css = {"datatables", asset_datatables_css, asset_datatables_css_end};
