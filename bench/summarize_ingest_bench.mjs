#!/usr/bin/env node
// summarize_ingest_bench.mjs: turn one results directory of bench/run_ingest_bench.sh into a
// Markdown summary on stdout.
//
// Usage: node bench/summarize_ingest_bench.mjs RESULTS_DIR
//
// RESULTS_DIR holds meta.json, memory_bandwidth.json and, for each run i:
//   duckdb_i.json, duckdb_time_i.txt                       (always)
//   severn_timings_i.json, severn_time_i.txt, severn_store_bytes_i.txt   (unless duckdb_only)
// The *_time_i.txt files are the output of GNU `/usr/bin/time -v`.
//
// Every figure quoted is a median over the runs, never the best run. Per-table figures are the
// median of that table's seconds across runs. MB is 10^6 bytes; RSS is in MiB (2^20 bytes).

import fs from 'node:fs';
import path from 'node:path';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: node bench/summarize_ingest_bench.mjs RESULTS_DIR\n');
  process.exit(1);
}
function readJson(name) {
  const file = path.join(dir, name);
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    process.stderr.write(`summarize_ingest_bench: cannot read ${file}: ${e.message}\n`);
    process.exit(1);
  }
}
const exists = (name) => fs.existsSync(path.join(dir, name));

const meta = readJson('meta.json');
const membw = exists('memory_bandwidth.json') ? readJson('memory_bandwidth.json') : null;
const manifest = meta.manifest && fs.existsSync(meta.manifest) ? JSON.parse(fs.readFileSync(meta.manifest, 'utf8')) : null;

function median(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const m = Math.floor(v.length / 2);
  return v.length % 2 === 1 ? v[m] : (v[m - 1] + v[m]) / 2;
}

// Wall time (seconds) and peak RSS (KiB) from `/usr/bin/time -v` output.
function parseTime(name) {
  const text = fs.readFileSync(path.join(dir, name), 'utf8');
  const wall = text.match(/Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([0-9:.]+)/);
  const rss = text.match(/Maximum resident set size \(kbytes\): (\d+)/);
  if (!wall || !rss) throw new Error(`${name}: not GNU time -v output`);
  const seconds = wall[1].split(':').reduce((acc, part) => acc * 60 + Number(part), 0);
  return { wall: seconds, rssKiB: Number(rss[1]) };
}

function loadEngine(engine) {
  const runs = [];
  for (let i = 1; i <= meta.runs; ++i) {
    const report = engine === 'severn' ? readJson(`severn_timings_${i}.json`) : readJson(`duckdb_${i}.json`);
    const time = parseTime(`${engine}_time_${i}.txt`);
    let diskBytes = null;
    if (engine === 'severn' && exists(`severn_store_bytes_${i}.txt`)) {
      const t = fs.readFileSync(path.join(dir, `severn_store_bytes_${i}.txt`), 'utf8').trim();
      diskBytes = t === '' ? null : Number(t);
    } else if (engine === 'duckdb') {
      diskBytes = report.db_bytes ?? null;
    }
    runs.push({ report, ...time, diskBytes });
  }
  const bySource = new Map();
  for (const run of runs) {
    for (const t of run.report.tables ?? []) {
      if (!bySource.has(t.source)) bySource.set(t.source, { table: t.table, rows: [], bytes: [], seconds: [] });
      const e = bySource.get(t.source);
      e.rows.push(t.rows);
      e.bytes.push(t.bytes);
      e.seconds.push(t.seconds);
    }
  }
  return {
    runs,
    wall: median(runs.map((r) => r.wall)),
    self: median(runs.map((r) => r.report.total_seconds)),
    rssKiB: median(runs.map((r) => r.rssKiB)),
    diskBytes: median(runs.map((r) => r.diskBytes)),
    threads: [...new Set(runs.map((r) => r.report.threads))].join('/'),
    version: runs[0]?.report.version ?? null,
    bySource,
  };
}

const engines = meta.duckdb_only ? ['duckdb'] : ['severn', 'duckdb'];
const data = Object.fromEntries(engines.map((e) => [e, loadEngine(e)]));
const label = { severn: 'Severn', duckdb: 'DuckDB' };

const MB = 1e6;
const fmt = (x, digits = 2) => (x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(digits));
const int = (x) => (x === null || x === undefined ? '–' : Math.round(x).toLocaleString('en-GB'));
const ratio = (a, b) => (a === null || b === null || !b ? null : a / b);
const warnings = [];

const lines = [];
const out = (s = '') => lines.push(s);

out('## Ingest benchmark: Severn vs DuckDB');
out();
const totalRowsManifest = manifest ? meta.files.reduce((s, f) => s + (manifest.files?.[f]?.rows ?? 0), 0) : null;
out(`* Source: \`${meta.src}\`: ${meta.files.length} CSV files, ${fmt(meta.csv_bytes / MB, 1)} MB` +
  (totalRowsManifest ? `, ${int(totalRowsManifest)} rows (manifest.json)` : ''));
out(`* ${meta.runs} run(s) per engine${meta.duckdb_only ? ' (DuckDB only)' : ', interleaved, the first engine alternating'}. ` +
  'All figures are **medians** over the runs, not best runs.');
out('* Page cache: every CSV file was read once (untimed) before the runs, so both engines read from ' +
  'memory; the cache was not dropped between runs.');
out(`* Threads: ${engines.map((e) => `${label[e]} ${data[e].threads}`).join(', ')} (as each engine reported).`);
if (data.duckdb) {
  out(`* DuckDB ${data.duckdb.version} through @duckdb/node-api, loading into a database file with ` +
    'read_csv and explicit column types; its time includes opening the database and the final CHECKPOINT.');
}
if (membw) {
  out(`* Machine: sequential memory read ${fmt(membw.read_gbps_1thread, 1)} GB/s on 1 thread, ` +
    `${fmt(membw.read_gbps_all, 1)} GB/s on all ${membw.threads} threads (bench/memory_bandwidth.cpp, median of ${membw.repeats}).`);
}
out('* Wall = the whole process under `/usr/bin/time -v` (for DuckDB this includes starting Node); ' +
  'self = the engine\'s own total_seconds. MB/s = CSV bytes / median wall time.');
out();

out('| engine | wall s | self s | peak RSS MiB | CSV MB/s | on disk MB | wall s of each run |');
out('|---|---:|---:|---:|---:|---:|---|');
for (const e of engines) {
  const d = data[e];
  out(`| ${label[e]} | ${fmt(d.wall)} | ${fmt(d.self)} | ${fmt(d.rssKiB / 1024, 0)} | ` +
    `${fmt(meta.csv_bytes / MB / d.wall, 1)} | ${fmt(d.diskBytes === null ? null : d.diskBytes / MB, 0)} | ` +
    `${d.runs.map((r) => fmt(r.wall)).join(', ')} |`);
}
if (!meta.duckdb_only) {
  const s = data.severn;
  const k = data.duckdb;
  out(`| **Severn / DuckDB** | ${fmt(ratio(s.wall, k.wall))} | ${fmt(ratio(s.self, k.self))} | ` +
    `${fmt(ratio(s.rssKiB, k.rssKiB))} | ${fmt(ratio(k.wall, s.wall))} | ${fmt(ratio(s.diskBytes, k.diskBytes))} | |`);
  out();
  out('Ratios are of the medians; below 1 means Severn is faster (MB/s column: above 1 means Severn is faster) or smaller.');
}
out();

// Per table, in the order of meta.files, then any extra sources an engine reported.
const sources = [...meta.files];
for (const e of engines) for (const s of data[e].bySource.keys()) if (!sources.includes(s)) sources.push(s);

out('### Per table (median seconds per table over the runs)');
out();
const perEngineHeads = engines.flatMap((e) => [`${label[e]} s`, `${label[e]} MB/s`, `${label[e]} rows/s`]);
out(`| source | ${meta.duckdb_only ? '' : 'Severn table | '}rows | MB | ${perEngineHeads.join(' | ')}${meta.duckdb_only ? '' : ' | Severn / DuckDB s'} |`);
out(`|---|${meta.duckdb_only ? '' : '---|'}---:|---:|${perEngineHeads.map(() => '---:').join('|')}|${meta.duckdb_only ? '' : '---:|'}`);
for (const source of sources) {
  const cells = [];
  const rowsSeen = new Set();
  let bytes = null;
  const secs = {};
  for (const e of engines) {
    const t = data[e].bySource.get(source);
    if (!t) {
      cells.push('–', '–', '–');
      secs[e] = null;
      if (meta.files.includes(source)) warnings.push(`${label[e]} reported no timing for ${source}`);
      continue;
    }
    for (const r of t.rows) rowsSeen.add(r);
    bytes = bytes ?? median(t.bytes);
    const s = median(t.seconds);
    secs[e] = s;
    const rows = median(t.rows);
    cells.push(fmt(s, 3), fmt(bytes / MB / s, 1), int(rows / s));
  }
  const expected = manifest?.files?.[source]?.rows;
  if (rowsSeen.size > 1) warnings.push(`${source}: the engines or runs disagree on the row count (${[...rowsSeen].join(', ')})`);
  if (expected !== undefined && rowsSeen.size > 0 && ![...rowsSeen].every((r) => r === expected)) {
    warnings.push(`${source}: rows loaded (${[...rowsSeen].join(', ')}) differ from manifest.json (${expected})`);
  }
  const rows = rowsSeen.size > 0 ? median([...rowsSeen]) : null;
  const severnTable = meta.duckdb_only ? '' : `${data.severn.bySource.get(source)?.table ?? '–'} | `;
  const tail = meta.duckdb_only ? '' : ` | ${fmt(ratio(secs.severn, secs.duckdb))}`;
  out(`| ${source} | ${severnTable}${int(rows)} | ${fmt(bytes === null ? null : bytes / MB, 1)} | ${cells.join(' | ')}${tail} |`);
}
out();
if (data.duckdb) {
  const dk = data.duckdb.runs.map((r) => r.report);
  out(`DuckDB phases (medians): open ${fmt(median(dk.map((r) => r.open_seconds)), 3)} s, ` +
    `loads ${fmt(median(dk.map((r) => r.tables.reduce((s, t) => s + t.seconds, 0))))} s, ` +
    `CHECKPOINT ${fmt(median(dk.map((r) => r.checkpoint_seconds)))} s, close ${fmt(median(dk.map((r) => r.close_seconds)), 3)} s.`);
  out();
}
if (warnings.length > 0) {
  out('**Warnings**');
  out();
  for (const w of warnings) out(`* ${w}`);
  out();
}
process.stdout.write(lines.join('\n'));
