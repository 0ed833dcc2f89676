#!/usr/bin/env bash
# What a key costs `hitmiss serve` with idle sessions connected (issue 23):
# the server process's CPU time (utime+stime of /proc/PID/stat) while KEYS
# keys are sent, one every GAP seconds, to one session of real ssh clients
# in tmux, with IDLE other sessions connected, showing the file's table and
# doing nothing; the CPU the server spends over as long with no key at all
# (measured in windows between the keys') is taken off. ROUNDS rounds
# interleave the IDLE counts. Then the
# server's resident memory while 1,000 keys go round robin to 10 sessions,
# at the 100th and the 1,000th key.
#
#   flock /tmp/hitmiss-bench.lock bench/serve-idle.sh   # IDLE="0 9" ROUNDS=1 WINDOWS=5 KEYS=300 GAP=0.05 ROWS=2000 MEMKEYS=1000 BIN=path; BENCH_OUT=dir keeps files
#
# Whole processes on one machine: the ssh clients' own CPU is not counted,
# only the server's. The resolution is a clock tick (getconf CLK_TCK).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${BENCH_OUT:-$(mktemp -d)}
keys=${KEYS:-300}
gap=${GAP:-0.05}
rows=${ROWS:-2000}
idles=${IDLE:-0 9}
windows=${WINDOWS:-5}
rounds=${ROUNDS:-1}
bin=${BIN:-$out/hitmiss}
[ -n "${BIN:-}" ] || go build -o "$bin" .
[ -f "$out/data.csv" ] || go run ./bench/gencsv -rows "$rows" -cols 5 -o "$out/data.csv"
[ -f "$out/key" ] || ssh-keygen -q -t ed25519 -N '' -C bench -f "$out/key"
tick=$(getconf CLK_TCK)
session="hitmiss-serve-idle-$$"
pid=""

cleanup() {
  tmux kill-session -t "$session" 2>/dev/null || true
  [ -z "$pid" ] || kill "$pid" 2>/dev/null || true
}
trap cleanup EXIT

cpu_ms() { awk -v t="$tick" '{print ($14+$15)*1000/t}' "/proc/$1/stat"; }
rss_kib() { awk '/^VmRSS/{print $2}' "/proc/$1/status"; }

# start N: a server on a free loopback port and N ssh clients, each in a
# tmux window of 120x40, connected.
start() {
  local n=$1 port
  : >"$out/serve.log" # empty, not absent: the loop below may read it before the server opens it
  XDG_CONFIG_HOME="$out/config" XDG_CACHE_HOME="$out/cache" \
    "$bin" serve --open --listen 127.0.0.1:0 --no-color "$out/data.csv" 2>"$out/serve.log" &
  pid=$!
  for _ in $(seq 100); do
    port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$out/serve.log")
    [ -n "$port" ] && break
    sleep 0.1
  done
  [ -n "$port" ] || { cat "$out/serve.log"; exit 1; }
  local ssh="ssh -F /dev/null -p $port -i $out/key -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -tt"
  # One at a time: the server lets 8 connections of one address
  # authenticate at once.
  for i in $(seq 0 $((n - 1))); do
    if [ "$i" = 0 ]; then
      tmux new-session -d -s "$session" -x 120 -y 40 "$ssh user0@127.0.0.1"
    else
      tmux new-window -d -t "$session" "$ssh user$i@127.0.0.1"
    fi
    for _ in $(seq 150); do
      [ "$(grep -c ' connected from ' "$out/serve.log" || true)" -gt "$i" ] && break
      sleep 0.1
    done
  done
  [ "$(grep -c ' connected from ' "$out/serve.log" || true)" -ge "$n" ] || { cat "$out/serve.log"; exit 1; }
  sleep 1
  for i in $(seq 0 $((n - 1))); do
    tmux send-keys -t "$session:$i" Enter # every session opens the file: its table is on screen
  done
  sleep 3
}

stop() {
  tmux kill-session -t "$session" 2>/dev/null || true
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  pid=""
}

moves=(j l NPage k h)

# cost IDLE: server CPU ms per key with IDLE idle sessions. The keys go
# in WINDOWS windows of KEYS/WINDOWS keys, each after a window of as long
# with no key: the CPU the server spends with no key (the sessions'
# renderers, the ssh connections) is measured beside the keys, window by
# window, and taken off.
cost() {
  local idle=$1 w n c0 c1 c2 t0 t1 t2 keyed=0 quiet=0 keyed_s=0 quiet_s=0 sent=0
  start $((idle + 1))
  n=$((keys / windows))
  for w in $(seq "$windows"); do
    c0=$(cpu_ms "$pid")
    t0=$(date +%s.%N)
    for i in $(seq 0 $((n - 1))); do
      tmux send-keys -t "$session:0" "${moves[$(((sent + i) % 5))]}"
      sleep "$gap"
    done
    sent=$((sent + n))
    sleep 1.2 # an idle session redraws for other sessions' hits a second after the first
    c1=$(cpu_ms "$pid")
    t1=$(date +%s.%N)
    sleep "$(echo "$t1 - $t0" | bc)"
    c2=$(cpu_ms "$pid")
    t2=$(date +%s.%N)
    keyed=$(echo "$keyed + $c1 - $c0" | bc)
    quiet=$(echo "$quiet + $c2 - $c1" | bc)
    keyed_s=$(echo "$keyed_s + $t1 - $t0" | bc)
    quiet_s=$(echo "$quiet_s + $t2 - $t1" | bc)
  done
  stop
  echo "idle=$idle: $(echo "scale=3; ($keyed - $quiet * $keyed_s / $quiet_s) / $sent" | bc) ms of server CPU a key ($sent keys: $keyed ms in $(printf %.1f "$keyed_s") s; with no key: $quiet ms in $(printf %.1f "$quiet_s") s)"
}

for round in $(seq "$rounds"); do
  for idle in $idles; do
    cost "$idle"
  done
done

# Memory: MEMKEYS keys (1,000) round robin over 10 sessions.
memkeys=${MEMKEYS:-1000}
[ "$memkeys" -gt 0 ] || exit 0
start 10
line="RSS, 10 sessions: $(($(rss_kib "$pid") / 1024)) MiB connected"
for i in $(seq 1 "$memkeys"); do
  tmux send-keys -t "$session:$((i % 10))" "${moves[$(((i / 10) % 5))]}"
  sleep 0.02
  if [ "$i" = 100 ] || [ $((i % 1000)) = 0 ]; then
    sleep 1
    line="$line, $(($(rss_kib "$pid") / 1024)) MiB at key $i"
  fi
done
stop
echo "$line"
