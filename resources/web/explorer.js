// Indicator explorer: one measure of one definition, in one period, by one breakdown. Every row
// of the measure is fetched once (api.js caches it); changing the period or breakdown redraws
// from those rows, changing the measure fetches its rows.
import { h, fmt, unitsOf, valueWithCi, records, intervalLabel, selectField, withheldNote, errorBox } from './dom.js';
import { api, measureRows, definitions, pcns } from './api.js';
import { lineChart, barChart, funnelChart, figure, dataTable } from './charts.js';
import { lsoaMap } from './map.js';

const BREAKDOWN_NAMES = {
  place: 'Place', pcn: 'Primary Care Network', imd_quintile: 'IMD quintile', imd_decile: 'IMD decile',
  ethnicity_group: 'Ethnic group', age_band: 'Age band', sex: 'Sex',
};
export const breakdownName = (b) => BREAKDOWN_NAMES[b] || b.replace(/_/g, ' ');

// "Q1 (most deprived)" for deprivation groups; PCN codes with their names.
function groupLabel(breakdown, group, pcnNames) {
  if (breakdown === 'imd_quintile') return `Q${group}${group === 1 || group === '1' ? ' (most deprived)' : String(group) === '5' ? ' (least deprived)' : ''}`;
  if (breakdown === 'imd_decile') return `D${group}${String(group) === '1' ? ' (most deprived)' : String(group) === '10' ? ' (least deprived)' : ''}`;
  if (breakdown === 'pcn') return pcnNames.get(String(group)) || String(group);
  return String(group);
}
const byGroupOrder = (a, b) => (typeof a.group === 'number' && typeof b.group === 'number' ? a.group - b.group : String(a.group).localeCompare(String(b.group)));

let mapPromise = null;
const lsoaGeometry = () => (mapPromise ||= api('/api/map/lsoa').catch((e) => { mapPromise = null; throw e; }));

export async function explorerPage(root, { stillCurrent, params }) {
  root.append(h('h1', { text: 'Indicator explorer' }));
  const defs = (await definitions()).definitions.filter((d) => d.measures.length);
  const pcnNames = new Map((await pcns()).map((p) => [p.code, `${p.name} (${p.code})`]));
  if (!stillCurrent()) return;
  if (!defs.length) { root.append(h('p', { text: 'No definitions are published.' })); return; }
  const state = { definition: params.get('definition'), measure: params.get('measure'), breakdown: params.get('breakdown'), period: params.get('period') };
  const controls = h('form', { class: 'controls', 'aria-label': 'Choose what to show' });
  const out = h('div', { 'aria-live': 'polite', class: 'explorer-output' });
  root.append(controls, out);
  controls.addEventListener('submit', (e) => e.preventDefault());

  let rows = null;
  async function redraw(refetch) {
    const d = defs.find((x) => x.name === state.definition) || defs[0];
    state.definition = d.name;
    const m = d.measures.find((x) => x.name === state.measure) || d.measures[0];
    state.measure = m.name;
    if (!m.breakdowns.includes(state.breakdown)) state.breakdown = m.breakdowns.includes('imd_quintile') ? 'imd_quintile' : m.breakdowns[0] || 'all';
    if (refetch) {
      out.replaceChildren(h('p', { class: 'status', text: 'Loading…' }));
      try {
        rows = await measureRows(d.name, m.name);
      } catch (e) {
        out.replaceChildren(errorBox(`Could not load ${m.name}: ${e.message}`));
        return;
      }
      if (!root.isConnected) return;
    }
    const measures = records(rows.measures), funnels = records(rows.funnels), inequality = records(rows.inequality);
    const all = measures.filter((r) => r.breakdown === 'all').sort((a, b) => (a.interval_start < b.interval_start ? -1 : 1));
    const periods = [...new Map(measures.map((r) => [r.interval_start + '/' + r.interval_end, r])).values()].sort((a, b) => (a.interval_start < b.interval_start ? -1 : 1));
    if (!periods.some((p) => p.interval_start + '/' + p.interval_end === state.period)) {
      const last = periods[periods.length - 1];
      state.period = last ? last.interval_start + '/' + last.interval_end : '';
    }
    history.replaceState(null, '', '#/explorer?' + new URLSearchParams(state).toString());

    // Controls, rebuilt so the measure and period lists follow the definition and measure.
    const defSel = selectField('Definition', defs.map((x) => [x.name, x.title ? `${x.title} (${x.name})` : x.name]), d.name);
    const mSel = selectField('Measure', d.measures.map((x) => [x.name, x.name]), m.name);
    const pSel = selectField('Period', periods.slice().reverse().map((p) => [p.interval_start + '/' + p.interval_end, intervalLabel(p.interval_start, p.interval_end)]), state.period);
    const bSel = selectField('Breakdown', m.breakdowns.map((b) => [b, breakdownName(b)]), state.breakdown);
    const focused = document.activeElement && controls.contains(document.activeElement) ? document.activeElement.closest('.field')?.querySelector('label')?.textContent : null;
    controls.replaceChildren(defSel.field, mSel.field, pSel.field, bSel.field);
    if (focused) [...controls.querySelectorAll('label')].find((l) => l.textContent === focused)?.control?.focus();
    defSel.select.addEventListener('change', () => { state.definition = defSel.select.value; state.measure = null; redraw(true); });
    mSel.select.addEventListener('change', () => { state.measure = mSel.select.value; redraw(true); });
    pSel.select.addEventListener('change', () => { state.period = pSel.select.value; redraw(false); });
    bSel.select.addEventListener('change', () => { state.breakdown = bSel.select.value; redraw(false); });

    const u = unitsOf(m.statistic);
    const [start, end] = state.period.split('/');
    const inPeriod = (r) => r.interval_start === start && r.interval_end === end;
    const periodText = start ? intervalLabel(start, end) : 'no period';
    const latestAll = all.find(inPeriod);
    const parts = [
      h('h2', { text: `${m.name}: ${periodText}` }),
      m.comment ? h('p', { class: 'desc', text: m.comment }) : null,
      h('p', { class: 'key' }, `Whole ICS: `, h('strong', { text: latestAll ? valueWithCi(latestAll.value, latestAll.lower, latestAll.upper, u) : 'no value' }),
        latestAll ? `; numerator ${fmt(latestAll.numerator)}, denominator ${fmt(latestAll.denominator)}` : '', `. ${m.statistic}, ${m.confidence} confidence interval.`),
      trendFigure(m, all, u),
      breakdownFigure(m, measures.filter((r) => inPeriod(r) && r.breakdown === state.breakdown), inequality.filter(inPeriod), state.breakdown, periodText, latestAll, u, pcnNames),
      funnelFigure(m, funnels.filter((r) => inPeriod(r) && r.breakdown === 'pcn'), periodText, u, pcnNames),
    ];
    const deprivation = m.breakdowns.includes('imd_quintile') ? 'imd_quintile' : m.breakdowns.includes('imd_decile') ? 'imd_decile' : null;
    const mapSlot = h('div', { class: 'map-slot', 'data-chart': 'map' });
    parts.push(h('h2', { text: 'Map' }), mapSlot, withheldNote());
    out.replaceChildren(...parts.filter(Boolean));
    if (!deprivation) { mapSlot.append(h('p', { text: 'No map: this measure is not broken down by deprivation.' })); return; }
    try {
      const geometry = await lsoaGeometry();
      if (!mapSlot.isConnected) return;
      mapSlot.append(lsoaMap({ map: geometry, groups: measures.filter((r) => inPeriod(r) && r.breakdown === deprivation), by: deprivation === 'imd_quintile' ? 'quintile' : 'decile', measureLabel: m.name, period: periodText, units: u }));
    } catch (e) {
      mapSlot.append(errorBox(`Could not load the map: ${e.message}`));
    }
  }
  await redraw(true);
}

function trendFigure(m, all, u) {
  const labels = all.map((r) => intervalLabel(r.interval_start, r.interval_end));
  const withheld = all.filter((r) => r.value === null).length;
  const items = [{ kind: 'line', label: 'value (whole ICS)' }, { kind: 'band', label: `${m.confidence} confidence interval` }];
  if (withheld) items.push({ kind: 'withheld', label: 'withheld by disclosure control (a gap, not zero)' });
  return h('section', { 'data-chart': 'trend' }, figure({
    heading: 'Trend, whole ICS',
    legendItems: items,
    chart: all.length ? lineChart({
      title: `${m.name}: trend for the whole ICS`, desc: `${m.name} in each of ${all.length} periods with its ${m.confidence} confidence interval${withheld ? `; ${withheld} period(s) withheld` : ''}.`,
      labels, series: [{ name: m.name, values: all.map((r) => r.value), lower: all.map((r) => r.lower), upper: all.map((r) => r.upper) }],
      yLabel: u.axis, decimals: u.decimals, suffix: u.suffix,
    }) : h('p', { text: 'No whole-ICS rows.' }),
    caption: `Each period ending on its last day. The y axis does not start at zero.${withheld ? ` ${withheld} period(s) withheld (gaps, not zeros).` : ''}`,
    table: dataTable(`${m.name}, whole ICS, by period`, ['Period', 'Numerator', 'Denominator', 'Value', 'Lower', 'Upper'],
      all.map((r, i) => [labels[i], r.numerator, r.denominator, r.value === null ? null : fmt(r.value, u.decimals), fmt(r.lower, u.decimals), fmt(r.upper, u.decimals)])),
  }));
}

function siiText(row, u) {
  if (!row) return null;
  if (row.value === null) return 'withheld by disclosure control';
  return `${fmt(row.value, u.decimals)} (${fmt(row.lower, u.decimals)} to ${fmt(row.upper, u.decimals)})`;
}

function breakdownFigure(m, groupRows, inequality, breakdown, periodText, allRow, u, pcnNames) {
  const rows = groupRows.filter((r) => r.group !== 'unknown').sort(byGroupOrder);
  const labels = rows.map((r) => groupLabel(breakdown, r.group, pcnNames));
  const withheld = rows.filter((r) => r.value === null).length;
  let caption = `Bars start at zero; whiskers: ${m.confidence} confidence intervals.`;
  if (breakdown === 'imd_quintile' || breakdown === 'imd_decile') {
    const sii = inequality.find((r) => r.index === 'sii' && r.breakdown === breakdown) || inequality.find((r) => r.index === 'sii');
    const rii = sii && inequality.find((r) => r.index === 'rii' && r.breakdown === sii.breakdown);
    if (sii) {
      caption += ` Slope index of inequality across IMD ${sii.breakdown === 'imd_decile' ? 'deciles' : 'quintiles'}: ${siiText(sii, u)}`;
      if (rii && typeof rii.value === 'number') caption += `; relative index ${fmt(rii.value, 2)} (${fmt(rii.lower, 2)} to ${fmt(rii.upper, 2)})`;
      caption += '.';
      if (typeof sii.value === 'number') caption += ' A positive slope index means the value rises from the most to the least deprived.';
    } else {
      caption += ' No slope index of inequality is published for this measure and period.';
    }
  }
  if (withheld) caption += ` ${withheld} group(s) withheld by disclosure control (no bar, not zero).`;
  const items = [{ kind: 'box', label: 'value' }];
  if (allRow && typeof allRow.value === 'number') items.push({ kind: 'reference', label: `whole ICS ${fmt(allRow.value, u.decimals)}${u.suffix}` });
  return h('section', { 'data-chart': 'breakdown', 'data-breakdown': breakdown }, figure({
    heading: `By ${breakdownName(breakdown)}, ${periodText}`,
    legendItems: items,
    chart: rows.length ? barChart({
      title: `${m.name} by ${breakdownName(breakdown)}, ${periodText}`,
      desc: `${rows.length} groups, each with its ${m.confidence} confidence interval${withheld ? `; ${withheld} withheld` : ''}.`,
      labels, values: rows.map((r) => r.value), lower: rows.map((r) => r.lower), upper: rows.map((r) => r.upper),
      decimals: u.decimals, suffix: u.suffix, xLabel: u.axis, reference: allRow && typeof allRow.value === 'number' ? { value: allRow.value } : null,
    }) : h('p', { text: `No ${breakdownName(breakdown)} rows in this period.` }),
    caption,
    table: dataTable(`${m.name} by ${breakdownName(breakdown)}, ${periodText}`, ['Group', 'Numerator', 'Denominator', 'Value', 'Lower', 'Upper'],
      rows.map((r, i) => [labels[i], r.numerator, r.denominator, r.value === null ? null : fmt(r.value, u.decimals), fmt(r.lower, u.decimals), fmt(r.upper, u.decimals)])),
  }));
}

function funnelFigure(m, rows, periodText, u, pcnNames) {
  const section = h('section', { 'data-chart': 'funnel' }, h('h2', { text: 'PCNs against the ICS: funnel plot' }));
  if (!m.breakdowns.includes('pcn')) {
    section.append(h('p', { text: 'Not broken down by PCN: no funnel plot.' }));
    return section;
  }
  const usable = (r) => typeof r.value === 'number' && typeof r.denominator === 'number' && typeof r.lower_95 === 'number';
  const points = rows.filter(usable).map((r) => ({ label: pcnNames.get(String(r.group)) || String(r.group), n: r.denominator, value: r.value, l95: r.lower_95, u95: r.upper_95, l998: r.lower_99_8, u998: r.upper_99_8, significance: r.significance }));
  const withheld = rows.filter((r) => !usable(r)).map((r) => pcnNames.get(String(r.group)) || String(r.group));
  if (!points.length) {
    section.append(h('p', { text: rows.length ? 'No funnel plot: every PCN\'s value or limits are withheld by disclosure control.' : 'No funnel limits are published for this measure and period (funnels are drawn for proportions and crude rates).' }));
    return section;
  }
  const target = rows.find((r) => typeof r.target === 'number')?.target;
  const above = points.filter((p) => p.value > p.u998).map((p) => p.label), below = points.filter((p) => p.value < p.l998).map((p) => p.label);
  let caption = `Each PCN's value against its denominator; lines: the ICS value and the 95% and 99.8% control limits at each PCN's denominator.`;
  if (above.length) caption += ` Above 99.8%: ${above.join('; ')}.`;
  if (below.length) caption += ` Below 99.8%: ${below.join('; ')}.`;
  if (withheld.length) caption += ` Withheld by disclosure control (not drawn): ${withheld.join('; ')}.`;
  section.append(figure({
    legendItems: [{ kind: 'within', label: 'within 99.8% limits' }, { kind: 'above', label: 'above 99.8%' }, { kind: 'below', label: 'below 99.8%' },
      { kind: 'reference', label: `ICS ${fmt(target, u.decimals)}${u.suffix}` }, { kind: 'limit95', label: '95% limits' }, { kind: 'limit998', label: '99.8% limits' }],
    chart: funnelChart({ title: `${m.name}: PCN funnel plot, ${periodText}`, desc: `${points.length} PCNs plotted; ${above.length} above and ${below.length} below the 99.8% limits.`, points, target, decimals: u.decimals, yLabel: u.axis, xLabel: 'Denominator (persons, rounded)' }),
    caption,
    table: dataTable(`${m.name} by PCN with funnel limits, ${periodText}`, ['PCN', 'Denominator', 'Value', '95% lower', '95% upper', '99.8% lower', '99.8% upper', 'Significance'],
      rows.map((r) => [pcnNames.get(String(r.group)) || r.group, r.denominator, r.value === null ? null : fmt(r.value, u.decimals), fmt(r.lower_95, u.decimals), fmt(r.upper_95, u.decimals), fmt(r.lower_99_8, u.decimals), fmt(r.upper_99_8, u.decimals), r.significance])),
  }));
  return section;
}
