#!/usr/bin/env node
// engine_duckdb.mjs: the DuckDB side of bench/run_engine_bench.sh. It answers the measures of a
// definition file (definitions/ics_core_measures.sev) with hand-written SQL
// (bench/ics_core_measures.sql) over the same store that `severn run` reads.
//
// Two steps:
//
//   node bench/engine_duckdb.mjs prepare --store DIR --sev FILE --db FILE [--severn BIN] [--data DIR]
//
//     Loads the data into a DuckDB database file, untimed. Each store table the SQL needs is
//     written out with `severn export` (person_id first, codes decoded, rows in store order) and
//     given a row_id column numbering the rows in that order, which is what first()/latest() use
//     to break ties on a date. The code lists the .sev file declares are loaded into one table
//     `codelists (codelist, code)` under the names the .sev file gives them, resolved the way
//     `severn check` resolves them (beside the .sev file, then the reference pack's codelists/).
//     The reference tables the breakdowns need (practice -> PCN and Place; LSOA -> IMD decile)
//     come from the same reference pack Severn reads. The database is kept: a later prepare with
//     the same store, code lists, reference data and loader does nothing.
//
//   node bench/engine_duckdb.mjs query --db FILE --sql FILE --out DIR [--threads N]
//
//     Opens the database read-only and times the query phase only: running the SQL and writing
//     its result to DIR/measures.csv with COPY, in the column layout of Severn's measures.csv.
//     Prints one JSON object on stdout:
//       {"engine":"duckdb","version":"v1.5.6","threads":2,"open_seconds":...,
//        "query_seconds":...,"rows":...}
//     query_seconds covers the query and writing the CSV; open_seconds covers opening the
//     database. Neither covers starting Node; the wall time measured around the process does.
//
//   node bench/engine_duckdb.mjs compare SEVERN_MEASURES_CSV DUCKDB_MEASURES_CSV
//
//     The verification step. Sorts the data rows of both files and compares them exactly, as text:
//     every measure, interval, breakdown and group, with its numerator, denominator and value (6
//     decimals in both). Prints one JSON object ({"identical":true,"rows":...} or the first
//     differences) and exits 1 if the files differ.
//
// DuckDB settings: threads as given (default 2); everything else at its defaults, including
// memory_limit (80% of RAM) and preserve_insertion_order.

import { DuckDBInstance, version } from '@duckdb/node-api';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

// Bump when the loaded schema changes, so that a cached database is rebuilt.
const LOADER_VERSION = 'engine-duckdb-2';

const V = 'VARCHAR';
const D = 'DATE';
const I = 'INTEGER';
const F = 'DOUBLE';
const B = 'BIGINT';

// The store tables the SQL reads, with the columns `severn export` writes (docs/store.md), after
// the row_id this script adds. pseudonym is left out: the measures never read it.
const TABLES = [
  ['patients', [['row_id', B], ['person_id', I], ['pseudonym', V], ['sex', V], ['date_of_birth', D],
    ['date_of_death', D], ['lsoa21_code', V], ['ethnic_category', V], ['practice_code', V]]],
  ['practice_registrations', [['row_id', B], ['person_id', I], ['practice_code', V], ['start_date', D],
    ['end_date', D]]],
  ['clinical_events', [['row_id', B], ['person_id', I], ['date', D], ['snomedct_code', V],
    ['numeric_value', F]]],
  ['medications', [['row_id', B], ['person_id', I], ['date', D], ['dmd_code', V]]],
  ['apcs', [['row_id', B], ['person_id', I], ['provider_code', V], ['admission_date', D],
    ['discharge_date', D], ['admission_method', V], ['primary_diagnosis', V], ['secondary_diagnoses', V],
    ['primary_procedure', V]]],
  ['ec', [['row_id', B], ['person_id', I], ['provider_code', V], ['arrival_date', D], ['acuity_code', V],
    ['diagnosis_code', V], ['admitted', I]]],
  ['opa', [['row_id', B], ['person_id', I], ['provider_code', V], ['appointment_date', D],
    ['treatment_function_code', I], ['first_attendance', I], ['attendance_status', I]]],
];

// Per table, the SELECT list that turns the CSV into the table kept in the database.
const SHAPE = {
  patients: 'row_id, person_id, sex, date_of_birth, date_of_death, lsoa21_code, ethnic_category, practice_code',
  // A list column in the store; exported as codes joined by ';'. An empty list is kept as NULL.
  apcs: "row_id, person_id, provider_code, admission_date, discharge_date, admission_method, primary_diagnosis, " +
    "string_split(nullif(secondary_diagnoses, ''), ';') AS secondary_diagnoses, primary_procedure",
};

// The date that orders each event table's rows (docs/language.md).
const DATE_COLUMN = {
  practice_registrations: 'start_date', clinical_events: 'date', medications: 'date',
  apcs: 'admission_date', ec: 'arrival_date', opa: 'appointment_date',
};

function fail(message) {
  process.stderr.write(`engine_duckdb: ${message}\n`);
  process.exit(1);
}

function parseArgs(argv) {
  const [command, ...rest] = argv;
  if (command !== 'prepare' && command !== 'query' && command !== 'compare') {
    fail('usage: node bench/engine_duckdb.mjs prepare|query|compare [options] (see the comment at the top)');
  }
  if (command === 'compare') {
    if (rest.length !== 2) fail('usage: node bench/engine_duckdb.mjs compare SEVERN_CSV DUCKDB_CSV');
    return { command, files: rest };
  }
  const opts = { command, threads: 2 };
  for (let i = 0; i < rest.length; ++i) {
    const a = rest[i];
    const value = () => {
      if (i + 1 >= rest.length) fail(`${a} needs a value`);
      return rest[++i];
    };
    switch (a) {
      case '--store': opts.store = value(); break;
      case '--sev': opts.sev = value(); break;
      case '--db': opts.db = value(); break;
      case '--severn': opts.severn = value(); break;
      case '--data': opts.data = value(); break;
      case '--sql': opts.sql = value(); break;
      case '--out': opts.out = value(); break;
      case '--threads': {
        const t = value();
        if (!/^[1-9][0-9]*$/.test(t)) fail(`--threads must be a positive whole number, not '${t}'`);
        opts.threads = Number(t);
        break;
      }
      default: fail(`unknown option ${a}`);
    }
  }
  const need = command === 'prepare' ? ['store', 'sev', 'db'] : ['db', 'sql', 'out'];
  for (const k of need) if (!opts[k]) fail(`${command} needs --${k}`);
  return opts;
}

// First line of a file, without reading the whole file.
function firstLine(file) {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    const text = buf.subarray(0, n).toString('utf8');
    const end = text.indexOf('\n');
    return end < 0 ? text : text.slice(0, end);
  } finally {
    fs.closeSync(fd);
  }
}

const sqlString = (s) => `'${String(s).replaceAll("'", "''")}'`;

// The code lists a .sev file declares, resolved as `severn check` does: beside the .sev file
// first, then in the reference pack's codelists/ directory.
function declaredCodelists(sevFile, dataDir) {
  const text = fs.readFileSync(sevFile, 'utf8');
  const lists = [];
  for (const m of text.matchAll(/^\s*codelist\s+([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"([^"]+)"/gm)) {
    const [, name, rel] = m;
    const tried = [path.resolve(path.dirname(sevFile), rel), path.resolve(dataDir, 'codelists', rel)];
    const file = tried.find((p) => fs.existsSync(p) && fs.statSync(p).isFile());
    if (!file) fail(`code list '${name}': ${rel} not found (looked for ${tried.join(' or ')})`);
    lists.push({ name, file });
  }
  if (lists.length === 0) fail(`${sevFile} declares no code lists`);
  return lists;
}

function dataDirOf(opts) {
  const dir = opts.data ?? process.env.SEVERN_DATA ?? path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../shared/data');
  if (!fs.existsSync(path.join(dir, 'organisations/practices_stw.csv'))) fail(`${dir} is not a reference-data pack`);
  return dir;
}

async function prepare(opts) {
  const severn = opts.severn ?? path.resolve(path.dirname(new URL(import.meta.url).pathname), '../build/release/severn');
  if (!fs.existsSync(path.join(opts.store, 'manifest.json'))) fail(`no store at ${opts.store} (no manifest.json)`);
  if (!fs.existsSync(opts.sev)) fail(`${opts.sev} not found`);
  const dataDir = dataDirOf(opts);
  const lists = declaredCodelists(opts.sev, dataDir);
  const refFiles = ['organisations/practices_stw.csv', 'geography/lsoa21_stw.csv'].map((f) => path.join(dataDir, f));

  // What the database is built from; if it has not changed, the database is kept as it is.
  const hash = crypto.createHash('sha256');
  hash.update(LOADER_VERSION);
  hash.update(fs.readFileSync(path.join(opts.store, 'manifest.json')));
  for (const l of lists) hash.update(`${l.name}\0`).update(fs.readFileSync(l.file));
  for (const f of refFiles) hash.update(fs.readFileSync(f));
  const key = hash.digest('hex');
  const keyFile = `${opts.db}.key`;
  if (fs.existsSync(opts.db) && fs.existsSync(keyFile) && fs.readFileSync(keyFile, 'utf8') === key) {
    process.stderr.write(`engine_duckdb: ${opts.db} is up to date\n`);
    return;
  }

  fs.mkdirSync(path.dirname(path.resolve(opts.db)), { recursive: true });
  for (const f of [opts.db, `${opts.db}.wal`, keyFile]) fs.rmSync(f, { force: true });
  const tmp = fs.mkdtempSync(path.join(path.dirname(path.resolve(opts.db)), 'export-'));
  try {
    const instance = await DuckDBInstance.create(opts.db, { threads: '2' });
    const con = await instance.connect();
    for (const [table, columns] of TABLES) {
      const csv = path.join(tmp, `${table}.csv`);
      const t0 = performance.now();
      // row_id numbers the rows in store order (0-based), which the export keeps.
      try {
        execFileSync('bash', ['-c',
          'set -o pipefail; "$0" export --store "$1" --table "$2" | ' +
          'awk \'NR == 1 { print "row_id," $0; next } { print NR - 2 "," $0 }\' > "$3"',
          severn, opts.store, table, csv], { stdio: ['ignore', 'inherit', 'inherit'] });
      } catch {
        fail(`'${severn} export --store ${opts.store} --table ${table}' failed`);
      }
      const header = firstLine(csv);
      const expected = columns.map(([n]) => n).join(',');
      if (header !== expected) fail(`${table}: export header is '${header}', expected '${expected}'`);
      const cols = columns.map(([n, t]) => `${sqlString(n)}: ${sqlString(t)}`).join(', ');
      await con.run(`CREATE TABLE ${table} AS SELECT ${SHAPE[table] ?? '*'} FROM read_csv(${sqlString(csv)}, ` +
        `header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', columns = {${cols}}) ` +
        'ORDER BY row_id');
      fs.rmSync(csv);
      // The SQL takes the highest row_id as the latest row; that holds because the store keeps
      // each person's rows in date order (docs/store.md). Check it rather than trust it.
      const date = DATE_COLUMN[table];
      if (date) {
        const bad = Number((await (await con.run(
          `SELECT count(*) FROM (SELECT ${date} < lag(${date}) OVER (PARTITION BY person_id ORDER BY row_id) AS back ` +
          `FROM ${table}) WHERE back`)).getRowsJS())[0][0]);
        if (bad !== 0) fail(`${table}: ${bad} rows are earlier than the row before them for the same person`);
      }
      const rows = Number((await (await con.run(`SELECT count(*) FROM ${table}`)).getRowsJS())[0][0]);
      process.stderr.write(`engine_duckdb: loaded ${table}: ${rows} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    }

    await con.run('CREATE TABLE codelists (codelist VARCHAR NOT NULL, code VARCHAR NOT NULL)');
    for (const l of lists) {
      await con.run(`INSERT INTO codelists SELECT ${sqlString(l.name)}, code FROM read_csv(${sqlString(l.file)}, ` +
        "header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"', " +
        "columns = {'code': 'VARCHAR', 'term': 'VARCHAR'}, null_padding = true)");
    }
    // The practices and LSOAs of the reference pack, with only the columns the breakdowns use.
    await con.run('CREATE TABLE practices AS SELECT practice_code, pcn_code, place FROM ' +
      `read_csv(${sqlString(refFiles[0])}, header = true, all_varchar = true)`);
    await con.run('CREATE TABLE lsoas AS SELECT lsoa21_code, CAST(imd2025_decile AS INTEGER) AS imd_decile FROM ' +
      `read_csv(${sqlString(refFiles[1])}, header = true, all_varchar = true)`);
    await con.run('CHECKPOINT');
    con.closeSync();
    instance.closeSync();
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  fs.writeFileSync(keyFile, key);
  process.stderr.write(`engine_duckdb: wrote ${opts.db}\n`);
}

async function query(opts) {
  // One query; a final ';' is dropped so that it can be wrapped in COPY (...).
  const sql = fs.readFileSync(opts.sql, 'utf8').trim().replace(/;$/, '');
  fs.mkdirSync(opts.out, { recursive: true });
  const out = path.join(opts.out, 'measures.csv');

  const t0 = performance.now();
  const instance = await DuckDBInstance.create(opts.db, { threads: String(opts.threads), access_mode: 'READ_ONLY' });
  const con = await instance.connect();
  const t1 = performance.now();
  const result = await con.run(`COPY (\n${sql}\n) TO ${sqlString(out)} (FORMAT csv, HEADER true)`);
  const rows = Number((await result.getRowsJS())[0]?.[0] ?? -1);
  const t2 = performance.now();
  const threads = (await (await con.run("SELECT current_setting('threads')")).getRowsJS())[0][0];
  con.closeSync();
  instance.closeSync();

  const round = (x) => Math.round(x * 1e6) / 1e6;
  process.stdout.write(JSON.stringify({
    engine: 'duckdb',
    version: version(),
    threads: Number(threads),
    open_seconds: round((t1 - t0) / 1000),
    query_seconds: round((t2 - t1) / 1000),
    rows,
  }) + '\n');
}

// Sorted data rows of a measures.csv, and its header.
function measureRows(file) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  const header = lines.shift() ?? '';
  return { header, rows: lines.sort() };
}

function compare([severnFile, duckdbFile]) {
  const a = measureRows(severnFile);
  const b = measureRows(duckdbFile);
  const report = { identical: false, rows: a.rows.length, severn_rows: a.rows.length, duckdb_rows: b.rows.length };
  if (a.header !== b.header) {
    report.header = { severn: a.header, duckdb: b.header };
  }
  // Rows keyed by measure, interval, breakdown and group, so that a difference names what differs.
  const key = (line) => line.split(',').slice(0, 5).join(',');
  const mapA = new Map(a.rows.map((l) => [key(l), l]));
  const mapB = new Map(b.rows.map((l) => [key(l), l]));
  const differences = [];
  let count = 0;
  for (const [k, line] of mapA) {
    const other = mapB.get(k);
    if (other === line) continue;
    ++count;
    if (differences.length < 20) differences.push({ severn: line, duckdb: other ?? null });
  }
  for (const [k, line] of mapB) {
    if (mapA.has(k)) continue;
    ++count;
    if (differences.length < 20) differences.push({ severn: null, duckdb: line });
  }
  const sameText = a.rows.length === b.rows.length && a.rows.every((l, i) => l === b.rows[i]);
  report.identical = sameText && !report.header && count === 0;
  if (!report.identical) {
    report.differing_rows = count;
    report.first_differences = differences;
  }
  process.stdout.write(JSON.stringify(report) + '\n');
  if (!report.identical) process.exit(1);
}

const opts = parseArgs(process.argv.slice(2));
if (opts.command === 'prepare') await prepare(opts);
else if (opts.command === 'query') await query(opts);
else compare(opts.files);
