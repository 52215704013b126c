// Budgets and alerts: each budget's spend and forecast in its period against its thresholds; alerts with their
// delivery state; create and delete budgets (a full key is needed for changes).
import {h, card, table, empty, field, select, money, pct} from './dom.js';
import {get, post, del, path} from './api.js';
import {anchor} from './dates.js';
import {meter} from './view-overview.js';
import {errorBox} from './app.js';

export async function render(root, params, app) {
  const a = await anchor(params);
  const asOf = a.asOf;
  const [budgets, alerts] = await Promise.all([get('/api/v1/budgets', {asOf}), get('/api/v1/alerts')]);
  const cur = budgets.currency;
  root.append(h('div', {class: 'view-head'}, h('h1', null, 'Budgets and alerts'),
    h('p', {class: 'muted'}, `Spend in each budget's current period before ${asOf}, and the forecast of the period. ${(budgets.notes || [])[0] || ''}`)));
  const grid = h('div', {class: 'grid budgets'});
  grid.append(card(`${budgets.rows.length} budget${budgets.rows.length === 1 ? '' : 's'}`,
    budgets.rows.length ? table([
      {label: 'Budget', value: b => h('b', null, b.budget)},
      {label: 'Period', value: b => b.period},
      {label: 'Scope', value: b => b.filters || 'all charges'},
      {label: 'Spent', cls: 'num', value: b => `${money(b.spent, cur)} of ${money(b.amount, cur)}`},
      {label: 'Use', value: b => h('div', {class: 'use'}, meter(b.spent_percent, b.forecast_percent), h('small', null, `${pct(b.spent_percent, false)} spent, ${b.forecast_percent === null ? 'no forecast' : pct(b.forecast_percent, false) + ' forecast'}`))},
      {label: 'Thresholds crossed', value: b => b.crossed || 'none'},
      {label: '', value: b => deleteButton(b.budget, app)},
    ], budgets.rows, {cls: 'data', rowData: b => ({budget: b.budget})})
      : empty('No budgets yet.', 'Create one with the form: an amount per month, quarter or year, optionally for some services.')));
  grid.append(card('New budget', createForm(app)));
  root.append(grid);
  root.append(card(`Alerts (${alerts.rows.length})`, alerts.rows.length ? table(
    alerts.columns ? alerts.columns.map(c => ({label: c, value: r => fmt(r[c])})) : Object.keys(alerts.rows[0]).map(c => ({label: c, value: r => fmt(r[c])})),
    alerts.rows, {cls: 'data compact', rowData: r => ({alert: String(r.id ?? '')})})
    : empty('No alerts.', 'tally serve checks budgets and anomalies on a schedule (--alerts-every) and sends new alerts to the webhook (PUT /api/v1/alerts/webhook).')));
}

function fmt(v) {
  if (v === null || v === undefined) return '–';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function deleteButton(name, app) {
  const b = h('button', {type: 'button', class: 'danger small', dataset: {budget: name}}, 'Delete');
  let armed = false;
  b.addEventListener('click', async () => {
    if (!armed) {
      armed = true;
      b.textContent = `Delete ${name}?`;
      b.classList.add('armed');
      return;
    }
    try {
      await del(path('/api/v1/budgets', name));
      app.go('budgets', Object.fromEntries(new URLSearchParams(location.hash.split('?')[1] || '').entries()));
    } catch (err) {
      b.replaceWith(errorBox(err));
    }
  });
  return b;
}

function createForm(app) {
  const status = h('div', {id: 'budget-status'});
  const form = h('form', {class: 'stack', id: 'budget-form'},
    field('Name', h('input', {name: 'name', required: true, pattern: '[A-Za-z0-9_.\\-]{1,64}', placeholder: 'gpu-monthly'})),
    field('Amount', h('input', {name: 'amount', required: true, inputmode: 'decimal', placeholder: '6000'}), 'per period, in the billing currency'),
    field('Period', select('period', [['monthly', 'Monthly'], ['quarterly', 'Quarterly'], ['yearly', 'Yearly']], 'monthly')),
    field('Charges', select('charges', [['all', 'All'], ['usage', 'Usage'], ['non-usage', 'Non-usage']], 'all')),
    field('Filters', h('input', {name: 'filters', placeholder: 'ServiceName=GPU Compute'}), 'COL=VALUE, comma-separated; empty: everything'),
    field('Thresholds', h('input', {name: 'thresholds', placeholder: '50, 80, 100, 100:forecast'}), 'percent, or percent:forecast; empty: the defaults'),
    h('button', {type: 'submit', class: 'primary'}, 'Create budget'), status);
  form.addEventListener('submit', async e => {
    e.preventDefault();
    const fd = new FormData(form);
    const list = k => String(fd.get(k) || '').split(',').map(s => s.trim()).filter(Boolean);
    const body = {name: fd.get('name'), amount: String(fd.get('amount') || '').trim(), period: fd.get('period'),
      charges: fd.get('charges'), filters: list('filters')};
    if (list('thresholds').length) body.thresholds = list('thresholds');
    try {
      await post('/api/v1/budgets', body);
      app.go('budgets', Object.fromEntries(new URLSearchParams(location.hash.split('?')[1] || '').entries()));
    } catch (err) {
      status.replaceChildren(errorBox(err));
    }
  });
  return form;
}
