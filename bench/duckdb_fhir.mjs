#!/usr/bin/env node
// duckdb_fhir.mjs: the DuckDB side of bench/run_fhir_bench.sh. Reads the GP record of a synthetic
// ICS in FHIR form (EXTRACT/fhir/gp/*.ndjson, written by `severn synth --format fhir`) with
// read_json, one table per resource type, into a database file, taking out the fields Severn's
// mapping reads (docs/fhir.md): the same JSON parsed and the same values kept.
//
// Usage: node bench/duckdb_fhir.mjs EXTRACT [THREADS] [--db-dir DIR]
//
// Prints one JSON object: {"engine":"duckdb","version":...,"threads":...,"total_seconds":...,
// "files":[{"file":...,"bytes":...,"rows":...,"seconds":...}]}. total_seconds covers the loads
// and the final CHECKPOINT (which writes and syncs the file), not starting Node.
//
// Every column's type is given (`columns`), so DuckDB neither samples nor infers a schema: Severn
// also knows what it reads. Keys not listed are skipped by the reader.

import { DuckDBInstance, version } from '@duckdb/node-api';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const CODING = 'STRUCT("system" VARCHAR, code VARCHAR)[]';
const CONCEPT = `STRUCT(coding ${CODING})`;
const SUBJECT = 'STRUCT(reference VARCHAR, identifier STRUCT("system" VARCHAR, "value" VARCHAR))';
const QUANTITY = 'STRUCT("value" DOUBLE, unit VARCHAR, "system" VARCHAR, code VARCHAR)';

// File, table, columns read, and the select that keeps what the mapping keeps.
const FILES = [
  ['Patient.ndjson', 'patient', {
    id: 'VARCHAR',
    identifier: 'STRUCT("system" VARCHAR, "value" VARCHAR)[]',
    name: 'STRUCT(use VARCHAR, family VARCHAR, given VARCHAR[])[]',
    gender: 'VARCHAR', birthDate: 'VARCHAR', deceasedDateTime: 'VARCHAR',
    address: 'STRUCT(use VARCHAR, postalCode VARCHAR, extension STRUCT(url VARCHAR, valueString VARCHAR)[])[]',
    extension: `STRUCT(url VARCHAR, valueCodeableConcept ${CONCEPT})[]`,
    generalPractitioner: 'STRUCT(identifier STRUCT("system" VARCHAR, "value" VARCHAR))[]',
  }, `id, identifier[1]."value" AS nhs_number, name[1].family AS family_name, name[1].given[1] AS given_name,
      gender, birthDate, deceasedDateTime, address[1].postalCode AS postcode,
      address[1].extension[1].valueString AS lsoa21_code,
      extension[1].valueCodeableConcept.coding[1].code AS ethnic_category,
      generalPractitioner[1].identifier."value" AS practice_code`],
  ['Condition.ndjson', 'condition', { id: 'VARCHAR', subject: SUBJECT, onsetDateTime: 'VARCHAR', code: CONCEPT },
   'id, subject.reference AS subject, onsetDateTime AS date, code.coding[1].code AS code'],
  ['Observation.ndjson', 'observation', {
    id: 'VARCHAR', status: 'VARCHAR', subject: SUBJECT, effectiveDateTime: 'VARCHAR', code: CONCEPT,
    valueQuantity: QUANTITY, component: `STRUCT(code ${CONCEPT}, valueQuantity ${QUANTITY})[]`,
  }, `id, subject.reference AS subject, effectiveDateTime AS date, code.coding[1].code AS code,
      valueQuantity."value" AS value, valueQuantity.code AS unit, component`],
  ['Procedure.ndjson', 'procedure', { id: 'VARCHAR', subject: SUBJECT, performedDateTime: 'VARCHAR', code: CONCEPT },
   'id, subject.reference AS subject, performedDateTime AS date, code.coding[1].code AS code'],
  ['MedicationRequest.ndjson', 'medication_request', {
    id: 'VARCHAR', status: 'VARCHAR', intent: 'VARCHAR', subject: SUBJECT, authoredOn: 'VARCHAR',
    medicationCodeableConcept: CONCEPT,
  }, 'id, subject.reference AS subject, authoredOn AS date, medicationCodeableConcept.coding[1].code AS code'],
];

const fail = (m) => { process.stderr.write(`duckdb_fhir: ${m}\n`); process.exit(2); };
const sqlString = (s) => `'${s.replaceAll("'", "''")}'`;

async function main() {
  const args = process.argv.slice(2);
  let dbDir = os.tmpdir();
  const positional = [];
  for (let i = 0; i < args.length; ++i) {
    if (args[i] === '--db-dir') dbDir = args[++i] ?? fail('--db-dir needs a directory');
    else if (args[i].startsWith('-')) fail(`unknown option ${args[i]}`);
    else positional.push(args[i]);
  }
  if (positional.length < 1 || positional.length > 2) fail('usage: node bench/duckdb_fhir.mjs EXTRACT [THREADS] [--db-dir DIR]');
  const dir = path.join(path.resolve(positional[0]), 'fhir', 'gp');
  const threads = positional[1] ? Number(positional[1]) : 2;
  if (!Number.isInteger(threads) || threads < 1) fail(`THREADS must be a positive whole number, not '${positional[1]}'`);
  const plan = FILES.map(([name, table, columns, select]) => {
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) fail(`${file} not found: is ${positional[0]} the output of 'severn synth --format fhir'?`);
    return { name, table, columns, select, file, bytes: fs.statSync(file).size };
  });
  fs.mkdirSync(dbDir, { recursive: true });
  const root = fs.mkdtempSync(path.join(dbDir, 'duckdb-fhir-'));
  try {
    const instance = await DuckDBInstance.create(path.join(root, 'bench.duckdb'), { threads: String(threads) });
    const connection = await instance.connect();
    const out = { engine: 'duckdb', version: version(), threads, files: [] };
    const t0 = process.hrtime.bigint();
    for (const p of plan) {
      const cols = Object.entries(p.columns).map(([k, v]) => `${sqlString(k)}: ${sqlString(v)}`).join(', ');
      const f0 = process.hrtime.bigint();
      await connection.run(`CREATE TABLE ${p.table} AS SELECT ${p.select} FROM read_json(${sqlString(p.file)}, ` +
                           `format = 'newline_delimited', columns = {${cols}})`);
      const rows = Number((await (await connection.run(`SELECT count(*) FROM ${p.table}`)).getRows())[0][0]);
      out.files.push({ file: p.name, bytes: p.bytes, rows, seconds: Number(process.hrtime.bigint() - f0) / 1e9 });
    }
    await connection.run('CHECKPOINT');
    out.total_seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    connection.closeSync?.();
    instance.closeSync?.();
    process.stdout.write(JSON.stringify(out) + '\n');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((e) => fail(e.stack || String(e)));
