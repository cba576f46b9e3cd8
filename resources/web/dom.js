// Small DOM helpers shared by the pages. Every element is built with createElement and
// textContent, never innerHTML, so server text (names, errors) can never become markup.

export function h(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) e.append(c);
  return e;
}

// Ids unique within the page, for label/for and aria-describedby pairs.
let nextId = 0;
export const uid = (stem) => `${stem}-${++nextId}`;

// A labelled <select>; options are [value, text] pairs. Returns {field, select}.
export function selectField(label, options, value) {
  const id = uid('sel');
  const select = h('select', { id });
  for (const [v, t] of options) select.append(h('option', { value: v, text: t }));
  if (value !== undefined && options.some(([v]) => v === value)) select.value = value;
  return { field: h('div', { class: 'field' }, h('label', { for: id, text: label }), select), select };
}

// A labelled <input>; `hint` is a line of help under the label, tied to the input for screen readers.
export function inputField(label, { hint: hintText, ...props } = {}) {
  const id = uid('in');
  const input = h('input', { id, ...props });
  const hint = hintText ? h('p', { class: 'hint', id: id + '-hint', text: hintText }) : null;
  if (hint) input.setAttribute('aria-describedby', hint.id);
  return { field: h('div', { class: 'field' }, h('label', { for: id, text: label }), hint, input), input };
}

// The report's units by statistic (src/report/html.cpp units_of): axis label, suffix, decimals.
export function unitsOf(statistic) {
  const m = /^(\w+)(?: per ([\d.]+))?/.exec(statistic || '') || [];
  const kind = m[1] || '', per = Number(m[2] || 1);
  const perText = per.toLocaleString('en-GB');
  if (kind === 'proportion') {
    if (per === 100) return { axis: 'Per cent (%)', suffix: '%', decimals: 1 };
    if (per === 1) return { axis: 'Proportion (0 to 1)', suffix: '', decimals: 3 };
    return { axis: `Per ${perText} persons`, suffix: ` per ${perText}`, decimals: 0 };
  }
  if (kind === 'rate') return { axis: `Rate per ${perText} persons`, suffix: ` per ${perText}`, decimals: 0 };
  if (kind === 'dsr') return { axis: `Age-standardised rate per ${perText}`, suffix: ` per ${perText}`, decimals: 0 };
  if (kind === 'isr') {
    if (per === 100) return { axis: 'Observed as % of expected', suffix: '%', decimals: 1 };
    return { axis: 'Ratio observed / expected', suffix: '', decimals: 3 };
  }
  return { axis: 'Value', suffix: '', decimals: 1 };
}

export const WITHHELD = 'withheld';

// A number as text; null (withheld by disclosure control) is the word "withheld", never 0.
export function fmt(v, decimals = 0) {
  if (v === null) return WITHHELD;
  if (typeof v !== 'number' || !Number.isFinite(v)) return v === undefined ? '' : String(v);
  return v.toLocaleString('en-GB', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

export function valueWithCi(value, lower, upper, u) {
  if (value === null) return WITHHELD;
  if (typeof value !== 'number') return 'no value';
  const ci = typeof lower === 'number' && typeof upper === 'number' ? ` (${fmt(lower, u.decimals)} to ${fmt(upper, u.decimals)})` : '';
  return fmt(value, u.decimals) + u.suffix + ci;
}

// Table rows as objects keyed by column name, so pages read cells by name, not by position.
export function records(table) {
  if (!table || !Array.isArray(table.columns)) return [];
  return table.rows.map((r) => Object.fromEntries(table.columns.map((c, i) => [c, r[i]])));
}

// "2024-04-01".."2024-04-30" -> "Apr 2024"; longer intervals give "Apr 2024 to Mar 2025".
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export function monthLabel(date) {
  const [y, m] = String(date).split('-');
  return `${MONTHS[Number(m) - 1] || '?'} ${y}`;
}
export function intervalLabel(start, end) {
  const a = monthLabel(start), b = monthLabel(end);
  return a === b ? a : `${a} to ${b}`;
}

export const withheldNote = () => h('p', { class: 'note', text: '[c] withheld by disclosure control: shown as a gap or the word "withheld", never as zero.' });

export function errorBox(message) {
  return h('p', { class: 'error', role: 'alert', text: message });
}
