#!/usr/bin/env node
// duckdb_load.mjs: load the partner extracts written by `severn synth` into DuckDB, one table per
// CSV file, and report how long each file took. It is the DuckDB side of bench/run_ingest_bench.sh.
//
// Usage: node bench/duckdb_load.mjs SRC_DIR [THREADS] [--db-dir DIR] [--in-memory] [--keep]
//
//   SRC_DIR      output directory of `severn synth` (for example out/stw)
//   THREADS      DuckDB worker threads (default 2)
//   --db-dir DIR where the temporary database directory is made (default: the system temp dir)
//   --in-memory  use an in-memory database instead of a database file (see below)
//   --keep       keep the database file and print its path on stderr (default: delete it)
//
// Prints one JSON object on stdout:
//   {"engine":"duckdb","version":"v1.5.6","threads":2,"total_seconds":...,
//    "tables":[{"source":"gp/events.csv","table":"gp_events","rows":...,"bytes":...,"seconds":...},...],
//    ...}
//
// Database file or in memory? By default this writes a database file, and that is the fairer
// comparison: `severn ingest` writes its store to disk, so DuckDB must also persist what it loaded.
// An in-memory database would skip compression to disk blocks, the writes and the checkpoint's
// fsync, and flatter DuckDB. total_seconds therefore covers opening the database, every load,
// the final CHECKPOINT (which writes and syncs the file) and closing it. It does not cover starting
// Node and importing the DuckDB module; the wall time measured around the process does.
//
// The CSV dialect is given in full (comma, double quote, header row) and every column's type is
// explicit, so DuckDB does no sniffing or type inference: Severn's ingest also knows the schema
// from the data contract (docs/data-model.md). Codes, NHS numbers and ids are VARCHAR (SNOMED CT
// and dm+d codes can exceed 2^53), dates are DATE, numeric_value is DOUBLE and the small coded
// integers are INTEGER. Because DuckDB does not check header names when auto_detect is off, this
// script checks each file's header against the expected columns itself, before the clock starts.

import { DuckDBInstance, version } from '@duckdb/node-api';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const V = 'VARCHAR';
const D = 'DATE';
const I = 'INTEGER';
const F = 'DOUBLE';

// Load order and schemas (docs/data-model.md). Each entry: source path, table name, columns.
const FILES = [
  ['gp/patients.csv', 'gp_patients', [
    ['nhs_number', V], ['family_name', V], ['given_name', V], ['sex', V], ['date_of_birth', D],
    ['date_of_death', D], ['postcode', V], ['lsoa21_code', V], ['ethnic_category', V], ['practice_code', V]]],
  ['gp/registrations.csv', 'gp_registrations', [
    ['nhs_number', V], ['practice_code', V], ['start_date', D], ['end_date', D]]],
  ['gp/events.csv', 'gp_events', [
    ['nhs_number', V], ['event_date', D], ['snomedct_code', V], ['numeric_value', F]]],
  ['gp/medications.csv', 'gp_medications', [
    ['nhs_number', V], ['issue_date', D], ['dmd_code', V]]],
  ['sus/apc_spells.csv', 'sus_apc_spells', [
    ['spell_id', V], ['provider_code', V], ['local_patient_id', V], ['nhs_number', V], ['admission_date', D],
    ['discharge_date', D], ['admission_method', V], ['primary_diagnosis', V], ['secondary_diagnoses', V],
    ['primary_procedure', V]]],
  ['ecds/attendances.csv', 'ecds_attendances', [
    ['attendance_id', V], ['provider_code', V], ['local_patient_id', V], ['nhs_number', V], ['arrival_date', D],
    ['acuity_code', V], ['diagnosis_code', V], ['admitted', I]]],
  ['sus/outpatients.csv', 'sus_outpatients', [
    ['appointment_id', V], ['provider_code', V], ['local_patient_id', V], ['nhs_number', V],
    ['appointment_date', D], ['treatment_function_code', I], ['first_attendance', I], ['attendance_status', I]]],
  ['wlmds/rtt_pathways.csv', 'wlmds_rtt_pathways', [
    ['pathway_id', V], ['provider_code', V], ['local_patient_id', V], ['nhs_number', V],
    ['treatment_function_code', I], ['priority', V], ['clock_start_date', D], ['clock_stop_date', D],
    ['rtt_status', V]]],
  ['community/contacts.csv', 'community_contacts', [
    ['contact_id', V], ['provider_code', V], ['local_patient_id', V], ['nhs_number', V], ['contact_date', D],
    ['service', V]]],
  ['social_care/episodes.csv', 'social_care_episodes', [
    ['episode_id', V], ['council_code', V], ['local_person_id', V], ['nhs_number', V], ['service_type', V],
    ['start_date', D], ['end_date', D]]],
  ['partners/patients.csv', 'partners_patients', [
    ['partner_code', V], ['local_patient_id', V], ['nhs_number', V], ['family_name', V], ['given_name', V],
    ['sex', V], ['date_of_birth', D], ['postcode', V]]],
  ['ons/deaths.csv', 'ons_deaths', [
    ['nhs_number', V], ['date_of_death', D], ['date_of_birth', D], ['sex', V], ['underlying_cause', V],
    ['postcode', V]]],
  ['ncras/cancer_registrations.csv', 'ncras_cancer_registrations', [
    ['tumour_id', V], ['nhs_number', V], ['date_of_birth', D], ['sex', V], ['diagnosis_date', D],
    ['site_icd10', V], ['stage', V]]],
];

function fail(message) {
  process.stderr.write(`duckdb_load: ${message}\n`);
  process.exit(1);
}

function parseArgs(argv) {
  const opts = { src: null, threads: 2, dbDir: os.tmpdir(), inMemory: false, keep: false };
  const positional = [];
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    if (a === '--db-dir') {
      if (i + 1 >= argv.length) fail('--db-dir needs a directory');
      opts.dbDir = argv[++i];
    } else if (a === '--in-memory') {
      opts.inMemory = true;
    } else if (a === '--keep') {
      opts.keep = true;
    } else if (a === '-h' || a === '--help') {
      process.stdout.write('usage: node bench/duckdb_load.mjs SRC_DIR [THREADS] [--db-dir DIR] [--in-memory] [--keep]\n');
      process.exit(0);
    } else if (a.startsWith('-')) {
      fail(`unknown option ${a}`);
    } else {
      positional.push(a);
    }
  }
  if (positional.length < 1 || positional.length > 2) {
    fail('usage: node bench/duckdb_load.mjs SRC_DIR [THREADS] [--db-dir DIR] [--in-memory] [--keep]');
  }
  opts.src = positional[0];
  if (positional.length === 2) {
    if (!/^[1-9][0-9]*$/.test(positional[1])) fail(`THREADS must be a positive whole number, not '${positional[1]}'`);
    opts.threads = Number(positional[1]);
  }
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
    return (end < 0 ? text : text.slice(0, end)).replace(/\r$/, '');
  } finally {
    fs.closeSync(fd);
  }
}

const sqlString = (s) => `'${s.replaceAll("'", "''")}'`;

function loadSql(table, file, columns) {
  const cols = columns.map(([name, type]) => `${sqlString(name)}: ${sqlString(type)}`).join(', ');
  return `CREATE TABLE ${table} AS SELECT * FROM read_csv(${sqlString(file)}, ` +
    `header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', columns = {${cols}})`;
}

function removeQuietly(p) {
  try {
    fs.rmSync(p, { recursive: true, force: true });
  } catch {
    // Best effort: a leftover temporary directory must not turn a good measurement into a failure.
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const src = path.resolve(opts.src);

  // Check every file before the clock starts: present, and with the header the schema expects.
  const plan = FILES.map(([source, table, columns]) => {
    const file = path.join(src, source);
    let st;
    try {
      st = fs.statSync(file);
    } catch {
      fail(`${file} not found (is ${opts.src} the output of 'severn synth'?)`);
    }
    const header = firstLine(file);
    const expected = columns.map(([name]) => name).join(',');
    if (header !== expected) fail(`${source}: header is '${header}', expected '${expected}'`);
    return { source, table, columns, file, bytes: st.size };
  });

  let dbRoot = null;
  let dbPath = ':memory:';
  if (!opts.inMemory) {
    fs.mkdirSync(opts.dbDir, { recursive: true });
    dbRoot = fs.mkdtempSync(path.join(opts.dbDir, 'duckdb-bench-'));
    dbPath = path.join(dbRoot, 'bench.duckdb');
  }
  const cleanup = () => { if (dbRoot && !opts.keep) removeQuietly(dbRoot); };
  process.on('exit', cleanup);

  const t0 = performance.now();
  const instance = await DuckDBInstance.create(dbPath, { threads: String(opts.threads) });
  const connection = await instance.connect();
  const tOpen = performance.now();

  const tables = [];
  for (const p of plan) {
    const start = performance.now();
    let result;
    try {
      result = await connection.run(loadSql(p.table, p.file, p.columns));
    } catch (e) {
      fail(`${p.source}: DuckDB rejected the file: ${e.message}`);
    }
    const seconds = (performance.now() - start) / 1000;
    const rows = Number((await result.getRowsJS())[0][0]);
    tables.push({ source: p.source, table: p.table, rows, bytes: p.bytes, seconds: round(seconds) });
  }

  const tCheckpoint = performance.now();
  await connection.run('CHECKPOINT');
  const tClose = performance.now();
  connection.closeSync();
  instance.closeSync();
  const tEnd = performance.now();

  let dbBytes = null;
  if (dbRoot) {
    dbBytes = 0;
    for (const name of fs.readdirSync(dbRoot)) {
      const st = fs.statSync(path.join(dbRoot, name));
      if (st.isFile()) dbBytes += st.size;
    }
    if (opts.keep) process.stderr.write(`duckdb_load: database kept at ${dbPath}\n`);
  }

  const report = {
    engine: 'duckdb',
    version: version(),
    threads: opts.threads,
    storage: opts.inMemory ? 'memory' : 'file',
    total_seconds: round((tEnd - t0) / 1000),
    open_seconds: round((tOpen - t0) / 1000),
    checkpoint_seconds: round((tClose - tCheckpoint) / 1000),
    close_seconds: round((tEnd - tClose) / 1000),
    total_bytes: plan.reduce((s, p) => s + p.bytes, 0),
    total_rows: tables.reduce((s, t) => s + t.rows, 0),
    db_bytes: dbBytes,
    tables,
  };
  process.stdout.write(JSON.stringify(report) + '\n');
}

function round(x) {
  return Math.round(x * 1e6) / 1e6;
}

await main();
