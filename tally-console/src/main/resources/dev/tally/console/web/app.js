// The console's shell: sign-in, navigation, the hash router (every view has a stable, shareable address) and the
// ready/error states every view goes through.
import {h, replace} from './dom.js';
import {ApiError, get, session, whenUnauthorized} from './api.js';
import {forgetMeters} from './meters.js';
import {forgetAnchor} from './dates.js';
import * as overview from './view-overview.js';
import * as usage from './view-usage.js';
import * as cost from './view-cost.js';
import * as anomalies from './view-anomalies.js';
import * as forecast from './view-forecast.js';
import * as invoices from './view-invoices.js';
import * as invoice from './view-invoice.js';
import * as budgets from './view-budgets.js';

// Anything the page's policy refused, kept for the browser tests (which assert there is none) and for a person
// looking in the developer tools.
window.tallyCspViolations = [];
document.addEventListener('securitypolicyviolation', e => {
  window.tallyCspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
});

const VIEWS = {
  overview: {title: 'Overview', view: overview},
  usage: {title: 'Usage', view: usage, portal: true},
  cost: {title: 'Cost analysis', view: cost},
  anomalies: {title: 'Anomalies', view: anomalies},
  forecast: {title: 'Forecast', view: forecast},
  invoices: {title: 'Invoices', view: invoices},
  invoice: {title: 'Invoice', view: invoice, hidden: true},
  budgets: {title: 'Budgets and alerts', view: budgets},
};

const main = document.getElementById('view');
let generation = 0;

/** The current address: #/name?params. */
export function current() {
  const hash = location.hash.replace(/^#\/?/, '');
  const q = hash.indexOf('?');
  const name = (q < 0 ? hash : hash.slice(0, q)) || 'overview';
  return {name, params: new URLSearchParams(q < 0 ? '' : hash.slice(q + 1))};
}

/** The address of a view with parameters; empty values are left out. */
export function href(name, params) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) v.forEach(x => p.append(k, x));
    else p.append(k, String(v));
  }
  const s = p.toString();
  return `#/${name}${s ? '?' + s : ''}`;
}

/** Goes to a view (a new history entry, so Back works as people expect). */
export function go(name, params) {
  const target = href(name, params);
  if (location.hash === target) render();
  else location.hash = target;
}

function nav(active) {
  const portal = session.portal();
  replace(document.getElementById('nav'), Object.entries(VIEWS)
    .filter(([, v]) => !v.hidden && (!portal || v.portal))
    .map(([name, v]) => h('a', {href: `#/${name}`, class: name === active || (active === 'invoice' && name === 'invoices') ? 'active' : null}, v.title)));
  const who = document.getElementById('who');
  if (session.get()) {
    replace(who, h('span', {class: 'muted'}, portal ? portalLabel() : 'Signed in with an API key'),
      h('button', {type: 'button', class: 'link', id: 'sign-out', onclick: signOut}, 'Sign out'));
  } else {
    replace(who);
  }
}

function portalLabel() {
  const claims = portalClaims();
  return claims ? `Portal: ${claims.s}` : 'Portal token';
}

/** The claims a portal token carries readably (subject, meters, expiry); the server checks its signature. */
export function portalClaims() {
  const secret = session.get();
  if (!secret || !secret.startsWith('tpt_')) return null;
  try {
    const body = secret.slice(4, secret.indexOf('.'));
    const json = atob(body.replace(/-/g, '+').replace(/_/g, '/'));
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(json, c => c.charCodeAt(0))));
  } catch (e) {
    return null;
  }
}

/** What one credential's tenant showed must not be shown to the next. */
function forgetTenant() {
  forgetMeters();
  forgetAnchor();
}

function signOut() {
  session.clear();
  forgetTenant();
  go('sign-in', {});
}

function signIn(params, message) {
  nav(null);
  const input = h('input', {id: 'api-key', name: 'api-key', type: 'password', autocomplete: 'off', spellcheck: 'false',
    required: true, placeholder: 'tly_…', 'aria-describedby': 'sign-in-help'});
  const status = h('div', {id: 'sign-in-status', role: 'status'}, message ? errorBox(message) : null);
  const form = h('form', {id: 'sign-in', class: 'sign-in card', novalidate: true},
    h('h1', null, 'Sign in to Tally'),
    h('label', {for: 'api-key'}, 'API key'),
    input,
    h('p', {id: 'sign-in-help', class: 'muted'}, 'Paste a key of your tenant (tally serve --demo prints one; tally key create makes more). ',
      'It is kept in this tab only, sent as an Authorization header, and forgotten when the tab closes.'),
    h('button', {type: 'submit', class: 'primary'}, 'Sign in'),
    status);
  form.addEventListener('submit', async e => {
    e.preventDefault();
    const secret = input.value.trim();
    if (!secret) {
      replace(status, errorBox(new Error('Paste an API key first.')));
      return;
    }
    session.set(secret);
    forgetTenant();
    try {
      // A cheap call that any key may make tells a good key from a bad one before any view loads.
      if (!session.portal()) await get('/api/v1/meters');
      const back = params.get('next');
      location.hash = back && back.startsWith('#/') && !back.startsWith('#/sign-in') ? back : (session.portal() ? '#/usage' : '#/overview');
    } catch (err) {
      session.clear();
      replace(status, errorBox(err));
    }
  });
  replace(main, h('div', {class: 'centre'}, form));
  main.dataset.view = 'sign-in';
  main.dataset.state = 'ready';
  input.focus();
}

/** An error in words: what went wrong, each problem's field, and what to do. */
export function errorBox(err) {
  const lines = err instanceof ApiError ? err.lines() : [];
  const title = err instanceof ApiError && err.problem.title ? `${err.problem.title}: ` : '';
  return h('div', {class: 'error', role: 'alert'},
    h('strong', null, title + (err.message || String(err))),
    lines.length ? h('ul', null, lines.map(l => h('li', null, l))) : null);
}

async function render() {
  const {name, params} = current();
  const token = name === 'portal' ? params.get('token') : null;
  if (token) {
    // A portal link carries its token once; it moves into session storage and out of the address and history.
    session.set(token);
    forgetTenant();
    history.replaceState(null, '', '#/usage');
    return render();
  }
  if (!session.get() || name === 'sign-in') {
    if (session.get() && name === 'sign-in') session.clear();
    return signIn(name === 'sign-in' ? params : new URLSearchParams({next: location.hash}));
  }
  const entry = VIEWS[name] && (!session.portal() || VIEWS[name].portal) ? VIEWS[name] : null;
  const mine = ++generation;
  nav(name);
  main.dataset.view = name;
  main.dataset.state = 'loading';
  delete main.dataset.readyMs;
  const started = performance.now();
  if (!entry) {
    replace(main, errorBox(new Error(`There is no view “${name}”. Pick one above.`)));
    main.dataset.state = 'error';
    return;
  }
  document.title = `${entry.title} · Tally`;
  const root = h('div', {class: 'view'});
  replace(main, h('div', {class: 'loading'}, 'Loading…'));
  try {
    await entry.view.render(root, params, {go, href, portal: session.portal(), claims: portalClaims(), isCurrent: () => mine === generation, viewName: name});
    if (mine !== generation) return;
    replace(main, root);
    // Charts size themselves to their box once it is in the page.
    window.dispatchEvent(new Event('tally:attached'));
    main.dataset.readyMs = String(Math.round(performance.now() - started));
    main.dataset.state = 'ready';
  } catch (err) {
    if (mine !== generation) return;
    if (err instanceof ApiError && err.status === 401) return;
    replace(main, h('div', {class: 'view'}, h('h1', null, entry.title), errorBox(err)));
    main.dataset.state = 'error';
    console.error(err);
  }
}

whenUnauthorized(err => {
  session.clear();
  const back = location.hash;
  history.replaceState(null, '', href('sign-in', {next: back}));
  signIn(new URLSearchParams({next: back}), err);
});

window.addEventListener('hashchange', render);
function start() {
  if (typeof uPlot === 'undefined') {
    // The chart library loads as a deferred classic script; modules run after it, but wait if it is late.
    window.addEventListener('load', render, {once: true});
  } else {
    render();
  }
}
start();
