#!/usr/bin/env bash
# Runs the loader benchmarks of docs/BENCHMARKS.md: hitmiss and gota through
# go test -bench (same process, same input), then hitmiss and pandas as
# separate processes for time and peak memory. Needs Debian's python3-pandas
# (apt-get install python3-pandas) for the pandas lines.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${BENCH_OUT:-$(mktemp -d)}
go run ./bench/gencsv -rows 1000000 -cols 4 -o "$out/1m.csv"
go run ./bench/gencsv -rows 3000000 -cols 5 -o "$out/3m.csv"
go build -o "$out/loadcsv" ./bench/loadcsv

echo "== go test -bench (hitmiss beside gota)"
# One process per benchmark, so the gigabytes gota's baselines allocate
# and the heap they leave behind do not weigh on the next measurement.
: > "$out/go.txt"
for b in ReadCSV Describe1M Sort1M ValueCounts1M; do
  go test ./loaders -run '^$' -bench "^Benchmark$b\$" -benchmem -count "${COUNT:-6}" | tee -a "$out/go.txt"
done

echo "== separate processes: time and peak RSS (median of 5)"
for f in 1m 3m; do
  for i in 1 2 3 4 5; do "$out/loadcsv" "$out/$f.csv"; done
  if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import pandas' 2>/dev/null; then
    for i in 1 2 3 4 5; do /usr/bin/python3 bench/pandas_bench.py "$out/$f.csv" read; done
  fi
done
if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import pandas' 2>/dev/null; then
  /usr/bin/python3 bench/pandas_bench.py "$out/1m.csv" transforms
fi
echo "results in $out"
