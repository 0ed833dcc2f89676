// The whole-process commands of hitmiss stats and hitmiss export (filter,
// sort, group-by) done by DuckDB (@duckdb/node-api) or Polars
// (nodejs-polars) on a file with vega-datasets' flights columns (date,
// delay, distance, origin, destination), the result written to standard
// output as hitmiss writes it, for bench/peers.sh:
//
//	node bench/peers/cli.mjs duckdb describe flights-3m.csv
//	node bench/peers/cli.mjs polars groupby flights-3m.csv
//
// open: the file read into a table and its row count printed (hitmiss
// inspect); describe: DuckDB's SUMMARIZE, Polars' describe(); filter: delay > 60 and
// origin = "LAS" as CSV; sort: by delay descending, then date, as CSV;
// groupby: mean(delay) and count() per origin, in origin order, as CSV;
// spread: median(delay), std(delay) (ddof 1) and the distinct
// destinations per origin, in origin order, as CSV.
// The modules come from PEERS_DIR (default bench/.peers). A file ending in
// .jsonl is read as JSON lines.
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = process.env.PEERS_DIR || path.join(here, "..", ".peers");
const require = createRequire(path.join(dir, "package.json"));
const [engine, op, file] = process.argv.slice(2);
// A .jsonl file is read as JSON lines (DuckDB's read_json, Polars'
// scanJson), as hitmiss reads it.
const lines = file.endsWith(".jsonl");

function out(text) {
  return new Promise((resolve) => process.stdout.write(text, resolve));
}

if (engine === "duckdb") {
  const { DuckDBInstance } = require("@duckdb/node-api");
  const db = await DuckDBInstance.create(":memory:");
  const con = await db.connect();
  const quoted = `'${file.replaceAll("'", "''")}'`;
  const src = lines ? `read_json(${quoted}, format = 'newline_delimited')` : `read_csv(${quoted})`;
  if (op === "open") {
    await con.run(`CREATE TABLE t AS SELECT * FROM ${src}`);
    const r = await con.runAndReadAll("SELECT count(*) AS n FROM t");
    await out(JSON.stringify(r.getRowObjectsJson()) + "\n");
    process.exit(0);
  }
  const query = {
    describe: `SUMMARIZE SELECT * FROM ${src}`,
    filter: `SELECT * FROM ${src} WHERE delay > 60 AND origin = 'LAS'`,
    sort: `SELECT * FROM ${src} ORDER BY delay DESC, date`,
    groupby: `SELECT origin, avg(delay) AS "mean(delay)", count(*) AS "count()" FROM ${src} GROUP BY origin ORDER BY origin`,
    spread: `SELECT origin, median(delay) AS "median(delay)", stddev_samp(delay) AS "std(delay)", count(DISTINCT destination) AS "distinct(destination)" FROM ${src} GROUP BY origin ORDER BY origin`,
  }[op];
  if (op === "describe") {
    const r = await con.runAndReadAll(query);
    await out(JSON.stringify(r.getRowObjectsJson()) + "\n");
  } else {
    // COPY writes the CSV itself, as hitmiss does, without a round trip
    // through JavaScript values.
    await con.run(`COPY (${query}) TO '/dev/stdout' (HEADER, DELIMITER ',')`);
  }
} else {
  const pl = require("nodejs-polars");
  // readJSON(…, { format: "lines" }) has no binding in nodejs-polars 0.26.1
  // ("method is not a function"); scanJson reads JSON lines.
  const df = lines ? pl.scanJson(file).collectSync() : pl.readCSV(file);
  let res;
  switch (op) {
    case "open":
      await out(`${df.height} rows\n`);
      process.exit(0);
    case "describe":
      await out(String(df.describe()) + "\n");
      process.exit(0);
    case "filter":
      res = df.filter(pl.col("delay").gt(60).and(pl.col("origin").eq(pl.lit("LAS"))));
      break;
    case "sort":
      res = df.sort(["delay", "date"], [true, false]);
      break;
    case "groupby":
      res = df.groupBy("origin").agg(pl.col("delay").mean().alias("mean(delay)"), pl.col("delay").count().alias("count()")).sort("origin");
      break;
    case "spread":
      res = df
        .groupBy("origin")
        .agg(pl.col("delay").median().alias("median(delay)"), pl.col("delay").std().alias("std(delay)"), pl.col("destination").nUnique().alias("distinct(destination)"))
        .sort("origin");
      break;
  }
  // Written by Polars straight to the output: a 30M-row result as one
  // JavaScript string is over Node's limit (ERR_STRING_TOO_LONG).
  res.writeCSV("/dev/stdout");
}
