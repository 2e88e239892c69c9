# The journey of journey.sh in a 200x60 terminal: larger terminals use the space.
TUI_W=200 TUI_H=60
. "$SHODO_TOP/tests/tui/journey.sh"
