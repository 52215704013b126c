// DOM helpers. Every value reaches the page as text (textContent, attribute values), never as markup: nothing a
// meter, a customer or a bill says can become HTML or script. There is no innerHTML anywhere in the console.

/** Makes an element: h('td', {class: 'num'}, 'text', child, [more]). Attributes are set as values, never parsed. */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith('on') && typeof v === 'function') {
        el.addEventListener(k.slice(2), v);
      } else if (k === 'dataset') {
        Object.assign(el.dataset, v);
      } else if (k === 'width%') {
        el.style.width = `${Math.max(0, Math.min(100, v))}%`;
      } else if (k === 'color') {
        el.style.setProperty('--c', v);
      } else if (v === true) {
        el.setAttribute(k, '');
      } else {
        el.setAttribute(k, String(v));
      }
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

/** Replaces an element's children. */
export function replace(el, ...children) {
  while (el.firstChild) el.removeChild(el.firstChild);
  append(el, children);
  return el;
}

const LOCALE = 'en-US';

/** Money in its currency, two decimals (the API's amounts are exact decimals; they are shown rounded to cents). */
export function money(v, currency) {
  if (v === null || v === undefined || v === '') return '–';
  const n = Number(v);
  try {
    return new Intl.NumberFormat(LOCALE, {style: 'currency', currency: currency || 'USD', minimumFractionDigits: 2,
      maximumFractionDigits: 2}).format(n);
  } catch (e) {
    return `${n.toFixed(2)} ${currency || ''}`.trim();
  }
}

/** A short money figure for axes: $12.3k. */
export function moneyShort(v, currency) {
  const n = Number(v);
  let sym = currency || '';
  try {
    sym = new Intl.NumberFormat(LOCALE, {style: 'currency', currency: currency || 'USD'}).formatToParts(0)
      .find(p => p.type === 'currency').value;
  } catch (e) { /* the code itself */ }
  return sym + compact(n);
}

/** A quantity with its unit: 1,234,567 tokens. */
export function qty(v, unit) {
  if (v === null || v === undefined) return '–';
  const n = Number(v);
  const s = new Intl.NumberFormat(LOCALE, {maximumFractionDigits: Math.abs(n) < 10 ? 3 : (Math.abs(n) < 1000 ? 2 : 0)})
    .format(n);
  return unit ? `${s} ${unit}` : s;
}

/** 12.3k, 4.5M: for axes and tight places. */
export function compact(n) {
  return new Intl.NumberFormat(LOCALE, {notation: 'compact', maximumFractionDigits: 1}).format(Number(n));
}

/** A percentage with its sign: +12.34 %. */
export function pct(v, signed = true) {
  if (v === null || v === undefined) return '–';
  const n = Number(v);
  const s = n.toFixed(1);
  return (signed && n > 0 ? '+' : '') + s + ' %';
}

/** The class of a change: up (costs more), down, or flat. */
export function trend(v) {
  const n = Number(v);
  return n > 0 ? 'up' : n < 0 ? 'down' : 'flat';
}

// One colour per name, the same in every view: a series called "GPU Compute" is the same colour in the overview, the
// cost analysis and the anomalies. Known names get fixed places; others are placed by a hash of the name.
const PALETTE = ['#2b6cb0', '#d97706', '#059669', '#b91c1c', '#7c3aed', '#0891b2', '#be185d', '#4d7c0f', '#92400e',
  '#475569', '#c2410c', '#1d4ed8'];

export function colour(name) {
  const s = String(name);
  if (s === 'others' || s === '(others)') return '#9ca3af';
  let hash = 2166136261;
  for (let i = 0; i < s.length; i++) {
    hash ^= s.charCodeAt(i);
    hash = Math.imul(hash, 16777619);
  }
  return PALETTE[(hash >>> 0) % PALETTE.length];
}

/** A card: a titled section of a view. */
export function card(title, ...body) {
  return h('section', {class: 'card'}, title ? h('h2', null, title) : null, ...body);
}

/** A table from column specs [{label, value(row), cls}] and rows. */
export function table(columns, rows, opts = {}) {
  const thead = h('thead', null, h('tr', null, columns.map(c => h('th', {class: c.cls, scope: 'col'}, c.label))));
  const tbody = h('tbody', null, rows.map((r, i) => {
    const tr = h('tr', {class: opts.rowClass ? opts.rowClass(r) : null, dataset: opts.rowData ? opts.rowData(r, i) : null},
      columns.map(c => h('td', {class: c.cls}, c.value(r, i))));
    if (opts.onRow) {
      tr.classList.add('clickable');
      tr.tabIndex = 0;
      tr.addEventListener('click', () => opts.onRow(r, i));
      tr.addEventListener('keydown', e => { if (e.key === 'Enter') opts.onRow(r, i); });
    }
    return tr;
  }));
  return h('div', {class: 'table-wrap'}, h('table', {class: opts.cls || 'data', id: opts.id}, thead, tbody));
}

/** The empty state: what is missing and what to do. */
export function empty(what, todo) {
  return h('div', {class: 'empty'}, h('strong', null, what), todo ? h('p', null, todo) : null);
}

/** A labelled form field. */
export function field(label, control, hint) {
  return h('label', {class: 'field'}, h('span', null, label), control, hint ? h('small', null, hint) : null);
}

/** A select with options [[value, label]]. */
export function select(name, options, value) {
  return h('select', {name, id: `f-${name}`}, options.map(([v, l]) => h('option', {value: v, selected: String(v) === String(value)}, l)));
}
