// Times DuckDB (@duckdb/node-api) and Polars (nodejs-polars) on one CSV,
// one operation per process, for the loader table of docs/BENCHMARKS.md:
//
//	node bench/peers/peers.mjs duckdb open 3m.csv
//	node bench/peers/peers.mjs polars filter 3m.csv
//
// open loads the file into an in-memory table (DuckDB) or a DataFrame
// (Polars). filter and counts load it, then time the operation alone
// (median of 5): the filter `lat > 40 and city contains "an"`, its rows kept
// as a table (DuckDB) or DataFrame (Polars); value counts of city; a sort
// by one column, descending (another column each run), into a table or
// DataFrame; describe (DuckDB's SUMMARIZE). Wall time and peak RSS of the whole
// process are measured outside, by bench/peers.sh.
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, "..", ".peers", "package.json"));
const [engine, op, file] = process.argv.slice(2);
// COUNTS_COL and SORT_COLS (five, comma-separated) name the columns of
// counts and sort for a file without the generated files' columns.
const countsCol = process.env.COUNTS_COL || "city";
const sortCols = (process.env.SORT_COLS || "lat,city,id,lon,visits").split(",");

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function timed(fn) {
  const times = [];
  for (let i = 0; i < 5; i++) {
    const t = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - t) / 1e9);
  }
  return median(times);
}

if (engine === "duckdb") {
  const { DuckDBInstance } = require("@duckdb/node-api");
  const db = await DuckDBInstance.create(":memory:");
  const con = await db.connect();
  const t0 = process.hrtime.bigint();
  await con.run(`CREATE TABLE t AS SELECT * FROM read_csv('${file}')`);
  const load = Number(process.hrtime.bigint() - t0) / 1e9;
  const rows = (await (await con.runAndReadAll("SELECT count(*) FROM t")).getRows())[0][0];
  let secs = load;
  if (op === "filter") {
    secs = await timed(async () => {
      await con.run("CREATE OR REPLACE TEMP TABLE f AS SELECT * FROM t WHERE lat > 40 AND city ILIKE '%an%'");
    });
  } else if (op === "counts") {
    secs = await timed(async () => {
      const r = await con.runAndReadAll(`SELECT "${countsCol}", count(*) AS n FROM t GROUP BY "${countsCol}" ORDER BY n DESC`);
      r.getRows();
    });
  } else if (op === "sort") {
    let i = 0;
    secs = await timed(async () => {
      const col = sortCols[i++];
      await con.run(`CREATE OR REPLACE TEMP TABLE s AS SELECT * FROM t ORDER BY "${col}" DESC`);
    });
  } else if (op === "describe") {
    secs = await timed(async () => {
      (await con.runAndReadAll("SUMMARIZE t")).getRows();
    });
  }
  console.log(`duckdb ${op} ${file} rows=${rows} seconds=${secs.toFixed(4)} load_seconds=${load.toFixed(3)}`);
} else if (engine === "polars") {
  const pl = require("nodejs-polars");
  const t0 = process.hrtime.bigint();
  const df = pl.readCSV(file);
  const load = Number(process.hrtime.bigint() - t0) / 1e9;
  let secs = load;
  if (op === "filter") {
    secs = await timed(() => {
      df.filter(pl.col("lat").gt(40).and(pl.col("city").str.toLowerCase().str.contains("an"))).height;
    });
  } else if (op === "counts") {
    secs = await timed(() => {
      df.getColumn(countsCol).valueCounts(true).height;
    });
  } else if (op === "sort") {
    let i = 0;
    secs = await timed(() => {
      df.sort(sortCols[i++], true).height;
    });
  } else if (op === "describe") {
    secs = await timed(() => {
      df.describe().height;
    });
  }
  console.log(`polars ${op} ${file} rows=${df.height} seconds=${secs.toFixed(4)} load_seconds=${load.toFixed(3)}`);
} else {
  console.error("usage: node peers.mjs duckdb|polars open|filter|counts|sort|describe FILE");
  process.exit(2);
}
