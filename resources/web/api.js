// The API client: one session in memory (never in storage, so the CSRF token goes with the tab),
// JSON in and out, and the server's error text surfaced as the Error's message.
export const session = { current: null };

export class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

// Listeners told when the server says the session has ended (401), so the app shows sign-in.
const signedOutListeners = [];
export const onSignedOut = (f) => signedOutListeners.push(f);

export async function api(path, { method = 'GET', body, quiet401 = false, headers: extra = {} } = {}) {
  const headers = { Accept: 'application/json', ...extra };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && session.current) headers['X-CSRF-Token'] = session.current.csrf_token;
  const res = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  let json = null;
  try { json = await res.json(); } catch { json = null; }
  if (!res.ok) {
    const message = (json && typeof json.error === 'string' && json.error) || `${res.status} ${res.statusText}`;
    if (res.status === 401 && session.current && !quiet401) {
      session.current = null;
      signedOutListeners.forEach((f) => f(message));
    }
    throw new ApiError(res.status, message);
  }
  return json;
}

export const query = (params) => new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== '')).toString();

// Definitions are the same for the whole session: fetched once.
let definitionsPromise = null;
export function definitions() {
  if (!definitionsPromise) definitionsPromise = api('/api/definitions').catch((e) => { definitionsPromise = null; throw e; });
  return definitionsPromise;
}
export function forgetCached() { definitionsPromise = null; pcnsPromise = null; }

let pcnsPromise = null;
export function pcns() {
  if (!pcnsPromise) pcnsPromise = api('/api/pcns').then((r) => r.pcns).catch((e) => { pcnsPromise = null; throw e; });
  return pcnsPromise;
}

// Every row of one measure (all breakdowns), with its funnels and inequality rows.
const measureCache = new Map();
export function measureRows(definition, measure) {
  const key = definition + '\u0000' + measure;
  if (!measureCache.has(key)) {
    measureCache.set(key, api('/api/measures?' + query({ definition, measure })).catch((e) => { measureCache.delete(key); throw e; }));
  }
  return measureCache.get(key);
}
export function clearMeasureCache() { measureCache.clear(); }
