// The dashboard's browser test: Debian's chromium driven by puppeteer-core, axe-core injected.
//   node dashboard.mjs BASE_URL CREDENTIALS.json SCREENSHOT_DIR
// CREDENTIALS.json: {"analyst": {"user": "...", "password": "..."}, "clinician": {...}, "elective": {...}, "admin": {...}}
// For each role: signs in, checks the navigation offers exactly the role's pages, opens each page
// (no console error, no failed request, no axe-core WCAG 2.1 A/AA violation), exercises the
// explorer (choosing a measure and a breakdown redraws the charts; the map draws its areas) and
// the lists, saves a screenshot per role and page, and signs out. Exit code 0 only if all pass.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import puppeteer from 'puppeteer-core';

const [base, credentialsFile, shots] = process.argv.slice(2);
if (!base || !credentialsFile || !shots) {
  console.error('usage: node dashboard.mjs BASE_URL CREDENTIALS.json SCREENSHOT_DIR');
  process.exit(2);
}
const credentials = JSON.parse(fs.readFileSync(credentialsFile, 'utf8'));
fs.mkdirSync(shots, { recursive: true });
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

// What each role may see (src/server/roles.h): aggregates for all; lists and audit by role.
const AGGREGATES = ['overview', 'explorer', 'compare', 'elective'];
const EXPECTED_NAV = {
  analyst: AGGREGATES,
  clinician: [...AGGREGATES, 'worklists'],
  elective: [...AGGREGATES, 'ptl'],
  admin: [...AGGREGATES, 'audit', 'users'],
};
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const TIMEOUT_MS = 30000;

const failures = [];
const fail = (where, what) => { failures.push(`${where}: ${what}`); console.log(`FAIL ${where}: ${what}`); };
const pass = (where, what) => console.log(`ok   ${where}: ${what}`);

async function axeCheck(page, where) {
  // Runtime evaluation is not subject to the page's CSP, so axe-core goes in without loosening it.
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  const result = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
    .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }))), WCAG_TAGS);
  if (result.length) for (const v of result) fail(where, `axe ${v.id} (${v.impact}): ${v.help} at ${v.nodes.join(', ')}`);
  else pass(where, 'axe-core: no WCAG 2.1 A/AA violations');
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

const waitReady = (page, id) => page.waitForFunction((p) => document.body.dataset.ready === p, { timeout: TIMEOUT_MS }, id);

// The id of the <select> whose label is `label`, on the current page.
const selectId = (page, label) => page.evaluate((l) => [...document.querySelectorAll('label')].find((x) => x.textContent === l)?.control?.id || null, label);
async function choose(page, label, value) {
  const id = await selectId(page, label);
  if (!id) throw new Error(`no select labelled ${label}`);
  await page.focus('#' + id);  // as a keyboard user would be, so the focus check below means something
  await page.select('#' + id, value);
}
const options = (page, label) => page.evaluate((l) => {
  const s = [...document.querySelectorAll('label')].find((x) => x.textContent === l)?.control;
  return s ? { value: s.value, all: [...s.options].map((o) => o.value) } : null;
}, label);

async function checkExplorer(page, where) {
  await page.waitForSelector('[data-chart="trend"] svg.chart', { timeout: TIMEOUT_MS });
  // A measure broken down by deprivation, so the map and the deprivation bars have something to draw.
  const target = await page.evaluate(async () => {
    const r = await (await fetch('/api/definitions')).json();
    for (const d of r.definitions) for (const m of d.measures) if (m.breakdowns.includes('imd_quintile') && m.breakdowns.includes('pcn')) return { d: d.name, m: m.name };
    for (const d of r.definitions) for (const m of d.measures) if (m.breakdowns.includes('imd_quintile')) return { d: d.name, m: m.name };
    return null;
  });
  if (!target) { fail(where, 'no measure is broken down by imd_quintile: cannot check the map'); return; }
  await choose(page, 'Definition', target.d);
  await page.waitForFunction((d) => [...document.querySelectorAll('label')].find((x) => x.textContent === 'Definition')?.control?.value === d, { timeout: TIMEOUT_MS }, target.d);
  await choose(page, 'Measure', target.m);
  const titled = (m) => page.waitForFunction((name) => document.querySelector('[data-chart="trend"] svg.chart title')?.textContent.startsWith(name + ':'), { timeout: TIMEOUT_MS }, m);
  await titled(target.m);
  await page.waitForSelector('[data-chart="map"] svg path.area', { timeout: TIMEOUT_MS });
  const map = await page.evaluate(() => {
    const areas = [...document.querySelectorAll('[data-chart="map"] svg path.area')];
    return { areas: areas.length, coloured: areas.filter((p) => /\bc[0-4]\b/.test(p.getAttribute('class'))).length, legend: document.querySelector('[data-chart="map"] .legend-title')?.textContent || '' };
  });
  if (map.areas > 0 && /value of .* for the area's IMD quintile/.test(map.legend)) pass(where, `map draws ${map.areas} areas (${map.coloured} coloured by their quintile's value)`);
  else fail(where, `map: ${map.areas} areas, legend "${map.legend}"`);
  if (!(await page.$('[data-chart="breakdown"][data-breakdown="imd_quintile"] svg.chart'))) fail(where, 'no deprivation bar chart for a measure with imd_quintile');

  // Choosing another measure redraws the trend; choosing another breakdown redraws the bars.
  const measures = await options(page, 'Measure');
  const other = measures.all.find((v) => v !== measures.value);
  if (other) {
    const before = await page.$eval('[data-chart="trend"] svg.chart', (s) => { s.dataset.stale = '1'; return s.querySelector('title').textContent; });
    await choose(page, 'Measure', other);
    await titled(other);
    const after = await page.$eval('[data-chart="trend"] svg.chart', (s) => ({ stale: s.dataset.stale === '1', title: s.querySelector('title').textContent }));
    if (!after.stale && after.title !== before) pass(where, `choosing measure ${other} redrew the trend`);
    else fail(where, `choosing measure ${other} did not redraw the trend`);
  } else {
    fail(where, 'the chosen definition has one measure: cannot check that choosing a measure redraws');
  }
  const breakdowns = await options(page, 'Breakdown');
  const otherB = breakdowns.all.find((v) => v !== breakdowns.value);
  if (otherB) {
    await page.$eval('[data-chart="breakdown"]', (s) => { s.dataset.stale = '1'; });
    await choose(page, 'Breakdown', otherB);
    await page.waitForSelector(`[data-chart="breakdown"][data-breakdown="${otherB}"]:not([data-stale])`, { timeout: TIMEOUT_MS });
    pass(where, `choosing breakdown ${otherB} redrew the breakdown chart`);
    // The honesty rule: every withheld (null) group is the word "withheld" with no bar, and every
    // number has its bar, checked against the API's own rows for the same choice.
    const honest = await page.evaluate(async () => {
      const p = new URLSearchParams(location.hash.split('?')[1]);
      const q = new URLSearchParams({ definition: p.get('definition'), measure: p.get('measure'), breakdown: p.get('breakdown') });
      const r = await (await fetch('/api/measures?' + q)).json();
      const c = (n) => r.measures.columns.indexOf(n);
      const [start, end] = p.get('period').split('/');
      const rows = r.measures.rows.filter((x) => x[c('interval_start')] === start && x[c('interval_end')] === end && x[c('group')] !== 'unknown');
      const chart = document.querySelector('[data-chart="breakdown"] svg.chart');
      return {
        nulls: rows.filter((x) => x[c('value')] === null).length,
        numbers: rows.filter((x) => typeof x[c('value')] === 'number').length,
        words: chart ? [...chart.querySelectorAll('.withheld-text')].filter((t) => t.textContent === 'withheld').length : 0,
        bars: chart ? chart.querySelectorAll('rect.bar').length : 0,
      };
    });
    if (honest.nulls === honest.words && honest.numbers === honest.bars) pass(where, `breakdown chart: ${honest.bars} bars for ${honest.numbers} values, "withheld" for ${honest.nulls} withheld groups`);
    else fail(where, `breakdown chart: ${honest.bars} bars for ${honest.numbers} values, ${honest.words} "withheld" for ${honest.nulls} withheld groups`);
  } else {
    fail(where, 'the measure has one breakdown: cannot check that choosing a breakdown redraws');
  }
  // Focus stays on the control that was used, so the explorer works from the keyboard.
  const focused = await page.evaluate(() => document.activeElement?.labels?.[0]?.textContent || document.activeElement?.tagName);
  if (focused === 'Breakdown') pass(where, 'focus stays on the Breakdown control after the redraw');
  else fail(where, `focus moved to ${focused} after the redraw`);
}

// Lists are virtualised (resources/web/table.js): the rows in view are drawn, aria-rowindex says
// which they are, and scrolling to the end must draw the last row.
async function checkList(page, where) {
  const t0 = Date.now();
  await page.click('form.controls button[type="submit"]');
  await page.waitForFunction(() => document.querySelector('.list-output')?.dataset.rows !== undefined || document.querySelector('main .error'), { timeout: 60000 });
  const error = await page.evaluate(() => document.querySelector('main .error')?.textContent);
  if (error) { fail(where, error); return -1; }
  const rows = await page.$eval('.list-output', (e) => Number(e.dataset.rows));
  if (rows > 0) await page.waitForSelector('.list-output tbody tr[aria-rowindex]', { timeout: TIMEOUT_MS });
  const ms = Date.now() - t0;
  await page.$eval('.list-output .scroll', (v) => { v.scrollTop = v.scrollHeight; });
  const lastIndex = String(rows + 1);
  const drawnLast = rows > 0 && await page.waitForFunction((i) => document.querySelector(`.list-output tbody tr[aria-rowindex="${i}"]`), { timeout: 5000 }, lastIndex).then(() => true, () => false);
  const count = await page.$eval('.list-output table', (t) => t.getAttribute('aria-rowcount'));
  if (rows === 0 && count === '1') pass(where, `empty list shown in ${ms} ms`);
  else if (rows > 0 && drawnLast && count === String(rows + 1)) pass(where, `list of ${rows} rows shown in ${ms} ms (request and first rows); scrolling to the end draws row ${rows}`);
  else fail(where, `list of ${rows} rows: aria-rowcount ${count}, last row drawn after scrolling: ${drawnLast}`);
  await page.$eval('.list-output .scroll', (v) => { v.scrollTop = 0; });
  return rows;
}

async function runRole(browser, role) {
  const where = (p) => `${role}/${p}`;
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  let signedIn = false;
  // Before sign-in the page asks /api/session, which is 401 by contract: the one expected failure.
  const expected401 = (url, status) => !signedIn && status === 401 && new URL(url).pathname === '/api/session';
  page.on('console', (m) => {
    if (m.type() !== 'error' && m.type() !== 'warn') return;
    const url = m.location()?.url || '';
    if (m.type() === 'error' && /status of 401/.test(m.text()) && url && expected401(url, 401)) return;
    fail(where('console'), `${m.type()}: ${m.text()} ${url}`);
  });
  page.on('pageerror', (e) => fail(where('page'), `uncaught: ${e.message}`));
  page.on('requestfailed', (r) => fail(where('request'), `${r.method()} ${new URL(r.url()).pathname} failed: ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.status() >= 400 && !expected401(r.url(), r.status())) fail(where('request'), `${r.request().method()} ${new URL(r.url()).pathname} -> ${r.status()}`);
  });

  await page.goto(base, { waitUntil: 'networkidle0', timeout: TIMEOUT_MS });
  await page.waitForSelector('form.sign-in', { timeout: TIMEOUT_MS });
  if (role === Object.keys(credentials)[0]) { await axeCheck(page, 'sign-in'); await shot(page, 'sign-in'); }
  const c = credentials[role];
  const user = await selectId(page, 'User name'), pass_ = await selectId(page, 'Password');
  if (!user || !pass_) { fail(where('sign-in'), 'no labelled user name and password fields'); return; }
  await page.type('#' + user, c.user);
  await page.type('#' + pass_, c.password);
  await Promise.all([page.waitForSelector('#nav:not([hidden]) a, form.sign-in .error', { timeout: TIMEOUT_MS }), page.click('form.sign-in button[type="submit"]')]);
  const refused = await page.$eval('main', (m) => m.querySelector('form.sign-in .error')?.textContent || '');
  if (refused) { fail(where('sign-in'), refused); await context.close(); return; }
  signedIn = true;
  const nav = await page.$$eval('#nav a', (as) => as.map((a) => a.dataset.page));
  const expected = EXPECTED_NAV[role];
  if (JSON.stringify(nav) === JSON.stringify(expected)) pass(where('nav'), `shows exactly ${nav.join(', ')}`);
  else fail(where('nav'), `shows [${nav.join(', ')}], expected [${expected.join(', ')}]`);

  // Keyboard: Tab from the top of the page (a click on the header sets where Tab starts) reaches
  // the navigation after the sign-out button. The first page is loaded first, so the check does not
  // depend on how fast the machine is.
  await waitReady(page, nav[0]);
  await page.click('header .brand');
  let reached = false;
  for (let i = 0; i < 6 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => !!document.activeElement?.closest('#nav'));
  }
  if (reached) pass(where('keyboard'), 'Tab reaches the navigation');
  else fail(where('keyboard'), 'Tab does not reach the navigation within 6 presses');

  for (const id of nav) {
    await page.click(`#nav a[data-page="${id}"]`);
    try {
      await waitReady(page, id);
      const error = await page.$eval('main', (m) => m.querySelector('.error')?.textContent || '');
      if (error) fail(where(id), error);
      if (id === 'explorer') await checkExplorer(page, where(id));
      if (id === 'ptl') await checkList(page, where(id));
      if (id === 'worklists') {
        // A small world leaves some worklists empty for a PCN: open lists until one has rows.
        const lists = await options(page, 'Worklist');
        for (const value of lists.all.slice(0, 10)) {
          await choose(page, 'Worklist', value);
          if ((await checkList(page, where(id))) !== 0) break;
        }
      }
      if (id === 'audit') {
        const v = await page.$eval('main [data-verified]', (e) => e.dataset.verified).catch(() => null);
        if (v === null) fail(where(id), 'no verified flag'); else pass(where(id), `verified flag shown (${v})`);
        if (!(await page.$('main a[href="/api/audit?format=csv"]'))) fail(where(id), 'no CSV export link');
      }
      await axeCheck(page, where(id));
    } catch (e) {
      fail(where(id), e.message.split('\n')[0]);
    }
    await shot(page, `${role}-${id}`);
  }

  // A page the role may not use is not offered even by its address: the app shows its first page.
  const forbidden = ['worklists', 'ptl', 'audit'].find((p) => !expected.includes(p));
  if (forbidden) {
    await page.evaluate((p) => { location.hash = '#/' + p; }, forbidden);
    await page.waitForFunction(() => document.body.dataset.ready !== undefined, { timeout: TIMEOUT_MS });
    await new Promise((r) => setTimeout(r, 300));
    const shown = await page.evaluate(() => document.querySelector('main .page')?.dataset.page);
    if (shown === forbidden) fail(where('nav'), `#/${forbidden} shows the ${forbidden} page`);
    else pass(where('nav'), `#/${forbidden} is not offered (shows ${shown})`);
  }

  await page.click('#sign-out');
  await page.waitForSelector('form.sign-in', { timeout: TIMEOUT_MS });
  signedIn = false;
  pass(where('sign-out'), 'back to sign-in');
  await context.close();
}

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-dev-shm-usage'],
  headless: true,
  acceptInsecureCerts: true,
});
try {
  for (const role of Object.keys(EXPECTED_NAV)) {
    if (!credentials[role]) { fail(role, 'no credentials given for this role'); continue; }
    try { await runRole(browser, role); } catch (e) { fail(role, e.message.split('\n')[0]); }
  }
} finally {
  await browser.close();
}
console.log(failures.length ? `\n${failures.length} check(s) failed:\n  ${failures.join('\n  ')}` : '\nall dashboard checks passed');
process.exit(failures.length ? 1 : 0);
