#!/bin/sh
# tui-smoke.sh: run the real qcode binary in a real terminal (tmux), code a
# turn, undo, and quit, checking the screen and the project file at each
# step — including `qcode codings` run from a second "terminal" while the
# TUI is open. Needs tmux (Debian: apt-get install tmux). Exit 0 on success.
set -eu
command -v tmux >/dev/null || { echo "tui-smoke: tmux not installed; skipping" >&2; exit 0; }
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
sock="$work/tmux.sock"
trap 'tmux -S "$sock" kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
cd "$root" && go build -o "$work/qcode" ./cmd/qcode
cd "$work"
./qcode demo -p demo.db >/dev/null
export QCODE_CODER=smoke QCODE_LOG="$work/tui.log"

fail() { echo "tui-smoke: $*" >&2; echo "--- screen:" >&2; tmux -S "$sock" capture-pane -p -t q >&2 || true; exit 1; }
screen_has() { # wait up to 5 s for text on the screen
	i=0
	while [ $i -lt 50 ]; do
		tmux -S "$sock" capture-pane -p -t q | grep -qF -- "$1" && return 0
		sleep 0.1; i=$((i + 1))
	done
	fail "screen never showed: $1"
}
count() { ./qcode codings -p demo.db --coder smoke --format csv | tail -n +2 | wc -l | tr -d ' '; }

tmux -S "$sock" new-session -d -s q -x 100 -y 30 "QCODE_CODER=smoke QCODE_LOG=$work/tui.log ./qcode tui -p demo.db; sleep 30"
screen_has "Bjørn Mikkelsen"
[ "$(count)" = 0 ] || fail "smoke already has codings"
tmux -S "$sock" send-keys -t q j 1
screen_has "saved "
[ "$(count)" = 1 ] || fail "after 1: $(count) codings, want 1 (read from a second process while the TUI is open)"
tmux -S "$sock" send-keys -t q u
screen_has "undone:"
[ "$(count)" = 0 ] || fail "after undo: $(count) codings, want 0"
tmux -S "$sock" send-keys -t q ?
screen_has "Transcript (focused)"
tmux -S "$sock" send-keys -t q Escape; sleep 0.3
tmux -S "$sock" send-keys -t q q
sleep 0.5
tmux -S "$sock" capture-pane -p -t q | grep -qF "Codebook" && fail "still running after q"
grep -q "tui end" tui.log || fail "log file has no clean end"
echo "tui-smoke: ok"
