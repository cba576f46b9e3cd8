// ICS overview: each definition's headline (its first) measure in its latest period for the whole
// ICS, with the confidence interval and the published, rounded counts.
import { h, fmt, unitsOf, valueWithCi, records, intervalLabel, withheldNote } from './dom.js';
import { api, query, definitions } from './api.js';

export async function overviewPage(root, { stillCurrent }) {
  root.append(h('h1', { text: 'ICS overview' }));
  const defs = await definitions();
  root.append(h('p', { class: 'meta', text: `Data to ${defs.index_date}. Each definition's headline measure, whole ICS, latest period. Choose a measure in the indicator explorer for its trend and breakdowns.` }));
  const headlines = await Promise.all(defs.definitions.filter((d) => d.measures.length).map(async (d) => {
    const m = d.measures[0];
    const r = await api('/api/measures?' + query({ definition: d.name, measure: m.name, breakdown: 'all' }));
    const rows = records(r.measures).filter((x) => x.breakdown === 'all').sort((a, b) => (a.interval_end < b.interval_end ? -1 : 1));
    return { d, m, latest: rows[rows.length - 1] };
  }));
  if (!stillCurrent()) return;
  const body = h('tbody');
  for (const { d, m, latest } of headlines) {
    const u = unitsOf(m.statistic);
    body.append(h('tr', {},
      h('th', { scope: 'row' }, h('span', { text: d.title || d.name }), h('br'), h('code', { text: d.name })),
      h('td', {}, h('a', { href: `#/explorer?definition=${encodeURIComponent(d.name)}&measure=${encodeURIComponent(m.name)}`, text: m.name })),
      h('td', { text: latest ? intervalLabel(latest.interval_start, latest.interval_end) : 'no period' }),
      h('td', { class: 'n', text: latest ? valueWithCi(latest.value, latest.lower, latest.upper, u) : 'no value' }),
      h('td', { class: 'n', text: latest ? fmt(latest.numerator) : '' }),
      h('td', { class: 'n', text: latest ? fmt(latest.denominator) : '' }),
      h('td', { class: 'n', text: String(d.measures.length) })));
  }
  root.append(h('div', { class: 'scroll' }, h('table', {},
    h('caption', { text: 'Headline measures by definition (value with its confidence interval; counts rounded by disclosure control)' }),
    h('thead', {}, h('tr', {}, ['Definition', 'Headline measure', 'Period', 'Value (CI)', 'Numerator', 'Denominator', 'Measures'].map((c) => h('th', { scope: 'col', text: c })))),
    body)), withheldNote());
}
