// Elective care: the waiting list from the monthly snapshot (size, the 18-week share against the
// 92% constitutional standard, long waiters), waits by deprivation quintile, and the simulated
// scenarios as fan charts (median with the 5th to 95th percentile band).
import { h, fmt, records, monthLabel, intervalLabel, selectField, withheldNote } from './dom.js';
import { api } from './api.js';
import { lineChart, barChart, figure, dataTable } from './charts.js';

const STANDARD_18_WEEKS = 92;  // per cent within 18 weeks: the NHS Constitution's RTT standard
const LONG = [['over_52_weeks', '52 weeks'], ['over_65_weeks', '65 weeks'], ['over_78_weeks', '78 weeks'], ['over_104_weeks', '104 weeks']];

// Share within 18 weeks, per cent; withheld when either count is withheld (null, never 0).
function share(r) {
  if (r.within_18_weeks === null || r.incomplete === null) return null;
  if (typeof r.within_18_weeks !== 'number' || typeof r.incomplete !== 'number' || r.incomplete === 0) return undefined;
  return (100 * r.within_18_weeks) / r.incomplete;
}

export async function electivePage(root, { stillCurrent, params }) {
  root.append(h('h1', { text: 'Elective care' }));
  const [snap, scen] = await Promise.all([api('/api/elective/snapshot'), api('/api/elective/scenarios')]);
  if (!stillCurrent()) return;
  const monthly = records(snap.monthly).filter((r) => r.treatment_function_code === 'all');
  const providers = [...new Set(monthly.map((r) => String(r.provider_code)))].sort((a, b) => (a === 'all' ? -1 : b === 'all' ? 1 : a.localeCompare(b)));
  if (snap.present === false || !providers.length) { root.append(h('p', { text: 'No waiting-list snapshot is published: the store has no waiting-list extract.' })); return; }
  const provider = providers.includes(params.get('provider')) ? params.get('provider') : providers[0];
  const sel = selectField('Provider', providers.map((p) => [p, p === 'all' ? 'All providers' : p]), provider);
  const form = h('form', { class: 'controls', 'aria-label': 'Choose the provider' }, sel.field);
  form.addEventListener('submit', (e) => e.preventDefault());
  const out = h('div', { 'aria-live': 'polite' });
  root.append(form, out);
  const draw = () => {
    history.replaceState(null, '', '#/elective?provider=' + encodeURIComponent(sel.select.value));
    out.replaceChildren(...listFigures(monthly.filter((r) => String(r.provider_code) === sel.select.value).sort((a, b) => (a.snapshot_date < b.snapshot_date ? -1 : 1)), sel.select.value));
  };
  sel.select.addEventListener('change', draw);
  draw();
  root.append(deprivationSection(snap.by_deprivation), scenarioSection(records(scen.simulation)), withheldNote());
}

function listFigures(rows, provider) {
  const labels = rows.map((r) => monthLabel(r.snapshot_date));
  const who = provider === 'all' ? 'all providers' : provider;
  const sizeWithheld = rows.filter((r) => r.incomplete === null).length;
  const shares = rows.map(share);
  const sharesWithheld = shares.filter((v) => v === null).length;
  const wl = (k) => (k ? [{ kind: 'withheld', label: 'withheld by disclosure control (a gap, not zero)' }] : []);
  return [
    h('h2', { text: `Waiting list, ${who}` }),
    h('section', { 'data-chart': 'list-size' }, figure({
      heading: 'List size (incomplete pathways), month end',
      legendItems: [{ kind: 'line', label: 'incomplete pathways' }, ...wl(sizeWithheld)],
      chart: lineChart({ title: `Waiting list size, ${who}`, desc: `Incomplete pathways at each of ${rows.length} month ends.`, labels, series: [{ name: 'Incomplete pathways', values: rows.map((r) => r.incomplete) }], yLabel: 'Pathways', decimals: 0, zero: true }),
      caption: `Counts rounded by disclosure control.${sizeWithheld ? ` ${sizeWithheld} month(s) withheld.` : ''}`,
      table: dataTable(`Waiting list, ${who}, by month`, ['Month end', 'Incomplete', 'Within 18 weeks', 'Over 52', 'Over 65', 'Over 78', 'Over 104', 'Median weeks', '92nd centile weeks'],
        rows.map((r) => [r.snapshot_date, r.incomplete, r.within_18_weeks, r.over_52_weeks, r.over_65_weeks, r.over_78_weeks, r.over_104_weeks, r.median_weeks, r.p92_weeks])),
    })),
    h('section', { 'data-chart': 'rtt-share' }, figure({
      heading: 'Share waiting under 18 weeks against the 92% standard',
      legendItems: [{ kind: 'line', label: 'within 18 weeks (%)' }, { kind: 'reference', label: '92% standard' }, ...wl(sharesWithheld)],
      chart: lineChart({ title: `Per cent within 18 weeks, ${who}`, desc: `Share of incomplete pathways waiting under 18 weeks at each month end, against the 92% standard.`, labels, series: [{ name: 'Within 18 weeks', values: shares.map((v) => (v === undefined ? undefined : v)) }], yLabel: 'Per cent (%)', reference: { value: STANDARD_18_WEEKS }, decimals: 1, suffix: '%' }),
      caption: `From the published (rounded) counts: within 18 weeks / incomplete.${sharesWithheld ? ` ${sharesWithheld} month(s) withheld.` : ''}`,
    })),
    h('section', { 'data-chart': 'long-waiters' }, figure({
      heading: 'Long waiters',
      legendItems: LONG.map(([, label], i) => ({ kind: 'line', series: i, label: `over ${label}` })).concat(wl(rows.filter((r) => LONG.some(([k]) => r[k] === null)).length)),
      chart: lineChart({ title: `Pathways waiting over 52, 65, 78 and 104 weeks, ${who}`, desc: 'Four lines, one per threshold, at each month end.', labels, series: LONG.map(([k, label]) => ({ name: `Over ${label}`, values: rows.map((r) => r[k]) })), yLabel: 'Pathways', decimals: 0, zero: true }),
      caption: 'Each line has its own dash pattern. Withheld months are gaps in the line, not zeros.',
    })),
  ];
}

function deprivationSection(dep) {
  const section = h('section', { 'data-chart': 'wait-deprivation' }, h('h2', { text: 'Waits by deprivation' }));
  const rows = records(dep && dep.measures);
  const inequality = records(dep && dep.inequality);
  const measures = [...new Set(rows.map((r) => r.measure))];
  if (!measures.length) { section.append(h('p', { text: 'No waits by deprivation are published.' })); return section; }
  for (const m of measures) {
    const mine = rows.filter((r) => r.measure === m);
    const last = mine.map((r) => r.interval_end).sort().pop();
    const here = mine.filter((r) => r.interval_end === last);
    const q = here.filter((r) => r.breakdown === 'imd_quintile' && r.group !== 'unknown').sort((a, b) => Number(a.group) - Number(b.group));
    const all = here.find((r) => r.breakdown === 'all');
    const period = all ? intervalLabel(all.interval_start, all.interval_end) : monthLabel(last);
    const labels = q.map((r) => `Q${r.group}${String(r.group) === '1' ? ' (most deprived)' : String(r.group) === '5' ? ' (least deprived)' : ''}`);
    const sii = inequality.find((r) => r.measure === m && r.interval_end === last && r.index === 'sii');
    let caption = 'Whiskers: confidence intervals.';
    if (sii) caption += sii.value === null ? ' Slope index of inequality: withheld by disclosure control.' : ` Slope index of inequality: ${fmt(sii.value, 1)} (${fmt(sii.lower, 1)} to ${fmt(sii.upper, 1)}).`;
    const withheld = q.filter((r) => r.value === null).length;
    if (withheld) caption += ` ${withheld} quintile(s) withheld (no bar, not zero).`;
    section.append(figure({
      heading: `${m.replace(/_/g, ' ')} by IMD quintile, ${period}`,
      legendItems: [{ kind: 'box', label: 'value' }, ...(all && typeof all.value === 'number' ? [{ kind: 'reference', label: `all ${fmt(all.value, 1)}%` }] : [])],
      chart: barChart({ title: `${m} by IMD quintile, ${period}`, desc: `${q.length} quintiles with confidence intervals.`, labels, values: q.map((r) => r.value), lower: q.map((r) => r.lower), upper: q.map((r) => r.upper), decimals: 1, suffix: '%', xLabel: 'Per cent (%)', reference: all && typeof all.value === 'number' ? { value: all.value } : null }),
      caption,
      table: dataTable(`${m} by IMD quintile, ${period}`, ['Quintile', 'Numerator', 'Denominator', 'Value', 'Lower', 'Upper'], q.map((r, i) => [labels[i], r.numerator, r.denominator, r.value === null ? null : fmt(r.value, 1), fmt(r.lower, 1), fmt(r.upper, 1)])),
    }));
  }
  return section;
}

// Scenario fans: small multiples on one y axis per statistic, so the scenarios compare by position.
function scenarioSection(sim) {
  const section = h('section', { 'data-chart': 'scenarios' }, h('h2', { text: 'Scenarios' }));
  if (!sim.length) { section.append(h('p', { text: 'No scenarios were simulated.' })); return section; }
  for (const stat of [...new Set(sim.map((r) => r.statistic))]) {
    const pct = /share$/.test(stat);
    const k = pct ? 100 : 1;
    const rows = sim.filter((r) => r.statistic === stat);
    const vals = rows.flatMap((r) => [r.p5, r.p95]).filter((v) => typeof v === 'number').map((v) => v * k);
    if (pct) vals.push(STANDARD_18_WEEKS);
    const domain = [Math.min(...vals), Math.max(...vals)];
    const name = stat.replace(/_/g, ' ');
    section.append(h('h3', { text: pct ? `${name} (%), against the 92% standard` : name }));
    const grid = h('div', { class: 'multiples' });
    for (const scenario of [...new Set(rows.map((r) => r.scenario))]) {
      const s = rows.filter((r) => r.scenario === scenario).sort((a, b) => (a.month < b.month ? -1 : 1));
      const scaled = (key) => s.map((r) => (typeof r[key] === 'number' ? r[key] * k : r[key]));
      grid.append(figure({
        heading: scenario,
        level: 4,
        legendItems: [{ kind: 'line', label: 'median' }, { kind: 'band', label: '5th to 95th percentile' }, ...(pct ? [{ kind: 'reference', label: '92% standard' }] : [])],
        chart: lineChart({ title: `${name}: ${scenario}`, desc: `Simulated median and 90% range over ${s.length} months.`, labels: s.map((r) => monthLabel(r.month)), series: [{ name: scenario, values: scaled('median'), lower: scaled('p5'), upper: scaled('p95') }], yLabel: pct ? 'Per cent (%)' : name, reference: pct ? { value: STANDARD_18_WEEKS } : null, decimals: 1, suffix: pct ? '%' : '', domain }),
        table: dataTable(`${name}, ${scenario}`, ['Month', 'Median', '5th percentile', '95th percentile'], s.map((r, i) => [r.month, fmt(scaled('median')[i], 1), fmt(scaled('p5')[i], 1), fmt(scaled('p95')[i], 1)])),
      }));
    }
    section.append(grid);
  }
  return section;
}
