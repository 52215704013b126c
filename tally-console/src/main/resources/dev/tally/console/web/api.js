// The console's only way to the server: Tally's documented API, with the credential the user gave in an
// Authorization header. The credential lives in this tab's session storage, never in a URL, a cookie or a log.

const KEY = 'tally.credential';

export const session = {
  get() {
    return sessionStorage.getItem(KEY);
  },
  set(secret) {
    sessionStorage.setItem(KEY, secret);
  },
  clear() {
    sessionStorage.removeItem(KEY);
  },
  /** Portal tokens see one subject's usage only, through the portal routes. */
  portal() {
    const s = sessionStorage.getItem(KEY);
    return s !== null && s.startsWith('tpt_');
  },
};

/** A refusal from the API, with its problem+json in words. */
export class ApiError extends Error {
  constructor(status, problem, path) {
    super(problem && problem.detail ? problem.detail : `the server answered ${status} for ${path}`);
    this.status = status;
    this.problem = problem || {};
    this.path = path;
  }

  /** What to tell a person: the detail, each problem's field and message, and what to do. */
  lines() {
    const out = [];
    const p = this.problem;
    if (this.status === 401) out.push('The key was refused (it may be revoked, expired or mistyped). Sign in again with a valid key.');
    else if (this.status === 403) out.push('This key may not do that: a read-only key cannot change anything, and a portal token sees only its own usage.');
    else if (this.status === 0) out.push('The server did not answer. Is tally serve still running?');
    for (const pr of (p.problems || [])) {
      out.push(`${pr.field ? pr.field + ': ' : ''}${pr.message}${pr.given !== undefined && pr.given !== null ? ` (given “${pr.given}”)` : ''}`);
    }
    return out;
  }
}

/** Builds a query string from an object; arrays repeat the name. */
export function query(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) v.forEach(x => u.append(k, x));
    else u.append(k, v);
  }
  const s = u.toString();
  return s ? `?${s}` : '';
}

let onUnauthorized = () => {};
export function whenUnauthorized(f) {
  onUnauthorized = f;
}

/** Every request made, for the browser tests and for counting: [{path, ms, status}]. */
export const requests = [];
window.tallyRequests = requests;

async function send(method, path, params, body, accept) {
  const url = path + query(params);
  const headers = {'Accept': accept || 'application/json'};
  const secret = session.get();
  if (secret) headers['Authorization'] = `Bearer ${secret}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const started = performance.now();
  let res;
  try {
    res = await fetch(url, {method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer'});
  } catch (e) {
    throw new ApiError(0, {detail: `cannot reach the server (${e.message})`}, path);
  }
  requests.push({path, ms: Math.round(performance.now() - started), status: res.status});
  if (!res.ok) {
    let problem = null;
    try {
      problem = await res.json();
    } catch (e) { /* not JSON */ }
    const err = new ApiError(res.status, problem, path);
    if (res.status === 401) onUnauthorized(err);
    throw err;
  }
  return res;
}

export async function get(path, params) {
  const res = await send('GET', path, params);
  return res.json();
}

export async function text(path, params, accept) {
  const res = await send('GET', path, params, undefined, accept);
  return res.text();
}

export async function post(path, body) {
  const res = await send('POST', path, undefined, body);
  return res.status === 204 ? null : res.json();
}

export async function del(path) {
  await send('DELETE', path);
}

/** Fetches a document with the key and saves it as a file (a plain link would need the key in its URL). */
export async function download(path, params, filename, accept) {
  const res = await send('GET', path, params, undefined, accept);
  const blob = await res.blob();
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

/** Segments of a path, each encoded: /api/v1/meters/{slug}. */
export function path(...parts) {
  return parts.map((p, i) => (i === 0 ? p : encodeURIComponent(p))).join('/');
}
