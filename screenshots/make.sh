#!/usr/bin/env bash
# Makes the README's screenshots from the real app: hitmiss runs in a
# 120x40 tmux window, keys are sent as a person would type them, the pane is
# captured with its colours (capture-pane -e) and freeze renders it to PNG.
# freeze v0.2.2 is built from the Go module proxy into a temporary module.
#
#   screenshots/make.sh          (needs tmux; writes screenshots/*.png)
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'tmux kill-session -t hitmiss-shot 2>/dev/null || true; rm -rf "$work"' EXIT

go build -o "$work/hitmiss" .
mkdir -p "$work/fz"
cat > "$work/fz/go.mod" <<'MOD'
module fz

go 1.24.2

require github.com/charmbracelet/freeze v0.2.2
MOD
printf '//go:build tools\n\npackage fz\n\nimport _ "github.com/charmbracelet/freeze"\n' > "$work/fz/tools.go"
(cd "$work/fz" && GOFLAGS=-mod=mod go mod tidy >/dev/null 2>&1 && GOFLAGS=-mod=mod go build -o "$work/freeze" github.com/charmbracelet/freeze)

# A session that lives as long as the script keeps the tmux server up: when
# the last session of a server is killed, the server exits, and a session
# started at that moment fails with "server exited unexpectedly".
tmux new-session -d -s hitmiss-keep "sleep 3600"
trap 'tmux kill-session -t hitmiss-shot 2>/dev/null || true; tmux kill-session -t hitmiss-keep 2>/dev/null || true; rm -rf "$work"' EXIT

start() { # start ARGS...: run hitmiss in a fresh tmux window of $W x $H (120x40)
  tmux kill-session -t hitmiss-shot 2>/dev/null || true
  tmux new-session -d -s hitmiss-shot -x "${W:-120}" -y "${H:-40}" \
    "env TERM=xterm-256color COLORTERM=truecolor XDG_CACHE_HOME=$work/cache $work/hitmiss $*; sleep 60"
}
keys() { tmux send-keys -t hitmiss-shot "$@"; }
wait_for() { # wait_for TEXT: poll the screen, at most 15 s
  for _ in $(seq 300); do
    tmux capture-pane -p -t hitmiss-shot | grep -qF -- "$1" && return 0
    sleep 0.05
  done
  echo "timed out waiting for: $1" >&2
  tmux capture-pane -p -t hitmiss-shot >&2
  return 1
}
shot() { # shot NAME: capture the pane with colours and render it
  # freeze does not know SGR 39 and 49 (default colours) and would paint a
  # style to the end of the line: spell them as a full reset.
  tmux capture-pane -e -p -t hitmiss-shot | sed -e 's/\x1b\[49m/\x1b[0m/g' -e 's/\x1b\[39m/\x1b[0m/g' > "$work/$1.ansi"
  "$work/freeze" "$work/$1.ansi" -l ansi -o "screenshots/$1.png" >/dev/null
  echo "screenshots/$1.png"
}

# 1. The explorer: a sorted table beside the live cache panel.
start seattle-weather
wait_for "row 1/1,461"
keys l l s s
wait_for "temp_max ↓"
keys j j l
wait_for "row 3/1,461"
shot explorer

# 2. A miss in progress: --slow makes every miss take 3 s.
start --slow 3s
wait_for "Datasets"
keys j j Enter
wait_for "Loading CSV…"
sleep 1.5 # let the elapsed time show
shot miss

# 3. Value counts with bars, over the rows a filter keeps.
start seattle-weather
wait_for "row 1/1,461"
keys f
keys -l "temp_max > 25"
keys Enter
wait_for "rows match"
keys '$' v
wait_for "value counts: weather"
shot value-counts

# 4. The event log after a clear, and the rerun it causes.
start seattle-weather
wait_for "row 1/1,461"
keys d
wait_for "describe"
keys Escape       # alone: ESC followed by a key reads as Alt+key
sleep 0.3
keys r E
wait_for "cleared everything"
wait_for "computed dataset_model"
shot cleared

# 5. A narrow window: the panel stacks under the table.
W=80 H=24 start seattle-weather
wait_for "row 1/1,461"
keys l l s
wait_for "temp_max ↑"
shot narrow

# 6. The talk: chapter 3, the code edited (a miss) and edited back (a hit).
start demo --slow 1s code
wait_for "Version v1 · Result: 420"
keys '#'
wait_for "Version v2 · Result: 421"
keys '#'
wait_for "Version v1 · Result: 420"
wait_for "→ HIT"
shot demo

# 7. The presenter layout at 80x24: a broken connection is replaced.
W=80 H=24 start demo --present --slow 1s validate
wait_for "using connection #1"
keys B
wait_for "1 invalidated"
shot demo-present

# 8. Two SSH sessions sharing one cache: hitmiss serve, and the real ssh
#    client twice, side by side in the two panes of an inner tmux that the
#    captured window shows. bob's open hits alice's model; alice's M then
#    damages it for bob, whose screen says so.
serve_pid=""
trap 'tmux kill-session -t hitmiss-shot 2>/dev/null || true; tmux kill-session -t hitmiss-keep 2>/dev/null || true; tmux -L hitmiss-room kill-server 2>/dev/null || true; [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null; rm -rf "$work"' EXIT
# A session is named by its key (the authorized_keys comment): one key each.
for u in alice bob; do
  ssh-keygen -q -t ed25519 -N '' -C "$u" -f "$work/id-$u"
  cat "$work/id-$u.pub" >> "$work/authorized_keys"
done
"$work/hitmiss" serve --listen 127.0.0.1:0 --authorized-keys "$work/authorized_keys" --host-key "$work/host_key" 2>"$work/serve.log" &
serve_pid=$!
for _ in $(seq 100); do grep -q 'listening on' "$work/serve.log" && break; sleep 0.05; done
port=$(grep -o 'listening on 127.0.0.1:[0-9]*' "$work/serve.log" | cut -d: -f2)
ssh_as() { echo "ssh -F /dev/null -p $port -i $work/id-$1 -o IdentitiesOnly=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -t $1@127.0.0.1"; }
tmux -L hitmiss-room kill-server 2>/dev/null || true
TERM=xterm-256color tmux -L hitmiss-room -f /dev/null new-session -d -s room -x 201 -y 40 "$(ssh_as alice)"
tmux -L hitmiss-room set -g status off
tmux -L hitmiss-room split-window -h -t room "$(ssh_as bob)"
tmux kill-session -t hitmiss-shot 2>/dev/null || true
tmux new-session -d -s hitmiss-shot -x 201 -y 40 "env -u TMUX TERM=xterm-256color tmux -L hitmiss-room attach -t room"
room() { tmux -L hitmiss-room send-keys -t "room.$1" "${@:2}"; }
wait_for "2 sessions connected: alice, bob"
room 0 Enter
wait_for "computed dataset_model"
room 1 Enter
wait_for 'bob: hit dataset_model("seattle-weather")'
room 0 l M
wait_for 'alice pressed M'
shot sessions

# 9. hitmiss attach at 80x24, watching the example service pricesvc: a few
#    requests from two users, then a clear of every function.
go build -o "$work/pricesvc" ./cache/cachehttp/example/pricesvc
echo shot-token > "$work/token"
PRICESVC_ADMIN_TOKEN=shot-token "$work/pricesvc" -addr 127.0.0.1:0 -latency 50ms >"$work/pricesvc.log" &
pricesvc_pid=$!
trap 'tmux kill-session -t hitmiss-shot 2>/dev/null || true; tmux kill-session -t hitmiss-keep 2>/dev/null || true; tmux -L hitmiss-room kill-server 2>/dev/null || true; [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null; kill "$pricesvc_pid" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q 'listening on' "$work/pricesvc.log" && break; sleep 0.05; done
svc=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/pricesvc.log")
W=80 H=24 start attach --token-file "$work/token" "$svc/cache"
wait_for "clears available"
for u in alice bob alice carol; do
  curl -fsS -H "X-User: $u" "$svc/watchlist" >/dev/null
  curl -fsS -H "X-User: $u" "$svc/quote/AAPL" >/dev/null
done
curl -fsS -H "X-User: bob" "$svc/history/NVDA?days=3" >/dev/null
wait_for 'session bob'
sleep 1.2 # two more hit-ratio samples
keys C
wait_for "clear every function?"
keys y
wait_for "cleared every function"
curl -fsS -H "X-User: alice" "$svc/quote/AAPL" >/dev/null
wait_for 'session alice'
sleep 1.2 # the table read again after the clear
shot attach

# 10. hitmiss whatif on a trace the explorer recorded of itself: a few
#     sorts, filters and value counts on seattle-weather with --slow, so
#     each miss has a compute time, then the trace replayed under other
#     max_entries and ttl settings.
start --trace "$work/calls.jsonl" --slow 150ms seattle-weather
wait_for "row 1/1,461"
for k in s s s v Escape l s v Escape h s; do
  keys "$k"
  sleep 0.6
done
keys f
sleep 0.3
keys -l 'temp_max > 20'
keys Enter
sleep 0.8
keys Escape
sleep 0.6
keys q
for _ in $(seq 100); do [ -s "$work/calls.jsonl" ] && break; sleep 0.05; done
W=120 H=24 start whatif "$work/calls.jsonl" --max-entries 1,2,5 --ttl 2s,5m --plot
wait_for "recorded"
shot whatif
