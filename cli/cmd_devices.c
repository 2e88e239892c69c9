#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "cli.h"
#include "shodo/devices.h"
#include "shodo/util.h"

static void help(FILE *fp)
{
	fprintf(fp, "usage: shodo devices [--json] [DEVICE...]\n\n"
	            "Lists block devices: path, size, logical/physical sector size, model, serial,\n"
	            "transport, removable, read-only flag, partition table, mounted partitions and\n"
	            "whether the device holds the running system (the boot medium); below each\n"
	            "disk its partitions with size, file system and label.\n\n"
	            "  --json     print one JSON document\n"
	            "  -h, --help this text\n");
}

int cmd_devices(int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", no_argument, NULL, 'j'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
	};
	int json = 0, c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'h': help(stdout); return 0;
		default: return cli_usage("devices", "unknown option");
		}
	}
	shodo_err err;
	shodo_err_clear(&err);
	shodo_device *devs = NULL;
	int n = 0;
	if (optind < argc) {
		n = argc - optind;
		devs = calloc((size_t)n, sizeof(*devs));
		for (int i = 0; i < n; i++)
			if (shodo_device_probe(argv[optind + i], &devs[i], &err) != SHODO_OK) {
				free(devs);
				return cli_fail(&err);
			}
	} else if (shodo_devices_list(&devs, &n, &err) != SHODO_OK) {
		return cli_fail(&err);
	}
	if (json) {
		json_t *arr = json_array();
		for (int i = 0; i < n; i++)
			json_array_append_new(arr, shodo_device_json(&devs[i]));
		cli_print_json(json_pack("{s:o}", "devices", arr));
	} else {
		printf("%-14s %10s %9s %-6s %-4s %-24s %-20s %-5s %s\n", "DEVICE", "SIZE", "SECTOR", "BUS", "PT",
		       "MODEL", "SERIAL", "FLAGS", "MOUNTED");
		for (int i = 0; i < n; i++) {
			const shodo_device *d = &devs[i];
			char sz[32], sec[16], flags[16] = "";
			shodo_fmt_size(d->size, sz);
			snprintf(sec, sizeof(sec), "%u/%u", d->logical_sector, d->physical_sector);
			if (d->removable)
				strcat(flags, "R");
			if (d->read_only)
				strcat(flags, "ro");
			if (d->boot_medium)
				strcat(flags, "B");
			if (d->live_system)
				strcat(flags, "L");
			if (d->cases_volume)
				strcat(flags, "C");
			printf("%-14s %10s %9s %-6s %-4s %-24.24s %-20.20s %-5s ", d->path, sz, sec, d->transport,
			       d->partition_table[0] ? d->partition_table : "-", d->model[0] ? d->model : "-",
			       d->serial[0] ? d->serial : "-", flags[0] ? flags : "-");
			if (!d->nmounts)
				printf("-");
			for (int m = 0; m < d->nmounts; m++)
				printf("%s%s %s (%s)", m ? ", " : "", d->mounts[m].partition, d->mounts[m].mountpoint,
				       d->mounts[m].read_write ? "rw" : "ro");
			if (d->backing_file[0])
				printf(" [file %s]", d->backing_file);
			printf("\n");
			for (int k = 0; k < d->nparts; k++) {
				const shodo_partition *p = &d->parts[k];
				printf("  %-12s %10s %-10s %s%s%s%s\n", p->path, shodo_fmt_size(p->size, sz),
				       p->fstype[0] ? p->fstype : "-", p->label[0] ? "'" : "", p->label, p->label[0] ? "'" : "",
				       p->read_only ? " ro" : "");
			}
			if (d->fstype[0])
				printf("  %-12s %10s %-10s %s%s%s\n", "(whole disk)", sz, d->fstype, d->label[0] ? "'" : "", d->label,
				       d->label[0] ? "'" : "");
		}
		printf("\nflags: R removable, ro read-only, B boot medium (the stick, or holds the running system),\n"
		       "       L live system (squashfs, RAM), C holds a SHODO_CASES file system; B and L are never sources\n");
	}
	free(devs);
	return 0;
}
