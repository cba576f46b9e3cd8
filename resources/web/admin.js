// The administrator's pages: the audit log (with whether its hash chain verifies) and the users.
import { h, errorBox } from './dom.js';
import { api } from './api.js';
import { bigTable } from './table.js';

export async function auditPage(root, { stillCurrent }) {
  root.append(h('h1', { text: 'Audit log' }));
  const r = await api('/api/audit');
  if (!stillCurrent()) return;
  // The verified flag is stated in words, not by colour alone.
  root.append(r.verified
    ? h('p', { class: 'verified', 'data-verified': 'true', role: 'status' }, h('strong', { text: 'Verified: ' }), 'the hash chain of every line checks (no line edited, reordered or deleted).')
    : h('p', { class: 'error', 'data-verified': 'false', role: 'alert' }, h('strong', { text: 'Not verified: ' }), r.problem || 'the hash chain does not check.'));
  root.append(h('p', {}, h('a', { href: '/api/audit?format=csv', download: 'audit.csv', text: 'Export the audit log as CSV' })));
  root.append(bigTable(r.table, `Audit log: ${r.table.rows.length} lines, oldest first`).element);
}

export async function usersPage(root, { stillCurrent }) {
  root.append(h('h1', { text: 'Users' }));
  const r = await api('/api/users');
  if (!stillCurrent()) return;
  if (!r.users.length) { root.append(errorBox('No users.')); return; }
  const body = h('tbody');
  for (const u of r.users)
    body.append(h('tr', {}, h('th', { scope: 'row', text: u.name }), h('td', { text: u.role }), h('td', { text: (u.pcns || []).join(', ') }),
      h('td', { text: (u.providers || []).join(', ') }), h('td', { text: u.disabled ? 'disabled' : 'active' })));
  root.append(h('p', { text: 'Users are added and disabled with `severn users` on the server; passwords are stored only as argon2id hashes.' }),
    h('div', { class: 'scroll' }, h('table', {}, h('caption', { text: `${r.users.length} users` }),
      h('thead', {}, h('tr', {}, ['User', 'Role', 'PCNs', 'Providers', 'Status'].map((c) => h('th', { scope: 'col', text: c })))), body)));
}
