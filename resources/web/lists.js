// The identifiable lists: a clinician's PCN worklists and an elective team's PTL. Each request is
// audited by the server with the purpose typed here (or the role's default). The purpose travels
// in the X-Severn-Purpose header, never in the URL (so never in a history, a proxy log or a
// bookmark), and the CSV download is fetched the same way rather than linked.
import { h, inputField, selectField, errorBox } from './dom.js';
import { api, query, definitions, pcns, session } from './api.js';
import { bigTable } from './table.js';

function purposeField(defaultPurpose) {
  return inputField('Purpose of this look-up (recorded in the audit log)', {
    name: 'purpose', maxlength: '200', autocomplete: 'off',
    hint: `At most 200 characters. Left empty, the audit records "${defaultPurpose}". Do not type patient details here.`,
  });
}

// The purpose as a header; a header carries printable ASCII only.
function purposeHeaders(text) {
  if (!text) return {};
  if (!/^[\x20-\x7e]*$/.test(text)) throw new Error('the purpose may use plain letters, digits and punctuation only');
  return { 'X-Severn-Purpose': text };
}

// Fetches the CSV with the purpose header and hands it to the browser as a download.
async function downloadCsv(path, headers, fileName) {
  const res = await fetch(path, { headers, credentials: 'same-origin' });
  if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
  const url = URL.createObjectURL(await res.blob());
  const a = h('a', { href: url, download: fileName });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// Loads a list on submit and shows it; `fetchList()` returns {table, title, csv: {path, headers, fileName}}.
function listForm(root, fields, fetchList) {
  const problem = h('div', { 'aria-live': 'polite' });
  const button = h('button', { type: 'submit', text: 'Show list' });
  const out = h('div', { class: 'list-output' });
  const form = h('form', { class: 'controls' }, ...fields, h('div', { class: 'field actions' }, button));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    problem.replaceChildren();
    delete out.dataset.rows;
    out.replaceChildren(h('p', { class: 'status', role: 'status', text: 'Loading…' }));
    button.disabled = true;
    try {
      const { table, title, csv } = await fetchList();
      if (!out.isConnected) return;
      const download = h('button', { type: 'button', class: 'link-button', text: 'Download as CSV (recorded in the audit log)' });
      download.addEventListener('click', async () => {
        problem.replaceChildren();
        try { await downloadCsv(csv.path, csv.headers, csv.fileName); } catch (err) { problem.append(errorBox(`Could not download the list: ${err.message}`)); }
      });
      out.replaceChildren(h('h2', { text: title }), h('p', {}, download), bigTable(table, title).element);
      out.dataset.rows = String(table.rows.length);
    } catch (err) {
      out.replaceChildren();
      problem.append(errorBox(`Could not load the list: ${err.message}`));
    } finally {
      button.disabled = false;
    }
  });
  root.append(form, problem, out);
}

export async function worklistPage(root, { stillCurrent }) {
  root.append(h('h1', { text: 'Worklists' }),
    h('p', { text: 'Patients of your PCN who meet a definition\'s worklist rules, with the evidence for each. Identifiable: every list you open is recorded in the audit log with its purpose.' }));
  const [defs, pcnList] = await Promise.all([definitions(), pcns()]);
  if (!stillCurrent()) return;
  const lists = defs.definitions.flatMap((d) => (d.worklists || []).map((w) => [`${d.name}/${w.name}`, `${d.title || d.name}: ${w.name}`]));
  const mine = session.current.pcns || [];
  if (!lists.length || !mine.length) { root.append(h('p', { text: !lists.length ? 'No worklists are published.' : 'Your account has no PCN.' })); return; }
  const names = new Map(pcnList.map((p) => [p.code, p.name]));
  const list = selectField('Worklist', lists);
  const pcn = selectField('PCN', mine.map((c) => [c, names.has(c) ? `${names.get(c)} (${c})` : c]));
  const purpose = purposeField('direct care');
  listForm(root, [list.field, pcn.field, purpose.field], async () => {
    const [d, w] = list.select.value.split('/');
    const headers = purposeHeaders(purpose.input.value.trim());
    const path = `/api/worklists/${encodeURIComponent(d)}/${encodeURIComponent(w)}?${query({ pcn: pcn.select.value })}`;
    const r = await api(path, { headers });
    return { table: r.table, title: `${w} for ${r.pcn}, ${r.index_date}`, csv: { path: `${path}&format=csv`, headers, fileName: `${w}-${r.pcn}.csv` } };
  });
}

export async function ptlPage(root) {
  root.append(h('h1', { text: 'Patient tracking list' }),
    h('p', { text: 'Your provider\'s open pathways. Identifiable: every list you open is recorded in the audit log with its purpose.' }));
  const mine = session.current.providers || [];
  if (!mine.length) { root.append(h('p', { text: 'Your account has no provider.' })); return; }
  let names = new Map();
  try { names = new Map((await api('/api/providers')).providers.map((p) => [p.code, p.name])); } catch { /* codes alone still identify them */ }
  const provider = selectField('Provider', mine.map((c) => [c, names.has(c) ? `${names.get(c)} (${c})` : c]));
  // The PTL, or the PIDMAS mutual-aid list of the same provider (eligible patients and offers).
  const kind = selectField('List', [['ptl', 'Patient tracking list'], ['mutual-aid', 'Mutual aid (PIDMAS): eligible patients and offers']]);
  const purpose = purposeField('waiting list management');
  listForm(root, [kind.field, provider.field, purpose.field], async () => {
    const headers = purposeHeaders(purpose.input.value.trim());
    const which = kind.select.value === 'mutual-aid' ? 'mutual-aid' : 'ptl';
    const path = `/api/elective/${which}?` + query({ provider: provider.select.value });
    const r = await api(path, { headers });
    const title = which === 'ptl' ? `PTL for ${r.provider} on ${r.on}`
      : `Mutual aid for ${r.provider} on ${r.on}: within ${r.radius_miles} miles, ${r.asks_to_move} assumed to ask`;
    return { table: r.table, title, csv: { path: `${path}&format=csv`, headers, fileName: `${which}-${r.provider}.csv` } };
  });
}
