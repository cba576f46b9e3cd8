// The dashboard's shell: sign-in, the navigation a role may use, and hash routes (#/page).
// The server enforces every access rule; the page only avoids offering what the role cannot have.
import { h, inputField, errorBox } from './dom.js';
import { api, session, onSignedOut, forgetCached, clearMeasureCache } from './api.js';
import { overviewPage } from './overview.js';
import { explorerPage } from './explorer.js';
import { comparePage } from './compare.js';
import { electivePage } from './elective.js';
import { worklistPage, ptlPage } from './lists.js';
import { auditPage, usersPage } from './admin.js';

const ALL = ['analyst', 'clinician', 'elective', 'admin'];
const PAGES = [
  { id: 'overview', label: 'ICS overview', roles: ALL, render: overviewPage },
  { id: 'explorer', label: 'Indicator explorer', roles: ALL, render: explorerPage },
  { id: 'compare', label: 'Compare PCNs', roles: ALL, render: comparePage },
  { id: 'elective', label: 'Elective care', roles: ALL, render: electivePage },
  { id: 'worklists', label: 'Worklists', roles: ['clinician'], render: worklistPage },
  { id: 'ptl', label: 'Patient tracking list', roles: ['elective'], render: ptlPage },
  { id: 'audit', label: 'Audit log', roles: ['admin'], render: auditPage },
  { id: 'users', label: 'Users', roles: ['admin'], render: usersPage },
];

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const who = document.getElementById('who');
const allowed = () => PAGES.filter((p) => session.current && p.roles.includes(session.current.role));

function showSignIn(message) {
  session.current = null;
  forgetCached();
  clearMeasureCache();
  nav.hidden = true;
  who.hidden = true;
  nav.replaceChildren();
  document.title = 'Sign in: Severn dashboard';
  const user = inputField('User name', { name: 'user', autocomplete: 'username', required: true, spellcheck: 'false' });
  const password = inputField('Password', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const problem = h('div', { 'aria-live': 'polite' });
  const button = h('button', { type: 'submit', text: 'Sign in' });
  const form = h('form', { class: 'sign-in', novalidate: true }, user.field, password.field, button, problem);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    problem.replaceChildren();
    if (!user.input.value || !password.input.value) { problem.append(errorBox('Enter your user name and password.')); return; }
    button.disabled = true;
    try {
      const s = await api('/api/login', { method: 'POST', body: { user: user.input.value, password: password.input.value } });
      password.input.value = '';
      signedIn(s);
    } catch (e) {
      problem.append(errorBox(`Sign-in failed: ${e.message}`));
      button.disabled = false;
      password.input.focus();
    }
  });
  main.replaceChildren(h('h1', { text: 'Sign in' }),
    h('p', { text: 'Population health indicators for Shropshire, Telford and Wrekin ICS. Sign in with the account your administrator gave you.' }),
    message ? errorBox(message) : null, form);
  user.input.focus();
}

function signedIn(s) {
  session.current = s;
  const pages = allowed();
  const list = h('ul', {}, pages.map((p) => h('li', {}, h('a', { href: '#/' + p.id, 'data-page': p.id, text: p.label }))));
  nav.replaceChildren(list);
  nav.hidden = false;
  document.getElementById('who-text').textContent = `Signed in as ${s.user} (${s.role})`;
  who.hidden = false;
  const wanted = location.hash.replace(/^#\//, '').split('?')[0];
  if (!pages.some((p) => p.id === wanted)) history.replaceState(null, '', '#/' + pages[0].id);
  route();
}

let renderCount = 0;
async function route() {
  if (!session.current) return;
  const pages = allowed();
  const [path, search] = location.hash.replace(/^#\//, '').split('?');
  const page = pages.find((p) => p.id === path) || pages[0];
  for (const a of nav.querySelectorAll('a')) {
    if (a.dataset.page === page.id) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  document.title = `${page.label}: Severn dashboard`;
  // Only a route chosen from the navigation moves focus to the new heading; a keyboard user who
  // tabbed into the navigation while the first page was still loading keeps their place.
  const fromNav = !!document.activeElement?.closest('#nav');
  const mine = ++renderCount;
  const container = h('div', { class: 'page', 'data-page': page.id });
  main.replaceChildren(container);
  main.setAttribute('aria-busy', 'true');
  try {
    await page.render(container, { stillCurrent: () => mine === renderCount, params: new URLSearchParams(search || '') });
  } catch (e) {
    if (mine === renderCount && session.current) container.append(errorBox(`Could not load this page: ${e.message}`));
  } finally {
    if (mine === renderCount) {
      main.removeAttribute('aria-busy');
      // Moves focus to the new page's heading, so keyboard and screen-reader users start there.
      const h1 = container.querySelector('h1');
      if (h1 && fromNav && document.activeElement?.closest('#nav')) { h1.tabIndex = -1; h1.focus(); }
      document.body.dataset.ready = page.id;
    }
  }
}

window.addEventListener('hashchange', () => {
  // Only #/page fragments are routes; the skip link's #main is not.
  if (location.hash.startsWith('#/')) route();
});

document.getElementById('sign-out').addEventListener('click', async () => {
  try { await api('/api/logout', { method: 'POST', body: {} }); } catch { /* the session is gone either way */ }
  showSignIn('');
  history.replaceState(null, '', location.pathname);
});

onSignedOut((message) => showSignIn(`Your session has ended (${message}). Sign in again.`));

// A returning tab may still hold a session cookie: ask the server before showing sign-in.
api('/api/session', { quiet401: true }).then(signedIn, () => showSignIn(''));
