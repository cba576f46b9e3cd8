// Renders an API table ({columns, rows}) as a virtualised HTML table. Worklists can hold 10,000
// rows and more, and a DOM of 100,000 cells takes Chromium seconds to lay out, so only the rows
// in view (and a margin) are in the DOM: spacer rows above and below keep the scroll height of
// the whole list. aria-rowcount and aria-rowindex tell assistive technology the list's true size
// and each row's place in it. A filter box narrows the rows (the browser's find cannot see rows
// that are not drawn).
import { h, uid } from './dom.js';

const ROW_PX = 28;   // every row is one line high (style.css .vtable td), so positions are arithmetic
const MARGIN = 20;   // rows drawn beyond each edge of the view, so fast scrolling shows no blank

function cellText(cell) {
  // A null cell was withheld by disclosure control: [c], as in the CSV files.
  return cell === null ? '[c]' : cell === undefined ? '' : String(cell);
}

// Returns {element}; element.dataset.total is the number of rows matching the filter.
export function bigTable(table, caption) {
  const total = table.rows.length;
  let rows = table.rows;
  const filterId = uid('filter');
  const filter = h('input', { id: filterId, type: 'search', autocomplete: 'off', spellcheck: 'false' });
  const status = h('p', { class: 'status', role: 'status' });
  const top = h('tr', { class: 'spacer', 'aria-hidden': 'true' });
  const bottom = h('tr', { class: 'spacer', 'aria-hidden': 'true' });
  const body = h('tbody');
  const tableEl = h('table', { class: 'vtable' }, h('caption', { text: caption }),
    h('thead', {}, h('tr', { 'aria-rowindex': '1' }, table.columns.map((c) => h('th', { scope: 'col', text: c })))), body);
  const viewport = h('div', { class: 'scroll tall', tabindex: '0', role: 'region', 'aria-label': `${caption} (scrollable)` }, tableEl);
  const numeric = table.columns.map((_, j) => table.rows.slice(0, 50).some((r) => typeof r[j] === 'number'));
  // Enough columns to read: each at least 8em, so wide lists scroll sideways rather than squash.
  tableEl.style.minWidth = `${table.columns.length * 8}em`;
  let first = -1, last = -1;

  function draw(force) {
    const view = viewport.clientHeight || 600;
    const start = Math.max(0, Math.floor(viewport.scrollTop / ROW_PX) - MARGIN);
    const end = Math.min(rows.length, Math.ceil((viewport.scrollTop + view) / ROW_PX) + MARGIN);
    if (!force && start === first && end === last) return;
    first = start; last = end;
    const frag = document.createDocumentFragment();
    frag.append(top);
    for (let i = start; i < end; i++) {
      const tr = document.createElement('tr');
      tr.setAttribute('aria-rowindex', String(i + 2));
      rows[i].forEach((cell, j) => {
        const td = document.createElement('td');
        td.textContent = cellText(cell);
        if (numeric[j]) td.className = 'n';
        tr.append(td);
      });
      frag.append(tr);
    }
    frag.append(bottom);
    top.style.height = `${start * ROW_PX}px`;
    bottom.style.height = `${(rows.length - end) * ROW_PX}px`;
    body.replaceChildren(frag);
  }
  function refilter() {
    const q = filter.value.trim().toLowerCase();
    rows = q ? table.rows.filter((r) => r.some((c) => cellText(c).toLowerCase().includes(q))) : table.rows;
    tableEl.setAttribute('aria-rowcount', String(rows.length + 1));
    element.dataset.total = String(rows.length);
    status.textContent = q ? `${rows.length.toLocaleString('en-GB')} of ${total.toLocaleString('en-GB')} rows match.` : `${total.toLocaleString('en-GB')} rows.`;
    viewport.scrollTop = 0;
    draw(true);
  }
  let pending = false;
  viewport.addEventListener('scroll', () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; draw(false); });
  });
  let timer = 0;
  filter.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(refilter, 150); });
  const element = h('div', { class: 'big-table' },
    h('div', { class: 'field' }, h('label', { for: filterId, text: 'Filter rows' }), filter), status, viewport);
  refilter();
  // The view's height is known only once the table is in the page: draw again then.
  requestAnimationFrame(() => draw(true));
  return { element };
}
