// SVG charts for the dashboard, drawn with the report's honesty rules (src/report/charts.cpp):
// a withheld value (null) is a gap in a line, or no bar with the word "withheld", never a zero.
// Each chart is an <svg role="img"> with a <title> and <desc>, inside a <figure> whose legend is
// HTML text (so colour is never the only key) and whose data table is the text alternative.
import { h, uid, fmt } from './dom.js';

const NS = 'http://www.w3.org/2000/svg';
export function s(tag, attrs = {}, text) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

const isNum = (v) => typeof v === 'number' && Number.isFinite(v);
const r1 = (v) => Math.round(v * 10) / 10;

// Series styles s0..s4 (style.css): Okabe & Ito (2008) colours, distinguishable with the common
// colour-vision deficiencies, each with its own dash pattern so the legend does not rely on colour.
const SERIES_STYLES = 5;

// A domain holding [lo, hi] with round ends, and its ticks (steps of 1, 2 or 5 times 10^k).
export function niceAxis(lo, hi, target = 5) {
  if (!isNum(lo) || !isNum(hi)) { lo = 0; hi = 1; }
  if (hi - lo < 1e-9) { const pad = Math.abs(hi) > 0 ? Math.abs(hi) * 0.1 : 1; lo -= pad; hi += pad; }
  const raw = (hi - lo) / target, mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((k) => k * mag).find((k) => k >= raw);
  const a = Math.floor(lo / step) * step, b = Math.ceil(hi / step) * step;
  const ticks = [];
  for (let t = a; t <= b + step / 2; t += step) ticks.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  return { lo: a, hi: b, step, ticks, decimals: step >= 1 ? 0 : Math.ceil(-Math.log10(step) - 1e-9) };
}
const scale = (d0, d1, r0, r1_) => (v) => (d1 === d0 ? (r0 + r1_) / 2 : r0 + ((v - d0) / (d1 - d0)) * (r1_ - r0));

function svgFrame(title, desc, width, height) {
  const tid = uid('t'), did = uid('d');
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img', 'aria-labelledby': `${tid} ${did}` });
  svg.append(s('title', { id: tid }, title), s('desc', { id: did }, desc));
  return svg;
}

function yAxis(svg, axis, y, x0, x1, label, top, bottom) {
  for (const t of axis.ticks) {
    svg.append(s('line', { x1: x0, x2: x1, y1: r1(y(t)), y2: r1(y(t)), class: 'grid' }));
    svg.append(s('text', { x: x0 - 6, y: r1(y(t)) + 4, class: 'tick', 'text-anchor': 'end' }, fmt(t, axis.decimals)));
  }
  svg.append(s('text', { transform: `translate(14 ${r1((top + bottom) / 2)}) rotate(-90)`, class: 'axis-label', 'text-anchor': 'middle' }, label));
}

// Path data through the present points, broken at every missing one (a withheld period is a gap).
function linePath(xs, ys) {
  let d = '', pen = false;
  xs.forEach((x, i) => {
    if (!isNum(ys[i])) { pen = false; return; }
    d += `${pen ? 'L' : 'M'}${r1(x)} ${r1(ys[i])}`;
    pen = true;
  });
  return d;
}
// Closed polygons between lower and upper, one per run where both limits are present.
function bandPath(xs, lo, hi) {
  let d = '', run = [];
  const flush = () => {
    if (run.length > 1) d += 'M' + run.map((i) => `${r1(xs[i])} ${r1(hi[i])}`).join('L') + 'L' + run.slice().reverse().map((i) => `${r1(xs[i])} ${r1(lo[i])}`).join('L') + 'Z';
    run = [];
  };
  xs.forEach((_, i) => (isNum(lo[i]) && isNum(hi[i]) ? run.push(i) : flush()));
  flush();
  return d;
}

// A line chart over periods. series: [{name, values, lower?, upper?}] (lower/upper draw a band);
// reference: {value, label} draws a dashed horizontal line (a target or standard).
export function lineChart({ title, desc, labels, series, yLabel, reference, decimals = 1, suffix = '', domain, zero = false }) {
  const W = 640, H = 300, L = 64, R = 16, T = 16, B = 44;
  const svg = svgFrame(title, desc, W, H);
  const all = series.flatMap((q) => [...q.values, ...(q.lower || []), ...(q.upper || [])]).filter(isNum);
  if (reference && isNum(reference.value)) all.push(reference.value);
  if (zero) all.push(0);
  const axis = niceAxis(domain ? domain[0] : Math.min(...all), domain ? domain[1] : Math.max(...all));
  const y = scale(axis.lo, axis.hi, H - B, T);
  const n = labels.length;
  const xs = labels.map((_, i) => (n === 1 ? (L + W - R) / 2 : L + 12 + ((W - R - L - 24) * i) / (n - 1)));
  yAxis(svg, axis, y, L, W - R, yLabel, T, H - B);
  // Withheld periods of the first series: a dotted line where the value would be.
  series[0].values.forEach((v, i) => {
    if (v === null) svg.append(s('line', { x1: r1(xs[i]), x2: r1(xs[i]), y1: T, y2: H - B, class: 'withheld-mark' }));
  });
  series.forEach((q, k) => {
    if (q.lower && q.upper) {
      const ylo = q.lower.map((v) => (isNum(v) ? y(v) : null)), yhi = q.upper.map((v) => (isNum(v) ? y(v) : null));
      const d = bandPath(xs, ylo, yhi);
      if (d) svg.append(s('path', { d, class: `band s${k % SERIES_STYLES}` }));
      // A lone present point has no band polygon: its interval is a whisker.
      xs.forEach((x, i) => {
        const lone = isNum(ylo[i]) && isNum(yhi[i]) && !(isNum(ylo[i - 1]) && isNum(yhi[i - 1])) && !(isNum(ylo[i + 1]) && isNum(yhi[i + 1]));
        if (lone) svg.append(s('line', { x1: r1(x), x2: r1(x), y1: r1(ylo[i]), y2: r1(yhi[i]), class: 'whisker' }));
      });
    }
  });
  if (reference && isNum(reference.value))
    svg.append(s('line', { x1: L, x2: W - R, y1: r1(y(reference.value)), y2: r1(y(reference.value)), class: 'reference' }));
  series.forEach((q, k) => {
    const ys = q.values.map((v) => (isNum(v) ? y(v) : null));
    const d = linePath(xs, ys);
    if (d) svg.append(s('path', { d, class: `line s${k % SERIES_STYLES}` }));
    ys.forEach((py, i) => {
      if (!isNum(py)) return;
      const ci = q.lower && isNum(q.lower[i]) && isNum(q.upper[i]) ? ` (${fmt(q.lower[i], decimals)} to ${fmt(q.upper[i], decimals)})` : '';
      const c = s('circle', { cx: r1(xs[i]), cy: r1(py), r: 3, class: `dot s${k % SERIES_STYLES}` });
      c.append(s('title', {}, `${q.name}, ${labels[i]}: ${fmt(q.values[i], decimals)}${suffix}${ci}`));
      svg.append(c);
    });
  });
  svg.append(s('line', { x1: L, x2: W - R, y1: H - B, y2: H - B, class: 'axis' }));
  // Labels counted back from the latest period, so the latest is always labelled.
  const every = n > 8 ? Math.ceil(n / 7) : 1;
  labels.forEach((t, i) => {
    if ((n - 1 - i) % every === 0) svg.append(s('text', { x: r1(xs[i]), y: H - B + 16, class: 'tick', 'text-anchor': 'middle' }, t));
  });
  return svg;
}

// Horizontal bars with confidence whiskers, one per group. A null value draws no bar and the word
// "withheld"; reference draws the overall value as a dashed vertical line.
export function barChart({ title, desc, labels, values, lower = [], upper = [], decimals = 1, suffix = '', xLabel, reference }) {
  const row = 24, L = 200, R = 56, T = 8, B = 40, W = 640, H = T + B + row * labels.length;
  const svg = svgFrame(title, desc, W, H);
  const all = [0, ...values, ...lower, ...upper].filter(isNum);
  if (reference && isNum(reference.value)) all.push(reference.value);
  const axis = niceAxis(Math.min(...all), Math.max(...all));
  const x = scale(axis.lo, axis.hi, L, W - R);
  for (const t of axis.ticks) {
    svg.append(s('line', { x1: r1(x(t)), x2: r1(x(t)), y1: T, y2: H - B, class: 'grid' }));
    svg.append(s('text', { x: r1(x(t)), y: H - B + 16, class: 'tick', 'text-anchor': 'middle' }, fmt(t, axis.decimals)));
  }
  svg.append(s('text', { x: r1((L + W - R) / 2), y: H - 6, class: 'axis-label', 'text-anchor': 'middle' }, xLabel));
  const zero = x(Math.max(axis.lo, 0));
  labels.forEach((label, i) => {
    const cy = T + row * i + row / 2;
    svg.append(s('text', { x: L - 8, y: r1(cy + 4), class: 'tick', 'text-anchor': 'end' }, label));
    const v = values[i];
    if (v === null || !isNum(v)) {
      svg.append(s('text', { x: r1(zero + 6), y: r1(cy + 4), class: 'withheld-text' }, v === null ? 'withheld' : 'no value'));
      return;
    }
    const bar = s('rect', { x: r1(Math.min(x(v), zero)), y: r1(cy - 7), width: r1(Math.abs(x(v) - zero)), height: 14, class: 'bar' });
    const ci = isNum(lower[i]) && isNum(upper[i]) ? ` (${fmt(lower[i], decimals)} to ${fmt(upper[i], decimals)})` : '';
    bar.append(s('title', {}, `${label}: ${fmt(v, decimals)}${suffix}${ci}`));
    svg.append(bar);
    let end = x(v);
    if (isNum(lower[i]) && isNum(upper[i])) {
      const a = r1(x(lower[i])), b = r1(x(upper[i]));
      svg.append(s('path', { d: `M${a} ${r1(cy)}L${b} ${r1(cy)}M${a} ${r1(cy - 5)}L${a} ${r1(cy + 5)}M${b} ${r1(cy - 5)}L${b} ${r1(cy + 5)}`, class: 'whisker-line' }));
      end = Math.max(end, x(upper[i]));
    }
    svg.append(s('text', { x: r1(Math.min(end + 4, W - R + 4)), y: r1(cy + 4), class: 'value-label' }, fmt(v, decimals)));
  });
  if (reference && isNum(reference.value))
    svg.append(s('line', { x1: r1(x(reference.value)), x2: r1(x(reference.value)), y1: T, y2: H - B, class: 'reference' }));
  svg.append(s('line', { x1: r1(zero), x2: r1(zero), y1: T, y2: H - B, class: 'axis' }));
  return svg;
}

// A funnel plot: each unit's value against its denominator, with the 95% and 99.8% limits as
// published at each unit's denominator (funnels.csv), joined in order of denominator. Points
// outside 99.8% are triangles pointing the way they lie, so the meaning is not in colour alone.
export function funnelChart({ title, desc, points, target, decimals = 1, yLabel, xLabel }) {
  const W = 640, H = 340, L = 64, R = 16, T = 16, B = 44;
  const svg = svgFrame(title, desc, W, H);
  const pts = points.slice().sort((a, b) => a.n - b.n);
  const ys = pts.flatMap((p) => [p.value, p.l998, p.u998]).filter(isNum);
  if (isNum(target)) ys.push(target);
  const yaxis = niceAxis(Math.min(...ys), Math.max(...ys));
  const xaxis = niceAxis(0, Math.max(1, ...pts.map((p) => p.n)));
  const y = scale(yaxis.lo, yaxis.hi, H - B, T), x = scale(0, xaxis.hi, L, W - R);
  yAxis(svg, yaxis, y, L, W - R, yLabel, T, H - B);
  for (const t of xaxis.ticks) svg.append(s('text', { x: r1(x(t)), y: H - B + 16, class: 'tick', 'text-anchor': 'middle' }, fmt(t, xaxis.decimals)));
  svg.append(s('text', { x: r1((L + W - R) / 2), y: H - 6, class: 'axis-label', 'text-anchor': 'middle' }, xLabel));
  const xs = pts.map((p) => x(p.n));
  for (const [key, cls] of [['l95', 'limit95'], ['u95', 'limit95'], ['l998', 'limit998'], ['u998', 'limit998']]) {
    const d = linePath(xs, pts.map((p) => (isNum(p[key]) ? y(Math.min(Math.max(p[key], yaxis.lo), yaxis.hi)) : null)));
    if (d) svg.append(s('path', { d, class: cls }));
  }
  if (isNum(target)) svg.append(s('line', { x1: L, x2: W - R, y1: r1(y(target)), y2: r1(y(target)), class: 'reference' }));
  pts.forEach((p, i) => {
    const px = r1(xs[i]), py = r1(y(p.value));
    const up = p.value > p.u998, down = p.value < p.l998;
    const m = up ? s('path', { d: `M${px} ${py - 6}L${px + 5} ${py + 4}L${px - 5} ${py + 4}Z`, class: 'above' })
      : down ? s('path', { d: `M${px} ${py + 6}L${px + 5} ${py - 4}L${px - 5} ${py - 4}Z`, class: 'below' })
        : s('circle', { cx: px, cy: py, r: 4, class: 'within' });
    m.append(s('title', {}, `${p.label}: ${fmt(p.value, decimals)} of ${fmt(p.n, 0)} (${p.significance || 'no limits'})`));
    svg.append(m);
  });
  svg.append(s('line', { x1: L, x2: W - R, y1: H - B, y2: H - B, class: 'axis' }));
  return svg;
}

// A legend in HTML text: [{kind: 'line'|'band'|'box'|'dash'|'withheld'|'triangle'|'circle', label, series?}].
export function legend(items) {
  const ul = h('ul', { class: 'legend' });
  for (const it of items) {
    const sw = s('svg', { width: 22, height: 12, viewBox: '0 0 22 12', 'aria-hidden': 'true', focusable: 'false' });
    const k = (it.series || 0) % SERIES_STYLES;
    if (it.kind === 'line') sw.append(s('line', { x1: 1, x2: 21, y1: 6, y2: 6, class: `line s${k}` }));
    if (it.kind === 'band') sw.append(s('rect', { x: 1, y: 1, width: 20, height: 10, class: `band s${k}` }));
    if (it.kind === 'box') sw.append(s('rect', { x: 1, y: 1, width: 20, height: 10, class: 'bar' }));
    if (it.kind === 'reference') sw.append(s('line', { x1: 1, x2: 21, y1: 6, y2: 6, class: 'reference' }));
    if (it.kind === 'withheld') sw.append(s('line', { x1: 11, x2: 11, y1: 0, y2: 12, class: 'withheld-mark' }));
    if (it.kind === 'limit95') sw.append(s('line', { x1: 1, x2: 21, y1: 6, y2: 6, class: 'limit95' }));
    if (it.kind === 'limit998') sw.append(s('line', { x1: 1, x2: 21, y1: 6, y2: 6, class: 'limit998' }));
    if (it.kind === 'above') sw.append(s('path', { d: 'M11 1L16 11L6 11Z', class: 'above' }));
    if (it.kind === 'below') sw.append(s('path', { d: 'M11 11L16 1L6 1Z', class: 'below' }));
    if (it.kind === 'within') sw.append(s('circle', { cx: 11, cy: 6, r: 4, class: 'within' }));
    if (it.kind === 'fill') sw.append(s('rect', { x: 1, y: 1, width: 20, height: 10, class: `swatch ${it.fill}` }));
    ul.append(h('li', {}, sw, ' ', it.label));
  }
  return ul;
}

// A table of the chart's figures, folded away: the chart's text alternative.
export function dataTable(caption, columns, rows) {
  const table = h('table', {}, h('caption', { text: caption }));
  table.append(h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', text: c })))));
  const body = h('tbody');
  for (const r of rows) body.append(h('tr', {}, r.map((c) => h('td', { text: c === null ? '[c]' : String(c) }))));
  table.append(body);
  return h('details', { class: 'data' }, h('summary', { text: 'Data table' }), h('div', { class: 'scroll' }, table));
}

export function figure({ heading, level = 3, chart, legendItems, caption, table }) {
  return h('figure', { class: 'chart-figure' }, heading ? h('h' + level, { text: heading }) : null, legendItems ? legend(legendItems) : null,
    chart, caption ? h('figcaption', { text: caption }) : null, table || null);
}
