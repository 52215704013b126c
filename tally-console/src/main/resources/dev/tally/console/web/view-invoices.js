// Invoices: the list by period, customer and status, with exports (JSON, CSV, FOCUS) of what is listed.
import {h, card, table, empty, field, select, money} from './dom.js';
import {get, download} from './api.js';

export async function render(root, params, app) {
  const period = /^\d{4}-\d{2}$/.test(params.get('period') || '') ? params.get('period') : '';
  const customer = params.get('customer') || '';
  const status = params.get('status') || '';
  const q = {period: period || undefined, customer: customer || undefined};
  const all = await get('/api/v1/invoices', q);
  const list = all.filter(i => !status || i.status === status)
    .sort((x, y) => y.periodStart.localeCompare(x.periodStart) || String(x.customer).localeCompare(String(y.customer)));
  const statuses = [...new Set(all.map(i => i.status))].sort();
  root.append(h('div', {class: 'view-head'}, h('h1', null, 'Invoices'),
    h('p', {class: 'muted'}, 'Drafts change until their period closes; final invoices are numbered, sealed with a content hash and never change.')));
  const form = h('form', {class: 'controls', id: 'invoice-form'},
    field('Period', h('input', {type: 'month', name: 'period', value: period, placeholder: 'YYYY-MM'})),
    field('Customer', h('input', {name: 'customer', value: customer, placeholder: 'c01', size: 10})),
    field('Status', select('status', [['', 'Any']].concat(statuses.map(s => [s, s])), status)),
    h('button', {type: 'submit', class: 'primary'}, 'Show'));
  form.addEventListener('submit', e => {
    e.preventDefault();
    const fd = new FormData(form);
    app.go('invoices', {period: fd.get('period'), customer: fd.get('customer'), status: fd.get('status')});
  });
  const name = `invoices${period ? '_' + period : ''}${customer ? '_' + customer : ''}`;
  const exports = h('div', {class: 'exports'}, h('span', {class: 'muted'}, 'Export what is listed:'),
    h('button', {type: 'button', id: 'export-json', onclick: () => download('/api/v1/invoices', {...q, format: 'json'}, `${name}.json`)}, 'JSON'),
    h('button', {type: 'button', id: 'export-csv', onclick: () => download('/api/v1/invoices', {...q, format: 'csv'}, `${name}.csv`, 'text/csv')}, 'CSV'),
    h('button', {type: 'button', id: 'export-focus', onclick: () => download('/api/v1/invoices', {...q, format: 'focus'}, `${name}.focus.csv`, 'text/csv')}, 'FOCUS'));
  root.append(card(null, form, exports));
  const currencies = [...new Set(list.map(i => i.currency))];
  const sum = list.reduce((s, i) => s + Math.round(Number(i.total) * 100), 0) / 100;
  root.append(card(`${list.length} invoice${list.length === 1 ? '' : 's'}${currencies.length === 1 ? ` · ${money(sum, currencies[0])} in all` : ''}`,
    list.length ? table([
      {label: 'Number', value: i => h('a', {href: app.href('invoice', {id: i.invoice})}, i.number || '(draft)')},
      {label: 'Customer', value: i => i.customer},
      {label: 'Plan', value: i => i.plan},
      {label: 'Period', value: i => `${i.periodStart} – ${i.periodEnd}`},
      {label: 'Status', value: i => h('span', {class: `status ${i.status}`}, i.status)},
      {label: 'Before credits', cls: 'num', value: i => money(i.totalBeforeCredits, i.currency)},
      {label: 'Total', cls: 'num', value: i => money(i.total, i.currency)},
    ], list, {cls: 'data', onRow: i => app.go('invoice', {id: i.invoice}), rowData: i => ({invoice: i.invoice})})
      : empty('No invoices match.', period || customer || status ? 'Clear a filter above.' : 'Apply a catalogue and run invoices (POST /api/v1/invoice-runs, or tally invoice run).')));
}
