"""Times pandas on the benchmark CSVs, for docs/BENCHMARKS.md.

Run by bench/run.sh with Debian's /usr/bin/python3 (python3-pandas). Each
figure is the median of several runs; peak memory is the process's maximum
resident set after reading, as bench/loadcsv reports for hitmiss.
"""
import resource
import statistics
import sys
import time

import pandas as pd


def timed(fn, runs):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main(path, what):
    if what == "read":
        # One read per process, so peak RSS measures one load.
        t = time.perf_counter()
        df = pd.read_csv(path)
        secs = time.perf_counter() - t
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"pandas read_csv {path} rows={len(df)} seconds={secs:.3f} peak_rss_mib={rss:.0f}")
        return
    df = pd.read_csv(path)
    runs = 5
    print(f"pandas describe {path} seconds={timed(lambda: df.describe(), runs):.4f}")
    print(f"pandas sort_values(lat) {path} seconds={timed(lambda: df.sort_values('lat', kind='stable'), runs):.4f}")
    print(f"pandas sort_values(city) {path} seconds={timed(lambda: df.sort_values('city', kind='stable'), runs):.4f}")
    # The city and a scrambled row number, as loaders/bench_test.go builds it.
    named = df.assign(name=df["city"] + "/" + (df.index * 7919 % len(df)).astype(str))
    print(f"pandas sort_values(name) {path} seconds={timed(lambda: named.sort_values('name', kind='stable'), runs):.4f}")
    print(f"pandas value_counts(city) {path} seconds={timed(lambda: df['city'].value_counts(), runs):.4f}")
    print(f"pandas filter {path} seconds={timed(lambda: df[(df['lat'] > 40) & df['city'].str.contains('an', case=False, regex=False)], runs):.4f}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
