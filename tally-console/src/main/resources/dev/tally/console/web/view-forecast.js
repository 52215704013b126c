// Forecast: the daily series with each remaining day's forecast and its 80% interval as a band, and the month-end
// and period-end totals (the forecast report's, with their own interval).
import {h, card, table, empty, field, select, money, moneyShort} from './dom.js';
import {get} from './api.js';
import {anchor, DAY} from './dates.js';
import {timeChart, daySeconds} from './chart.js';

export async function render(root, params, app) {
  const a = await anchor(params);
  const asOf = DAY.test(params.get('asOf') || '') ? params.get('asOf') : a.asOf;
  const horizon = ['month', 'quarter', 'year'].includes(params.get('horizon')) ? params.get('horizon') : 'month';
  const filters = params.getAll('filter').filter(f => f.indexOf('=') > 0);
  root.append(h('div', {class: 'view-head'}, h('h1', null, 'Forecast'),
    h('p', {class: 'muted'}, `What the ${horizon} containing ${asOf} will cost, from the days before ${asOf}: the anomaly model's trend and weekly pattern.`)));
  const form = h('form', {class: 'controls', id: 'forecast-form'},
    field('As of', h('input', {type: 'date', name: 'asOf', value: asOf})),
    field('Period', select('horizon', [['month', 'Month'], ['quarter', 'Quarter'], ['year', 'Year']], horizon)),
    field('Filter', h('input', {name: 'filter', value: filters.join(', '), placeholder: 'ServiceName=AI Models', size: 24}), 'COL=VALUE, comma-separated'),
    h('button', {type: 'submit', class: 'primary'}, 'Forecast'));
  form.addEventListener('submit', e => {
    e.preventDefault();
    const fd = new FormData(form);
    app.go('forecast', {asOf: fd.get('asOf'), horizon: fd.get('horizon'), filter: String(fd.get('filter') || '').split(',').map(s => s.trim()).filter(Boolean)});
  });
  root.append(card(null, form));

  const periods = horizon === 'month' ? ['month'] : ['month', horizon];
  const [days, ...totals] = await Promise.all([get('/api/v1/reports/forecast-days', {horizon, asOf, filter: filters}),
    ...periods.map(p => get('/api/v1/reports/forecast', {horizon: p, asOf, filter: filters}))]);
  const currency = days.currency;
  const rows = totals.map(t => t.rows[0]);
  root.append(h('div', {class: 'grid three'}, rows.map(r => card(`${r.period} total`,
    h('div', {class: 'big', dataset: {period: r.period}}, money(r.forecast_total, currency)),
    h('p', null, `80% interval ${money(r.lower_80, currency)} – ${money(r.upper_80, currency)}`),
    h('p', {class: 'muted'}, `${money(r.actual, currency)} spent before ${r.as_of}, ${money(r.forecast_remaining, currency)} forecast for the rest; learned from ${r.history_days} days.`)))));
  const d = days.rows || [];
  const box = h('div', {id: 'forecast-chart'});
  root.append(card(`Daily cost and forecast, ${d.length ? d[0].day : ''} to ${d.length ? d[d.length - 1].day : ''} (${currency || ''})`, box,
    h('p', {class: 'muted'}, (days.notes || [])[0] || '')));
  if (!d.length) {
    box.append(empty('Nothing to forecast.', null));
    return;
  }
  const num = k => d.map(r => (r[k] === null ? null : Number(r[k])));
  timeChart(box, {x: d.map(r => daySeconds(r.day)), zone: 'UTC', step: 'day', yLabel: currency,
    series: [
      {label: 'upper 80%', values: num('upper_80'), color: '#fbbf24', dash: [4, 4]},
      {label: 'lower 80%', values: num('lower_80'), color: '#fbbf24', dash: [4, 4]},
      {label: 'forecast', values: num('forecast'), color: '#d97706', dash: [6, 3], width: 2},
      {label: 'actual', values: num('actual'), color: '#111827', width: 2},
    ],
    bands: [[1, 2, 'rgba(251,191,36,0.2)']],
    yFormat: (x, axis) => (axis ? moneyShort(x, currency) : money(x, currency))});
  root.append(card('Days', table([
    {label: 'Day', value: r => r.day},
    {label: 'Actual', cls: 'num', value: r => (r.actual === null ? '' : money(r.actual, currency))},
    {label: 'Forecast', cls: 'num', value: r => (r.forecast === null ? '' : money(r.forecast, currency))},
    {label: '80% interval', cls: 'num', value: r => (r.forecast === null ? '' : `${money(r.lower_80, currency)} – ${money(r.upper_80, currency)}`)},
  ], d.slice(0, 120), {cls: 'data compact'})));
}
