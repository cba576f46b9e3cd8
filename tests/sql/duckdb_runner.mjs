#!/usr/bin/env node
// duckdb_runner.mjs: runs SQL in DuckDB for the SQL-engine tests (tests/sql/duckdb_session.h).
//
//   node tests/sql/duckdb_runner.mjs load --db FILE --script LOAD_SQL
//     Creates the database FILE (replacing it) and runs the script in it: the load.sql that
//     `severn export --to-duckdb DIR` writes, which creates the warehouse tables and reads their CSVs.
//
//   node tests/sql/duckdb_runner.mjs query --db FILE --sql SQL_FILE --out JSON_FILE
//     Opens FILE read-only, runs the statements of SQL_FILE in order and writes the result of
//     each, {"results": [{"columns": [...], "rows": [[...], ...]}, ...]}, every value as text (the
//     client's text form of the DuckDB value: dates YYYY-MM-DD, whole doubles without ".0") or
//     null, so that the C++ side compares it with PostgreSQL's text output. Many queries in one
//     file cost one Node start.
//
//   node tests/sql/duckdb_runner.mjs serve --db FILE
//     Opens FILE read-only and answers queries until stdin closes: each request is one line of
//     JSON, {"sql": "..."} (one statement), each answer one line, {"columns": [...], "rows": ...}
//     as above or {"error": "..."}. One Node start and one DuckDB session for any number of
//     queries: the SQL engine's executor in tests (duckdb_executor.h) asks one query at a time.
//
// DuckDB's client is the one bench/package.json pins (installed by scripts/setup into
// bench/node_modules): one pinned version for the benchmark and the tests.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function fail(message) {
  process.stderr.write(`duckdb_runner: ${message}\n`);
  process.exit(1);
}

const here = path.dirname(fileURLToPath(import.meta.url));
const benchPackage = path.resolve(here, '../../bench/package.json');
let duckdb;
try {
  duckdb = await import(createRequire(benchPackage).resolve('@duckdb/node-api'));
} catch (e) {
  fail(`cannot load @duckdb/node-api from ${path.dirname(benchPackage)}/node_modules (run scripts/setup as root): ${e.message}`);
}

const [command, ...rest] = process.argv.slice(2);
const opts = {};
for (let i = 0; i < rest.length; i += 2) {
  if (!rest[i].startsWith('--') || i + 1 >= rest.length) fail(`bad argument '${rest[i]}'`);
  opts[rest[i].slice(2)] = rest[i + 1];
}
const need = { load: ['db', 'script'], query: ['db', 'sql', 'out'], serve: ['db'] }[command];
if (!need) fail('usage: duckdb_runner.mjs load --db FILE --script FILE | query --db FILE --sql FILE --out FILE | serve --db FILE');
for (const k of need) if (!opts[k]) fail(`${command} needs --${k}`);

function readText(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    fail(`${file}: ${e.message}`);
  }
}

async function load() {
  const script = readText(opts.script);
  for (const f of [opts.db, `${opts.db}.wal`]) fs.rmSync(f, { force: true });
  const instance = await duckdb.DuckDBInstance.create(opts.db, { threads: '2' });
  const con = await instance.connect();
  try {
    await con.run(script);
    await con.run('CHECKPOINT');
  } catch (e) {
    fail(`${opts.script}: ${e.message}`);
  } finally {
    con.closeSync();
    instance.closeSync();
  }
}

async function query() {
  const sql = readText(opts.sql);
  const instance = await duckdb.DuckDBInstance.create(opts.db, { threads: '2', access_mode: 'READ_ONLY' });
  const con = await instance.connect();
  let out;
  try {
    const statements = await con.extractStatements(sql);
    if (statements.count === 0) fail(`${opts.sql}: no SQL statement`);
    const results = [];
    for (let i = 0; i < statements.count; ++i) {
      const reader = await (await statements.prepare(i)).runAndReadAll();
      const rows = reader.getRows().map((row) => row.map((v) => (v === null ? null : String(v))));
      results.push({ columns: reader.columnNames(), rows });
    }
    out = { results };
  } catch (e) {
    fail(`${opts.sql}: ${e.message}`);
  } finally {
    con.closeSync();
    instance.closeSync();
  }
  fs.writeFileSync(opts.out, JSON.stringify(out));
}

async function serve() {
  const instance = await duckdb.DuckDBInstance.create(opts.db, { threads: '2', access_mode: 'READ_ONLY' });
  const con = await instance.connect();
  const readline = await import('node:readline');
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    let answer;
    try {
      const { sql } = JSON.parse(line);
      const reader = await con.runAndReadAll(sql);
      const rows = reader.getRows().map((row) => row.map((v) => (v === null ? null : String(v))));
      answer = { columns: reader.columnNames(), rows };
    } catch (e) {
      answer = { error: String(e.message) };
    }
    process.stdout.write(`${JSON.stringify(answer)}\n`);
  }
  con.closeSync();
  instance.closeSync();
}

if (command === 'load') await load();
else if (command === 'serve') await serve();
else await query();
