// The LSOA map of the explorer. Indicators are published by IMD quintile (or decile), not by
// LSOA (an LSOA breakdown would not pass disclosure control), so each area takes the value of
// its own IMD quintile across the whole ICS: the legend says so in words, and lists each
// quintile's value beside its colour, so the colour is never the only key.
import { h, fmt } from './dom.js';
import { s, dataTable } from './charts.js';

// Five equal intervals of the present values; ColorBrewer YlGnBu classes c0..c4 (style.css).
function classOf(v, lo, hi) {
  if (typeof v !== 'number') return 'nodata';
  if (hi <= lo) return 'c2';
  return 'c' + Math.max(0, Math.min(4, Math.floor(((v - lo) / (hi - lo)) * 5)));
}

// groups: [{group: 1..5 (or 1..10), value, lower, upper}] for one period; by: 'quintile'|'decile'.
export function lsoaMap({ map, groups, by, measureLabel, period, units }) {
  const valueOf = new Map(groups.map((g) => [Number(g.group), g]));
  const present = groups.map((g) => g.value).filter((v) => typeof v === 'number');
  const lo = Math.min(...present), hi = Math.max(...present);
  const groupOf = (decile) => (by === 'decile' ? decile : Math.ceil(decile / 2));
  const n = by === 'decile' ? 10 : 5;
  const svg = s('svg', { viewBox: map.view_box, class: 'chart map', role: 'img', 'aria-labelledby': 'map-title map-desc' });
  svg.append(s('title', { id: 'map-title' }, `Map: ${measureLabel}, ${period}, by each area's IMD ${by}`));
  svg.append(s('desc', { id: 'map-desc' }, `${map.areas.length} LSOAs of the ICS, each coloured by the value of ${measureLabel} in its IMD ${by} across the ICS (not measured in the area). The legend and the data table give each ${by}'s value.`));
  const defs = s('defs');
  const pattern = s('pattern', { id: 'map-nodata', width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' });
  pattern.append(s('rect', { width: 6, height: 6, class: 'hatch-bg' }), s('line', { x1: 0, y1: 0, x2: 0, y2: 6, class: 'hatch' }));
  defs.append(pattern);
  svg.append(defs);
  const counts = new Array(n + 1).fill(0);
  const g = s('g', { class: 'areas' });
  for (const a of map.areas) {
    const d = Number(a.imd_decile);
    const q = d >= 1 && d <= 10 ? groupOf(d) : 0;
    counts[q]++;
    const row = valueOf.get(q);
    const value = row ? row.value : undefined;
    const p = s('path', { d: a.path, class: 'area ' + classOf(value, lo, hi), 'data-group': q || '' });
    const text = value === null ? 'withheld' : typeof value === 'number' ? fmt(value, units.decimals) + units.suffix : 'no value';
    p.append(s('title', {}, `${a.code} ${a.name}: IMD decile ${d || 'unknown'}${by === 'quintile' && q ? ` (quintile ${q})` : ''}; ${measureLabel} in this ${by}: ${text}`));
    g.append(p);
  }
  svg.append(g);

  const keyTitle = `Colour: the value of ${measureLabel} for the area's IMD ${by} (${period}), across the whole ICS; not a value measured in the area.`;
  const key = h('ul', { class: 'legend map-legend' });
  const rows = [];
  for (let q = 1; q <= n; q++) {
    const row = valueOf.get(q);
    const value = row ? row.value : undefined;
    const cls = classOf(value, lo, hi);
    const sw = s('svg', { width: 22, height: 12, viewBox: '0 0 22 12', 'aria-hidden': 'true', focusable: 'false' });
    sw.append(s('rect', { x: 1, y: 1, width: 20, height: 10, class: 'swatch ' + cls }));
    const name = `${by === 'quintile' ? 'Q' : 'D'}${q}${q === 1 ? ' (most deprived)' : q === n ? ' (least deprived)' : ''}`;
    const text = value === null ? 'withheld' : typeof value === 'number' ? fmt(value, units.decimals) + units.suffix : 'no value';
    key.append(h('li', {}, sw, ` ${name}: ${text}; ${counts[q]} areas`));
    rows.push([name, value === undefined ? '' : value === null ? null : fmt(value, units.decimals), row && typeof row.lower === 'number' ? fmt(row.lower, units.decimals) : '', row && typeof row.upper === 'number' ? fmt(row.upper, units.decimals) : '', counts[q]]);
  }
  if (present.length < n) {
    const sw = s('svg', { width: 22, height: 12, viewBox: '0 0 22 12', 'aria-hidden': 'true', focusable: 'false' });
    sw.append(s('rect', { x: 1, y: 1, width: 20, height: 10, class: 'swatch nodata' }));
    key.append(h('li', {}, sw, ' Hatched: withheld by disclosure control or no value'));
  }
  return h('figure', { class: 'chart-figure' },
    h('h3', { text: 'Map of LSOAs' }),
    h('p', { class: 'legend-title', text: keyTitle }), key, svg,
    h('figcaption', { text: 'Colours: ColorBrewer YlGnBu, five equal intervals of the values (darker = higher). Source: measures by IMD ' + by + '; boundaries: ONS LSOA 2021.' }),
    dataTable(`${measureLabel} by IMD ${by}, ${period}, and the number of LSOAs in each`, [by === 'quintile' ? 'IMD quintile' : 'IMD decile', 'Value', 'Lower', 'Upper', 'LSOAs'], rows));
}
