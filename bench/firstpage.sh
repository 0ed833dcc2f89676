#!/usr/bin/env bash
# Time to the first page: from starting the app on a file in a 120x40 tmux
# window to its first row being on the screen, for a 1k-row file and a
# 10M-row file (issue 10: the big file's first page within 1.5x the small
# one's). Whole processes, runs interleaved, medians and the ratio of the
# same run.
#
#   flock /tmp/hitmiss-bench.lock bench/firstpage.sh      # RUNS=11; BENCH_OUT=dir keeps files; BIN=path times another build
#
# The first row of both files is the same (bench/gencsv is deterministic),
# so the script waits for the same text. The screen is polled with
# tmux capture-pane, which costs a few milliseconds a poll: that is the
# resolution of the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${BENCH_OUT:-$(mktemp -d)}
runs=${RUNS:-11}
[ -f "$out/10m.csv" ] || go run ./bench/gencsv -rows 10000000 -cols 5 -o "$out/10m.csv"
[ -f "$out/1k.csv" ] || go run ./bench/gencsv -rows 1000 -cols 5 -o "$out/1k.csv"
bin=${BIN:-$out/hitmiss}
[ -n "${BIN:-}" ] || go build -o "$bin" .
first="Los Angeles-398" # the first row's city in every gencsv file

# once FILE: seconds from starting the app to its first row on screen.
once() {
  local session="hitmiss-firstpage-$$" pidfile="$out/pid"
  rm -f "$pidfile"
  local start end
  start=$(date +%s%N)
  tmux new-session -d -s "$session" -x 120 -y 40 \
    "echo \$\$ > $pidfile; XDG_CACHE_HOME=$out/cache exec $bin $1"
  until tmux capture-pane -p -t "$session" 2>/dev/null | grep -q "$first"; do
    if (( $(date +%s%N) - start > 60000000000 )); then
      echo "no first row after 60 s" >&2
      tmux kill-session -t "$session"
      exit 1
    fi
  done
  end=$(date +%s%N)
  local pid; pid=$(cat "$pidfile")
  tmux kill-session -t "$session"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done # the next run starts on a quiet machine
  awk -v ns=$((end - start)) 'BEGIN { printf "%.3f\n", ns / 1e9 }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

: > "$out/small.txt"
: > "$out/big.txt"
once "$out/1k.csv" > /dev/null # warm the page cache and the binary
once "$out/10m.csv" > /dev/null
for _ in $(seq "$runs"); do
  once "$out/1k.csv" >> "$out/small.txt"
  once "$out/10m.csv" >> "$out/big.txt"
done
small=$(median < "$out/small.txt")
big=$(median < "$out/big.txt")
echo "first page, median of $runs interleaved runs: 1k rows ${small}s, 10M rows ${big}s, ratio $(awk -v a="$big" -v b="$small" 'BEGIN { printf "%.2f", a / b }')"
echo "runs (1k): $(tr '\n' ' ' < "$out/small.txt")"
echo "runs (10M): $(tr '\n' ' ' < "$out/big.txt")"
