// Compare PCNs: every PCN on one measure in one period, as a table and as bars with confidence
// intervals against the whole ICS, with each PCN's funnel position where one is published.
import { h, fmt, unitsOf, records, intervalLabel, selectField, withheldNote, errorBox } from './dom.js';
import { measureRows, definitions, pcns } from './api.js';
import { barChart, figure } from './charts.js';

export async function comparePage(root, { stillCurrent, params }) {
  root.append(h('h1', { text: 'Compare PCNs' }));
  const defs = (await definitions()).definitions.filter((d) => d.measures.some((m) => m.breakdowns.includes('pcn')));
  const pcnList = await pcns();
  if (!stillCurrent()) return;
  if (!defs.length) { root.append(h('p', { text: 'No measure is published by PCN.' })); return; }
  const pcnInfo = new Map(pcnList.map((p) => [p.code, p]));
  const state = { definition: params.get('definition'), measure: params.get('measure'), period: params.get('period') };
  const controls = h('form', { class: 'controls', 'aria-label': 'Choose the measure' });
  controls.addEventListener('submit', (e) => e.preventDefault());
  const out = h('div', { 'aria-live': 'polite' });
  root.append(controls, out);

  async function redraw() {
    const d = defs.find((x) => x.name === state.definition) || defs[0];
    const measures = d.measures.filter((m) => m.breakdowns.includes('pcn'));
    const m = measures.find((x) => x.name === state.measure) || measures[0];
    Object.assign(state, { definition: d.name, measure: m.name });
    let data;
    try { data = await measureRows(d.name, m.name); } catch (e) { out.replaceChildren(errorBox(`Could not load ${m.name}: ${e.message}`)); return; }
    if (!root.isConnected) return;
    const rows = records(data.measures).filter((r) => r.breakdown === 'pcn' || r.breakdown === 'all');
    const periods = [...new Set(rows.map((r) => r.interval_start + '/' + r.interval_end))].sort();
    if (!periods.includes(state.period)) state.period = periods[periods.length - 1] || '';
    history.replaceState(null, '', '#/compare?' + new URLSearchParams(state).toString());
    const defSel = selectField('Definition', defs.map((x) => [x.name, x.title ? `${x.title} (${x.name})` : x.name]), d.name);
    const mSel = selectField('Measure', measures.map((x) => [x.name, x.name]), m.name);
    const pSel = selectField('Period', periods.slice().reverse().map((p) => [p, intervalLabel(...p.split('/'))]), state.period);
    controls.replaceChildren(defSel.field, mSel.field, pSel.field);
    // The controls are rebuilt on each change: keep the keyboard where it was.
    const refocus = (i) => () => controls.querySelectorAll('select')[i]?.focus();
    defSel.select.addEventListener('change', () => { state.definition = defSel.select.value; state.measure = null; redraw().then(refocus(0)); });
    mSel.select.addEventListener('change', () => { state.measure = mSel.select.value; redraw().then(refocus(1)); });
    pSel.select.addEventListener('change', () => { state.period = pSel.select.value; redraw().then(refocus(2)); });

    const u = unitsOf(m.statistic);
    const [start, end] = state.period.split('/');
    const here = rows.filter((r) => r.interval_start === start && r.interval_end === end);
    const ics = here.find((r) => r.breakdown === 'all');
    const significance = new Map(records(data.funnels).filter((r) => r.breakdown === 'pcn' && r.interval_start === start && r.interval_end === end).map((r) => [String(r.group), r.significance]));
    const list = here.filter((r) => r.breakdown === 'pcn').sort((a, b) => String(a.group).localeCompare(String(b.group)));
    const name = (code) => (pcnInfo.get(String(code)) ? `${pcnInfo.get(String(code)).name} (${code})` : String(code));
    const periodText = intervalLabel(start, end);
    const withheld = list.filter((r) => r.value === null).length;
    const body = h('tbody');
    for (const r of list) {
      const sig = significance.get(String(r.group));
      body.append(h('tr', {}, h('th', { scope: 'row', text: name(r.group) }), h('td', { text: pcnInfo.get(String(r.group))?.place || '' }),
        h('td', { class: 'n', text: fmt(r.numerator) }), h('td', { class: 'n', text: fmt(r.denominator) }),
        h('td', { class: 'n', text: r.value === null ? 'withheld' : fmt(r.value, u.decimals) + u.suffix }),
        h('td', { class: 'n', text: typeof r.lower === 'number' ? `${fmt(r.lower, u.decimals)} to ${fmt(r.upper, u.decimals)}` : '' }),
        h('td', { text: sig === null ? 'withheld' : sig || '' })));
    }
    out.replaceChildren(
      h('h2', { text: `${m.name}: ${periodText}` }),
      h('p', { class: 'key', text: `Whole ICS: ${ics && typeof ics.value === 'number' ? fmt(ics.value, u.decimals) + u.suffix : ics && ics.value === null ? 'withheld' : 'no value'}. ${list.length} PCNs${withheld ? `, ${withheld} withheld` : ''}.` }),
      h('section', { 'data-chart': 'compare' }, figure({
        legendItems: [{ kind: 'box', label: 'PCN value' }, { kind: 'reference', label: 'whole ICS' }],
        chart: barChart({ title: `${m.name} by PCN, ${periodText}`, desc: `${list.length} PCNs with ${m.confidence} confidence intervals; the dashed line is the whole ICS.`,
          labels: list.map((r) => name(r.group)), values: list.map((r) => r.value), lower: list.map((r) => r.lower), upper: list.map((r) => r.upper),
          decimals: u.decimals, suffix: u.suffix, xLabel: u.axis, reference: ics && typeof ics.value === 'number' ? { value: ics.value } : null }),
        caption: `Whiskers: ${m.confidence} confidence intervals. ${withheld ? `${withheld} PCN(s) withheld by disclosure control (no bar, not zero).` : ''}`,
      })),
      h('div', { class: 'scroll' }, h('table', {}, h('caption', { text: `${m.name} by PCN, ${periodText} (funnel: against the ICS's 95% and 99.8% limits)` }),
        h('thead', {}, h('tr', {}, ['PCN', 'Place', 'Numerator', 'Denominator', 'Value', `${m.confidence} CI`, 'Funnel'].map((c) => h('th', { scope: 'col', text: c })))), body)),
      withheldNote());
  }
  await redraw();
}
