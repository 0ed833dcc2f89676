#!/bin/sh
# bench/stdin-hwm.sh BIN FILE ROWS: the explorer's peak RSS (VmHWM, KiB) once FILE,
# piped into BIN -, has loaded whole (the title counts ROWS rows, as
# written there: 3,000,000). Needs tmux.
bin=$1 file=$2 rows=$3
sock=hwm$$
tmux -L $sock new -d -x 120 -y 40 "exec $bin - < $file"
pid=$(tmux -L $sock display -p '#{pane_pid}')
for i in $(seq 600); do
  tmux -L $sock capture-pane -p | head -1 | grep -q "$rows rows" && ! tmux -L $sock capture-pane -p | grep -q "streaming" && break
  sleep 0.1
done
sleep 1
grep VmHWM /proc/$pid/status | awk '{print $2}'
tmux -L $sock kill-server
