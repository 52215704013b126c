// One invoice: its lines and totals; each line's explanation (meter, query, tiers, arithmetic) and the events behind
// its quantity; the lines are checked to add up to the totals, in cents.
import {h, card, table, empty, money, qty} from './dom.js';
import {get, download, path} from './api.js';

export async function render(root, params, app) {
  const id = params.get('id');
  if (!id) {
    root.append(empty('No invoice chosen.', 'Pick one from the list of invoices.'));
    return;
  }
  const doc = await get(path('/api/v1/invoices', id, 'explain'));
  const cur = doc.currency;
  const lines = doc.lines || [];
  const chosen = Number(params.get('line')) || null;
  const t = doc.totals || {};
  const cents = v => Math.round(Number(v) * 100);
  const sumLines = lines.reduce((s, l) => s + cents(l.amount), 0);
  // Subtotal is the fees and charges and true-ups; discounts, tax and credits are their own lines and totals.
  const expected = cents(t.total);
  const adds = sumLines === expected;

  root.append(h('div', {class: 'view-head'},
    h('p', null, h('a', {href: app.href('invoices', {period: (doc.period.start || '').slice(0, 7)})}, '‹ Invoices')),
    h('h1', null, `Invoice ${doc.invoice || doc.id}`),
    h('p', {class: 'muted'}, `${doc.customer} · plan ${doc.plan} · ${doc.period.start} to ${doc.period.end} (${doc.period.timeZone}) · `,
      h('span', {class: `status ${doc.status}`}, doc.status))));
  root.append(card(null, h('div', {class: 'exports'}, h('span', {class: 'muted'}, 'This invoice as:'),
    h('button', {type: 'button', id: 'invoice-json', onclick: () => download(path('/api/v1/invoices', id), {}, `${doc.invoice || doc.id}.json`)}, 'JSON'),
    h('button', {type: 'button', id: 'invoice-csv', onclick: () => download('/api/v1/invoices', {period: doc.period.start.slice(0, 7), customer: doc.customer, format: 'csv'}, `${doc.invoice || doc.id}.csv`, 'text/csv')}, 'CSV'),
    h('button', {type: 'button', id: 'invoice-focus', onclick: () => download('/api/v1/invoices', {period: doc.period.start.slice(0, 7), customer: doc.customer, format: 'focus'}, `${doc.invoice || doc.id}.focus.csv`, 'text/csv')}, 'FOCUS'))));

  const grid = h('div', {class: 'grid invoice'});
  grid.append(card('Lines', table([
    {label: '#', cls: 'num', value: l => l.number},
    {label: 'Description', value: l => l.description},
    {label: 'Quantity', cls: 'num', value: l => (l.quantity === null ? '' : qty(l.quantity, l.unit))},
    {label: 'Amount', cls: 'num', value: l => money(l.amount, cur)},
  ], lines, {cls: 'data', onRow: l => app.go('invoice', {id, line: l.number}), rowClass: l => (l.number === chosen ? 'selected' : null),
    rowData: l => ({line: String(l.number), amount: String(l.amount)})}),
  h('table', {class: 'totals', id: 'invoice-totals'}, h('tbody', null,
    [['Subtotal', t.subtotal], ['Discounts', t.discounts], ['Tax', t.tax], ['Before credits', t.totalBeforeCredits], ['Credits', t.credits]]
      .filter(([, v]) => v !== undefined).map(([k, v]) => h('tr', null, h('th', null, k), h('td', {class: 'num'}, money(v, cur)))),
    h('tr', {class: 'total'}, h('th', null, 'Total'), h('td', {class: 'num', id: 'invoice-total'}, money(t.total, cur))))),
  h('p', {id: 'lines-check', class: adds ? 'ok' : 'error'}, adds
    ? `✓ The ${lines.length} lines add up to the total, ${money(sumLines / 100, cur)}.`
    : `The lines add up to ${money(sumLines / 100, cur)}, not the total ${money(t.total, cur)}: report this, it is a bug.`)));

  const detail = h('div', {id: 'explanation'});
  grid.append(card(chosen ? `Line ${chosen}: why this amount` : 'Explanation', detail));
  root.append(grid);
  const line = lines.find(l => l.number === chosen);
  if (!line) {
    detail.append(empty('Open a line to see why it costs what it does.', 'Each line names its rule, the meter query behind its quantity, the tiers and the arithmetic.'));
    return;
  }
  const e = line.explanation || {};
  detail.append(h('dl', {class: 'facts-list'},
    h('dt', null, 'Rule'), h('dd', null, e.rule || line.kind),
    e.source ? [h('dt', null, 'Meter'), h('dd', null, e.source.meter),
      h('dt', null, 'Query'), h('dd', null, `${e.source.from} to ${e.source.to}`, e.source.subjects && e.source.subjects.length ? `, subject ${e.source.subjects.join(', ')}` : '',
        Object.keys(e.source.filters || {}).length ? `, ${Object.entries(e.source.filters).map(([k, v]) => `${k}=${v}`).join(', ')}` : ''),
      h('dt', null, 'Quantity'), h('dd', null, qty(e.source.quantity, line.unit))] : null,
    h('dt', null, 'Arithmetic'), h('dd', {id: 'arithmetic'}, h('code', null, e.arithmetic || '')),
    h('dt', null, 'Amount'), h('dd', null, money(line.amount, cur))));
  if (e.steps && e.steps.length) {
    detail.append(h('h3', null, 'Tiers and steps'), table([
      {label: 'Step', value: s => s.label},
      {label: 'Quantity', cls: 'num', value: s => qty(s.quantity)},
      {label: 'Unit price', cls: 'num', value: s => (s.unitPrice === undefined ? '' : String(s.unitPrice))},
      {label: 'Flat', cls: 'num', value: s => (s.flat === undefined ? '' : String(s.flat))},
      {label: 'Amount', cls: 'num', value: s => String(s.amount)},
      {label: 'Arithmetic', value: s => h('code', null, s.arithmetic || '')},
    ], e.steps, {cls: 'data compact'}));
  }
  if (e.source) {
    const qy = e.query || {};
    const filters = Object.entries(qy.filterGroupBy || e.source.filters || {}).map(([k, v]) => `${k}=${v}`);
    detail.append(h('p', null, h('a', {id: 'open-in-usage', href: app.href('usage', {meter: e.source.meter, from: e.source.from.slice(0, 10), to: e.source.to.slice(0, 10),
      window: 'DAY', subject: e.source.subjects || [], filter: filters})}, 'Open this query in the usage explorer ›')));
    const events = await get(path('/api/v1/invoices', id, 'lines', String(line.number), 'events'), {limit: 25});
    detail.append(h('h3', null, `Events behind it (first ${events.length})`), events.length ? table([
      {label: 'Time', value: ev => ev.time},
      {label: 'Subject', value: ev => ev.subject},
      {label: 'Value', cls: 'num', value: ev => (ev.value === null ? '–' : qty(ev.value))},
      {label: 'Source / id', value: ev => `${ev.source} / ${ev.id}`},
      {label: 'Data', value: ev => h('code', null, JSON.stringify(ev.data))},
    ], events, {cls: 'data compact', rowData: () => ({event: '1'})}) : empty('No events behind this line.', 'A fixed fee or a line without usage has none.'));
  }
}
