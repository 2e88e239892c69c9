#!/bin/sh
# Local times from the host's own TimeZoneInformation and Dynamic DST rules,
# compared with tzdata (`TZ=Zone date`) at instants around every transition:
# Europe (northern), Sydney and Auckland (southern hemisphere, the daylight
# period spanning the new year), New York with its 2006 rules (Dynamic DST),
# Sao Paulo with Dynamic DST years 2017-2020 (daylight time abolished in
# 2019), Tokyo and India (no daylight time).  The rules are given as the
# SYSTEMTIME/REG_TZI_FORMAT bytes Windows stores; the same bytes go through a
# SYSTEM and a SOFTWARE hive built here, and `shodo parse` must give them back
# as hivexget reads them.
. "$SHODO_TOP/tests/lib/common.sh"
need hivexget libhivex-bin
need jq jq
[ -f /usr/share/zoneinfo/Australia/Sydney ] || skip "tzdata is not installed"
st() { # month dow week hour -> SYSTEMTIME hex
	printf '0000%02x00%02x00%02x00%02x00000000000000' "$1" "$2" "$3" "$4"; }
le32() { printf '%08x' $(( ($1 + 4294967296) % 4294967296 )) | sed 's/\(..\)\(..\)\(..\)\(..\)/\4\3\2\1/'; }
tzi() { # bias stdbias dlbias stdstart dlstart -> REG_TZI_FORMAT hex
	echo "$(le32 "$1")$(le32 "$2")$(le32 "$3")$4$5"; }
none=00000000000000000000000000000000
n=0
check() { # zone tzdata-name bias stdbias dlbias stdstart dlstart [years...] -- instants (UTC dates)
	zone=$1 tzname=$2; shift 2
	args=""
	while [ "$1" != -- ]; do args="$args $1"; shift; done
	shift
	for d in "$@"; do
		t=$(date -u -d "$d" +%s) || fail "bad date $d"
		for e in $((t - 1)) $t $((t + 3600)); do
			got=$("$HELPERS/tz_local" $args -- $e | cut -d' ' -f2)
			want=$(TZ=$tzname date -d @$e +%z)
			[ "$got" = "$want" ] || fail "$zone at $(date -u -d @$e '+%F %T') UTC: shodo $got, tzdata $want"
			n=$((n + 1))
		done
	done
}
# W. Europe: last Sunday of October 03:00 / of March 02:00
check "W. Europe Standard Time" Europe/Berlin -60 0 -60 "$(st 10 0 5 3)" "$(st 3 0 5 2)" -- \
	"2024-03-31 01:00" "2024-10-27 01:00" "2021-03-28 01:00" "2021-10-31 01:00" "2024-07-01 12:00" "2024-01-15 12:00"
# AUS Eastern: first Sunday of April 03:00 / of October 02:00; 2007 ended on the last Sunday of March (Dynamic DST)
check "AUS Eastern Standard Time" Australia/Sydney -600 0 -60 "$(st 4 0 1 3)" "$(st 10 0 1 2)" \
	2007="$(tzi -600 0 -60 "$(st 3 0 5 3)" "$(st 10 0 5 2)")" 2008="$(tzi -600 0 -60 "$(st 4 0 1 3)" "$(st 10 0 1 2)")" -- \
	"2024-04-06 16:00" "2024-10-05 16:00" "2007-03-24 16:00" "2007-10-27 16:00" "2008-04-05 16:00" "2025-01-01 00:00" "2024-07-01 00:00"
# New Zealand: first Sunday of April 03:00 / last Sunday of September 02:00
check "New Zealand Standard Time" Pacific/Auckland -720 0 -60 "$(st 4 0 1 3)" "$(st 9 0 5 2)" -- \
	"2024-04-06 14:00" "2024-09-28 14:00" "2023-12-25 00:00" "2023-06-01 00:00"
# Eastern: first Sunday of November / second Sunday of March 02:00; 2006: last Sunday of October / first Sunday of April
check "Eastern Standard Time" America/New_York 300 0 -60 "$(st 11 0 1 2)" "$(st 3 0 2 2)" \
	2006="$(tzi 300 0 -60 "$(st 10 0 5 2)" "$(st 4 0 1 2)")" 2007="$(tzi 300 0 -60 "$(st 11 0 1 2)" "$(st 3 0 2 2)")" -- \
	"2024-03-10 07:00" "2024-11-03 06:00" "2006-04-02 07:00" "2006-10-29 06:00" "2006-03-12 07:00" "2006-11-05 06:00"
# E. South America: Dynamic DST; 2017 third Sunday of February / of October, 2018 third Sunday of
# February / first Sunday of November, 2019 daylight time from 1 January to the third Sunday of
# February and never again, 2020 none
check "E. South America Standard Time" America/Sao_Paulo 180 0 -60 "$none" "$none" \
	2017="$(tzi 180 0 -60 "$(st 2 0 3 0)" "$(st 10 0 3 0)")" 2018="$(tzi 180 0 -60 "$(st 2 0 3 0)" "$(st 11 0 1 0)")" \
	2019="$(tzi 180 0 -60 "$(st 2 0 3 0)" "$(st 1 2 1 0)")" 2020="$(tzi 180 0 0 "$none" "$none")" -- \
	"2017-02-19 02:00" "2017-10-15 03:00" "2018-02-18 02:00" "2018-11-04 03:00" "2019-01-01 03:00" \
	"2019-02-17 02:00" "2019-11-03 03:00" "2021-01-15 12:00" "2016-12-25 12:00"
# no daylight time
check "Tokyo Standard Time" Asia/Tokyo -540 0 0 "$none" "$none" -- "2024-07-01 00:00" "2024-01-01 00:00"
check "India Standard Time" Asia/Kolkata -330 0 0 "$none" "$none" -- "2024-07-01 00:00"

# the same bytes through hives: SYSTEM's TimeZoneInformation, SOFTWARE's Dynamic DST
"$HELPERS/mkhive" SYSTEM <<H || fail "mkhive SYSTEM"
D	Select	Current	1
S	ControlSet001\\Control\\ComputerName\\ComputerName	ComputerName	SAOPAULO-PC
S	ControlSet001\\Control\\TimeZoneInformation	TimeZoneKeyName	E. South America Standard Time
D	ControlSet001\\Control\\TimeZoneInformation	Bias	180
D	ControlSet001\\Control\\TimeZoneInformation	StandardBias	0
D	ControlSet001\\Control\\TimeZoneInformation	DaylightBias	4294967236
B	ControlSet001\\Control\\TimeZoneInformation	StandardStart	$none
B	ControlSet001\\Control\\TimeZoneInformation	DaylightStart	$none
D	ControlSet001\\Control\\TimeZoneInformation	DynamicDaylightTimeDisabled	0
H
y2018=$(tzi 180 0 -60 "$(st 2 0 3 0)" "$(st 11 0 1 0)")
"$HELPERS/mkhive" SOFTWARE <<H || fail "mkhive SOFTWARE"
S	Microsoft\\Windows NT\\CurrentVersion	ProductName	Windows 10 Pro
S	Microsoft\\Windows NT\\CurrentVersion	CurrentBuild	19045
D	Microsoft\\Windows NT\\CurrentVersion\\Time Zones\\E. South America Standard Time\\Dynamic DST	FirstEntry	2018
D	Microsoft\\Windows NT\\CurrentVersion\\Time Zones\\E. South America Standard Time\\Dynamic DST	LastEntry	2018
B	Microsoft\\Windows NT\\CurrentVersion\\Time Zones\\E. South America Standard Time\\Dynamic DST	2018	$y2018
B	Microsoft\\Windows NT\\CurrentVersion\\Time Zones\\E. South America Standard Time	TZI	$(tzi 180 0 -60 "$none" "$none")
H
[ "$(hivexget SYSTEM 'ControlSet001\Control\TimeZoneInformation' DaylightBias)" = -60 ] ||
	fail "hivexget: $(hivexget SYSTEM 'ControlSet001\Control\TimeZoneInformation' DaylightBias)"
shodo parse --json SYSTEM SOFTWARE > p.json || fail "shodo parse: exit $?"
hk() { jq -r --arg k "$1" '[.files[].host[]? | select(.key == $k) | .value][0]' p.json; }
[ "$(hk timezone_bias_minutes)/$(hk timezone_standard_bias)/$(hk timezone_daylight_bias)" = 180/0/-60 ] ||
	fail "biases: $(hk timezone_bias_minutes)/$(hk timezone_standard_bias)/$(hk timezone_daylight_bias)"
[ "$(hk timezone_standard_start)" = "$none" ] || fail "StandardStart $(hk timezone_standard_start)"
[ "$(hk timezone_dynamic_dst_disabled)" = 0 ] || fail "DynamicDaylightTimeDisabled"
got=$(jq -r '.files[].tz_rules[]? | select(.year == 2018) | .zone + "=" + .tzi' p.json)
[ "$got" = "E. South America Standard Time=$y2018" ] || fail "Dynamic DST 2018: $got"
ok "$n instants in 7 zones agree with tzdata; SYSTEM/SOFTWARE time zone values as hivexget reads them"
