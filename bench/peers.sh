#!/usr/bin/env bash
# Opening a file, and the transforms, in hitmiss beside DuckDB
# (@duckdb/node-api), Polars (nodejs-polars) and pandas, each in processes
# of its own, for the loader table of docs/BENCHMARKS.md (issue 10).
#
#   bench/peers.sh            # RUNS=5 interleaved runs; BENCH_OUT=dir keeps files
#   FLIGHTS=flights-3m.csv PARTS=cli bench/peers.sh   # only the commands' race
#   OPS='groupby spread' FLIGHTS=… PARTS=cli bench/peers.sh  # some of them
#
# With FLIGHTS (a file with vega-datasets' flights columns) the commands a
# data person waits on race as whole processes, output to standard output
# thrown away: hitmiss inspect (open) beside DuckDB's CREATE TABLE and
# Polars' readCSV, hitmiss stats beside DuckDB's SUMMARIZE and Polars'
# describe(), and hitmiss export with a filter, a two-key sort and a
# group-by (mean(delay),count() per origin; median, std and distinct per
# origin) beside the same query written as CSV (bench/peers/cli.mjs). PARTS=cli runs only that race.
#
# Installs DuckDB and Polars with npm into bench/.peers (git-ignored) the
# first time; pandas is Debian's (apt-get install -y python3-pandas), run with
# /usr/bin/python3. Wall time and peak RSS are of whole processes (GNU time);
# every figure is a median of interleaved runs, and ratios are hitmiss over
# the peer in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${BENCH_OUT:-$(mktemp -d)}
runs=${RUNS:-5}
lock="flock /tmp/hitmiss-bench.lock"
if [ ! -d bench/.peers/node_modules/@duckdb/node-api ] || [ ! -d bench/.peers/node_modules/nodejs-polars-linux-x64-gnu ]; then
  mkdir -p bench/.peers
  (cd bench/.peers && npm install --no-audit --no-fund @duckdb/node-api@1.5.6-r.1 nodejs-polars@0.26.1 nodejs-polars-linux-x64-gnu@0.26.1)
fi
parts=${PARTS:-all}
go build -o "$out/hitmiss" .
. bench/measure.sh # measure LABEL CMD...
: > "$out/raw.txt"
if [ -n "${FLIGHTS:-}" ]; then
  peers_dir=$PWD/bench/.peers
  cat "$FLIGHTS" > /dev/null # in the page cache before the first round, for every engine alike
  for i in $(seq "$runs"); do
    for op in ${OPS:-open describe filter sort groupby spread}; do
      case $op in
        open) h=(inspect "$FLIGHTS") ;;
        describe) h=(stats "$FLIGHTS") ;;
        filter) h=(export "$FLIGHTS" --filter 'delay > 60 and origin = "LAS"') ;;
        sort) h=(export "$FLIGHTS" --sort -delay,date) ;;
        groupby) h=(export "$FLIGHTS" --group-by origin --agg 'mean(delay),count()') ;;
        spread) h=(export "$FLIGHTS" --group-by origin --agg 'median(delay),std(delay),distinct(destination)') ;;
      esac
      measure "cli-$op-hitmiss" sh -c 'exec "$@" >/dev/null' - "$out/hitmiss" "${h[@]}"
      for peer in duckdb polars; do
        measure "cli-$op-$peer" sh -c 'exec "$@" >/dev/null' - env PEERS_DIR="$peers_dir" node bench/peers/cli.mjs $peer $op "$FLIGHTS"
      done
    done
  done
  /usr/bin/python3 - "$out/raw.txt" <<'PY2'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    label, wall, rss, _ = line.split()
    if label.startswith("cli-"):
        runs.setdefault(label, []).append((float(wall), float(rss)))
print("\n== commands on FLIGHTS, whole process: wall s / peak MiB (median); hitmiss ÷ peer, median of per-run ratios (range)")
for op in ("open", "describe", "filter", "sort", "groupby", "spread"):
    if f"cli-{op}-hitmiss" not in runs:
        continue # not in OPS
    h = runs[f"cli-{op}-hitmiss"]
    line = f"{op}: hitmiss {statistics.median(x[0] for x in h):.2f} s / {statistics.median(x[1] for x in h):.0f} MiB"
    for peer in ("duckdb", "polars"):
        p = runs[f"cli-{op}-{peer}"]
        r = sorted(a[0] / b[0] for a, b in zip(h, p))
        line += f" | {peer} {statistics.median(x[0] for x in p):.2f} s / {statistics.median(x[1] for x in p):.0f} MiB ({statistics.median(r):.2f}x, {r[0]:.2f}-{r[-1]:.2f})"
    print(line)
PY2
fi
[ "$parts" = cli ] && { echo "results in $out"; exit 0; }
[ -f "$out/3m.csv" ] || go run ./bench/gencsv -rows 3000000 -cols 5 -o "$out/3m.csv"
[ -f "$out/10m.csv" ] || go run ./bench/gencsv -rows 10000000 -cols 5 -o "$out/10m.csv"
[ -f "$out/1k.csv" ] || go run ./bench/gencsv -rows 1000 -cols 5 -o "$out/1k.csv"
go build -o "$out/loadcsv" ./bench/loadcsv
pandas=0
if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import pandas' 2>/dev/null; then pandas=1; fi

for i in $(seq "$runs"); do
  for f in 3m 10m; do
    measure "open-$f-hitmiss" "$out/hitmiss" inspect "$out/$f.csv"
    measure "open-$f-duckdb" node bench/peers/peers.mjs duckdb open "$out/$f.csv"
    measure "open-$f-polars" node bench/peers/peers.mjs polars open "$out/$f.csv"
    [ $pandas = 1 ] && measure "open-$f-pandas" /usr/bin/python3 bench/pandas_bench.py "$out/$f.csv" read
  done
  for f in 1k 10m; do
    measure "preview-$f-hitmiss" "$out/loadcsv" -op preview "$out/$f.csv"
  done
done
# Transforms on the 3M frame: the operation alone, median of 5 in one process.
for i in $(seq 3); do
  for op in filter counts sort describe; do
    measure "$op-3m-hitmiss" "$out/loadcsv" -op $op "$out/3m.csv"
    measure "$op-3m-duckdb" node bench/peers/peers.mjs duckdb $op "$out/3m.csv"
    measure "$op-3m-polars" node bench/peers/peers.mjs polars $op "$out/3m.csv"
  done
done
[ $pandas = 1 ] && $lock /usr/bin/python3 bench/pandas_bench.py "$out/3m.csv" transforms | tee "$out/pandas-transforms.txt"

/usr/bin/python3 - "$out/raw.txt" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    label, wall, rss, secs = line.split()
    rows.setdefault(label, []).append((float(wall), float(rss), float(secs)))
med = {k: tuple(statistics.median(x[i] for x in v) for i in range(3)) for k, v in rows.items()}
print("\n== opening a file: whole process, wall s / peak RSS MiB (median), hitmiss ratio")
for f in ("3m", "10m"):
    h = med[f"open-{f}-hitmiss"]
    line = f"{f}: hitmiss {h[0]:.2f} s / {h[1]:.0f} MiB"
    for peer in ("duckdb", "polars", "pandas"):
        if f"open-{f}-{peer}" in med:
            p = med[f"open-{f}-{peer}"]
            line += f" | {peer} {p[0]:.2f} s / {p[1]:.0f} MiB (ratio {h[0]/p[0]:.2f}x time, {h[1]/p[1]:.2f}x memory)"
    print(line)
print("\n== first page (Loaders.Preview, in-process seconds; whole process wall)")
a, b = med["preview-1k-hitmiss"], med["preview-10m-hitmiss"]
print(f"1k {a[2]*1000:.1f} ms (wall {a[0]:.2f} s), 10m {b[2]*1000:.1f} ms (wall {b[0]:.2f} s): ratio {b[2]/a[2]:.2f}x")
print("\n== transforms on the 3M frame, operation alone (median s), hitmiss ratio")
for op in ("filter", "counts", "sort", "describe"):
    h = med[f"{op}-3m-hitmiss"][2]
    line = f"{op}: hitmiss {h*1000:.1f} ms"
    for peer in ("duckdb", "polars"):
        p = med[f"{op}-3m-{peer}"][2]
        line += f" | {peer} {p*1000:.1f} ms ({h/p:.2f}x)"
    print(line)
PY
echo "results in $out"
