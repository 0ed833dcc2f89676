#!/usr/bin/env bash
# Two commits of hitmiss side by side, in one run on one machine: opening a
# file, filter, sort and value counts as whole processes and in process, and
# the explorer's rerun p99, interleaved A B A B so a drift of the machine's
# speed weighs on both alike. For a change that should cost nothing (a
# restructuring), the ratio column says whether it did.
#
#   bench/compare.sh BEFORE_REV [AFTER_REV]     # AFTER_REV: the work tree
#   RUNS=5 FLIGHTS=flights-3m.csv bench/compare.sh bc07914
#
# FLIGHTS is a real file with vega-datasets' flights columns (date, delay,
# distance, origin, destination); without it the whole-process rows use only
# the generated file. Each figure is the median of RUNS runs; the ratio is
# the median of the per-run ratios AFTER ÷ BEFORE.
set -euo pipefail
cd "$(dirname "$0")/.."
before=${1:?usage: bench/compare.sh BEFORE_REV [AFTER_REV]}
after=${2:-}
runs=${RUNS:-5}
out=${BENCH_OUT:-$(mktemp -d)}
lock="flock /tmp/hitmiss-bench.lock"

# build REV DIR: the hitmiss binary, bench/loadcsv and ui's test binary of
# REV (empty: the work tree) into DIR.
build() {
  local rev=$1 dir=$2 src=.
  mkdir -p "$dir"
  if [ -n "$rev" ]; then
    src="$out/src-$rev"
    [ -d "$src" ] || git worktree add -q --detach "$src" "$rev"
  fi
  (cd "$src" && go build -o "$dir/hitmiss" . && go build -o "$dir/loadcsv" ./bench/loadcsv &&
    go test -c -o "$dir/ui.test" ./ui)
}
build "$before" "$out/a"
build "$after" "$out/b"
[ -f "$out/gen-3m.csv" ] || go run ./bench/gencsv -rows 3000000 -cols 5 -o "$out/gen-3m.csv"

. bench/measure.sh # measure LABEL CMD...

: > "$out/raw.txt"
for i in $(seq "$runs"); do
  for v in a b; do
    bin=$out/$v
    measure "open-gen3m-$v" "$bin/hitmiss" inspect "$out/gen-3m.csv"
    for op in filter counts sort; do
      measure "$op-gen3m-$v" "$bin/loadcsv" -op $op "$out/gen-3m.csv"
    done
    if [ -n "${FLIGHTS:-}" ]; then
      measure "open-flights-$v" "$bin/hitmiss" inspect "$FLIGHTS"
      # To standard output, thrown away (-o /dev/null would be refused, or
      # with --force replaced by a regular file).
      measure "filter-flights-$v" sh -c 'exec "$0" export "$1" --filter "delay > 60 and origin = \"ORD\"" >/dev/null' "$bin/hitmiss" "$FLIGHTS"
      measure "sort-flights-$v" sh -c 'exec "$0" export "$1" --sort -delay,date >/dev/null' "$bin/hitmiss" "$FLIGHTS"
    fi
    measure "rerun-1M-sorted-$v" "$bin/ui.test" -test.run '^$' -test.bench 'Rerun/1M/sorted$' -test.benchtime 2000x
    measure "rerun-1M-filtered-$v" "$bin/ui.test" -test.run '^$' -test.bench 'Rerun/1M/filtered$' -test.benchtime 2000x
  done
done

# The table: per case, the medians of A and B (wall seconds, peak MiB, and
# the op's own figure: seconds in process, or p99 ms for a rerun), and the
# median of the per-run ratios B ÷ A of the op's figure (wall where none).
python3 - "$out/raw.txt" <<'PY' | tee "$out/table.md"
import statistics as st, sys
rows = {}
for line in open(sys.argv[1]):
    label, wall, rss, op = line.split()
    case, v = label.rsplit("-", 1)
    rows.setdefault(case, {"a": [], "b": []})[v].append((float(wall), float(rss), float(op)))
print("| case | A wall s | B wall s | A MiB | B MiB | A op | B op | B ÷ A, median of runs (range) |")
print("|---|---|---|---|---|---|---|---|")
for case, r in rows.items():
    a, b = r["a"], r["b"]
    k = 2 if all(x[2] > 0 for x in a + b) else 0
    ratios = sorted(y[k] / x[k] for x, y in zip(a, b))
    med = lambda xs, i: st.median(x[i] for x in xs)
    print(f"| {case} | {med(a,0):.2f} | {med(b,0):.2f} | {med(a,1):.0f} | {med(b,1):.0f} | {med(a,2):.4g} | {med(b,2):.4g} | "
          f"{st.median(ratios):.3f}× ({ratios[0]:.2f}–{ratios[-1]:.2f}) |")
PY
echo "raw figures and table in $out"
