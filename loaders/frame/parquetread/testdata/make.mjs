// make.mjs writes this directory's Parquet files with DuckDB, from the
// bundled vega datasets, and DuckDB's own reading of each as JSON lines
// (NAME.duckdb.jsonl): the reference parquetread's tests compare with,
// cell for cell. Run it from the repository's root when a case is added:
//
//	PEERS_DIR=/path/with/node_modules node loaders/frame/parquetread/testdata/make.mjs
//
// PEERS_DIR holds @duckdb/node-api (npm install @duckdb/node-api); it
// defaults to bench/.peers, as bench/peers/cli.mjs does.
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, "..", "..", "..", "..");
const dir = process.env.PEERS_DIR || path.join(root, "bench", ".peers");
const require = createRequire(path.join(dir, "package.json"));
const { DuckDBInstance } = require("@duckdb/node-api");

const data = (name) => path.join(root, "datasets", "data", name).replaceAll("'", "''");
const out = (name) => path.join(here, name).replaceAll("'", "''");

// Each case: a file name, the query whose rows it holds, and the COPY
// options (compression, row group size).
const cases = [
  // A real file as DuckDB types it: a DATE column, doubles, text.
  ["seattle-weather.parquet", `SELECT * FROM read_csv('${data("seattle-weather.csv")}')`, "COMPRESSION snappy"],
  // Many small row groups, zstd, and a text column with empty and NULL cells.
  ["airports-zstd.parquet", `SELECT * FROM read_csv('${data("airports.csv")}')`, "COMPRESSION zstd, ROW_GROUP_SIZE 500"],
  ["flights-airport-gzip.parquet", `SELECT * FROM read_csv('${data("flights-airport.csv")}') LIMIT 2500`, "COMPRESSION gzip, ROW_GROUP_SIZE 2048"],
  // Every type a Parquet file commonly holds, from a real file's rows.
  [
    "types.parquet",
    `SELECT
       row_number() OVER () AS id,
       (count % 100)::TINYINT AS tiny,
       (count % 30000)::SMALLINT AS small,
       count::INTEGER AS int32,
       count::BIGINT * 1000000007 AS int64,
       count::UBIGINT AS uint64,
       (count / 7.0)::FLOAT AS float32,
       count / 7.0 AS float64,
       (count / 100.0)::DECIMAL(10,2) AS dec10,
       (count / 1000.0)::DECIMAL(20,5) AS dec20,
       DATE '2001-01-01' + (count % 3650)::INTEGER AS day,
       TIMESTAMP '2001-01-01 00:00:00' + to_seconds(count * 3607) AS ts,
       (TIMESTAMP '2001-01-01 00:00:00' + to_milliseconds(count * 3607001))::TIMESTAMP_MS AS ts_ms,
       (TIMESTAMP '2001-01-01 00:00:00' + to_seconds(count * 61))::TIMESTAMPTZ AS tstz,
       count % 2 = 0 AS even,
       CASE WHEN count % 11 = 0 THEN NULL WHEN count % 13 = 0 THEN '' WHEN count % 17 = 0 THEN 'NA' ELSE origin END AS origin,
       destination::BLOB AS dest_blob,
       CASE WHEN count % 5 = 0 THEN NULL ELSE count END AS sometimes,
       [count, count + 1] AS pair,
       {'o': origin, 'n': count} AS rec
     FROM read_csv('${data("flights-airport.csv")}') LIMIT 2500`,
    "COMPRESSION snappy, ROW_GROUP_SIZE 1000",
  ],
];

const db = await DuckDBInstance.create(":memory:");
const con = await db.connect();
await con.run("SET TimeZone = 'UTC'");
for (const [name, query, opts] of cases) {
  await con.run(`COPY (${query}) TO '${out(name)}' (FORMAT parquet, ${opts})`);
  const ref = out(name.replace(/\.parquet$/, ".duckdb.jsonl"));
  await con.run(`COPY (SELECT * FROM read_parquet('${out(name)}')) TO '${ref}' (FORMAT json)`);
  console.log(name);
}
