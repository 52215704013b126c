// Overview: this month so far against last month (usage per meter, cost per service), the biggest movers, open
// anomalies, budgets and how far each is used, the latest invoices.
import {h, card, table, empty, money, qty, pct, trend, colour} from './dom.js';
import {get} from './api.js';
import {anchor, addDays, addMonths, monthStart, monthName, daysBetween, DAY} from './dates.js';
import {meters, unit, additive, queryPath} from './meters.js';

export async function render(root, params, app) {
  const a = await anchor(params);
  const asOf = a.asOf;
  const lastKnown = addDays(asOf, -1);
  const thisMonth = monthStart(lastKnown);
  const lastMonth = addMonths(thisMonth, -1);
  const elapsed = daysBetween(thisMonth, asOf);
  const sameDaysEnd = addDays(lastMonth, Math.min(elapsed, daysBetween(lastMonth, thisMonth)));
  const range = (f, t) => `${f}..${t}`;

  // Everything at once: the meters' queries start as soon as the meter list is in.
  const usageOf = meterList => Promise.all(meterList.map(async m => {
    if (additive(m) && !m.aggregation.startsWith('TIME_WEIGHTED')) {
      // Sums and counts add up by day: one query gives last month, this month so far and the same days. (Time-weighted
      // meters are cheaper to ask for by month, measured: their daily windows cost more than two monthly queries.)
      const days = await get(queryPath(m.slug), {from: lastMonth, to: asOf, windowSize: 'DAY'});
      const sum = (f, t) => days.data.filter(r => r.windowStart.slice(0, 10) >= f && r.windowStart.slice(0, 10) < t)
        .reduce((acc, r) => acc + Number(r.value), 0);
      return {meter: m, now: sum(thisMonth, asOf), last: sum(lastMonth, thisMonth), same: sum(lastMonth, sameDaysEnd)};
    }
    const [months, same] = await Promise.all([
      get(queryPath(m.slug), {from: lastMonth, to: asOf, windowSize: 'MONTH'}),
      get(queryPath(m.slug), {from: lastMonth, to: sameDaysEnd}),
    ]);
    const v = start => {
      const row = months.data.find(r => r.windowStart.slice(0, 10) === start);
      return row ? row.value : 0;
    };
    return {meter: m, now: v(thisMonth), last: v(lastMonth), same: same.data.length ? same.data[0].value : 0};
  }));
  const [services, movers, usage, anomalies, budgets, invoices, fullLast] = await Promise.all([
    get('/api/v1/reports/growth', {by: 'ServiceName', base: range(lastMonth, sameDaysEnd), compare: range(thisMonth, asOf)}),
    get('/api/v1/reports/growth', {by: 'ResourceId', base: range(lastMonth, sameDaysEnd), compare: range(thisMonth, asOf)}),
    meters().then(usageOf),
    get('/api/v1/reports/anomalies', {from: lastMonth, to: asOf}),
    get('/api/v1/budgets', {asOf}),
    get('/api/v1/invoices'),
    get('/api/v1/reports/totals', {by: 'ServiceName', from: lastMonth, to: thisMonth, charges: 'usage', top: 50}),
  ]);
  const currency = services.currency || fullLast.currency;

  root.append(h('div', {class: 'view-head'},
    h('h1', null, `Overview · ${monthName(thisMonth)}`),
    h('p', {class: 'muted'}, `${monthName(thisMonth)} so far (${thisMonth} to ${lastKnown}, ${elapsed} day${elapsed === 1 ? '' : 's'}) against ${monthName(lastMonth)}; changes compare the same ${elapsed} days of each month.`),
    asOfForm(params, asOf, app),
    a.fromData ? h('p', {class: 'note', id: 'anchor-note'}, `There is no cost data after ${a.lastDay}: showing the latest month with data. Pick another day above to move.`) : null));

  const lastByService = new Map(fullLast.rows.filter(r => r.section === 'usage').map(r => [r.ServiceName, r.cost]));
  const serviceRows = services.rows.filter(r => r.ServiceName !== '(total)');
  const total = services.rows.find(r => r.ServiceName === '(total)');
  const grid = h('div', {class: 'grid two'});
  grid.append(card(`Cost per service (${currency || 'no currency'})`,
    serviceRows.length ? table([
      {label: 'Service', value: r => (r.ServiceName === '(total)' ? 'Total' : h('span', {class: 'swatch', color: colour(r.ServiceName)}, r.ServiceName))},
      {label: monthName(lastMonth), cls: 'num', value: r => money(lastByService.get(r.ServiceName) ?? 0, currency)},
      {label: 'This month so far', cls: 'num', value: r => money(r.compare, currency)},
      {label: `Change vs first ${elapsed} days`, cls: 'num', value: r => h('span', {class: trend(r.change)}, money(r.change, currency), ' ', h('small', null, r.change_percent === null ? 'new' : pct(r.change_percent)))},
    ], serviceRows.concat(total ? [total] : []), {id: 'cost-per-service', rowClass: r => (r.ServiceName === '(total)' ? 'total' : null), cls: 'data', onRow: r => r.ServiceName === '(total)' ? app.go('cost', {}) : app.go('cost', {by: 'ResourceId', filter: `ServiceName=${r.ServiceName}`})})
      : empty('No cost data in these months.', 'Import a bill (POST /api/v1/cost/imports or tally import --format focus), or pick another day above.'),
    h('p', {class: 'muted'}, 'Usage charges only; purchases and credits are in the cost analysis.')));

  const moving = movers.rows.filter(r => r.ResourceId !== '(total)' && Number(r.change) !== 0)
    .sort((x, y) => Math.abs(y.change) - Math.abs(x.change)).slice(0, 6);
  grid.append(card('Biggest movers',
    moving.length ? h('ol', {class: 'movers', id: 'movers'}, moving.map(r => h('li', null,
      h('a', {href: app.href('cost', {by: 'ResourceId', filter: `ResourceId=${r.ResourceId}`})}, r.ResourceId),
      h('span', {class: `num ${trend(r.change)}`}, (Number(r.change) > 0 ? '▲ ' : '▼ ') + money(Math.abs(r.change), currency)),
      h('small', {class: 'muted'}, r.change_percent === null ? 'new' : pct(r.change_percent)))))
      : empty('Nothing moved.', 'Costs per resource are the same as in the same days of last month.'),
    h('p', {class: 'muted'}, `Resources whose cost changed most against the first ${elapsed} days of ${monthName(lastMonth)}.`)));
  root.append(grid);

  root.append(card('Usage per meter',
    usage.length ? table([
      {label: 'Meter', value: r => h('a', {href: app.href('usage', {meter: r.meter.slug, from: lastMonth, to: asOf, window: 'DAY'})}, r.meter.slug)},
      {label: 'Description', value: r => r.meter.description || ''},
      {label: monthName(lastMonth), cls: 'num', value: r => qty(r.last, unit(r.meter))},
      {label: 'This month so far', cls: 'num', value: r => qty(r.now, unit(r.meter))},
      {label: `Same ${elapsed} days last month`, cls: 'num', value: r => qty(r.same, unit(r.meter))},
      {label: 'Change', cls: 'num', value: r => (Number(r.same) === 0 ? '–' : h('span', {class: trend(r.now - r.same)}, pct(100 * (r.now - r.same) / r.same)))},
    ], usage, {cls: 'data', rowData: r => ({meter: r.meter.slug})})
      : empty('No meters yet.', 'Define one with POST /api/v1/meters or tally meters apply meters.yaml.')));

  const grid2 = h('div', {class: 'grid three'});
  grid2.append(card('Open anomalies',
    anomalies.rows.length ? h('ul', {class: 'list', id: 'open-anomalies'}, anomalies.rows.slice(-6).reverse().map(r => h('li', null,
      h('a', {href: app.href('anomalies', {from: lastMonth, to: asOf, day: r.day})}, r.day),
      h('span', {class: 'num up'}, `${Number(r.impact) > 0 ? '+' : ''}${money(r.impact, anomalies.currency)}`),
      h('small', {class: 'muted'}, r.root_causes.length ? `${r.root_causes[0].dimension} ${r.root_causes[0].value}` : 'no single cause'))))
      : empty('No anomalies since ' + lastMonth + '.', 'Daily costs stayed within the expected band.')));
  grid2.append(card('Budgets',
    budgets.rows.length ? h('ul', {class: 'list'}, budgets.rows.map(b => h('li', {class: 'budget'},
      h('a', {href: app.href('budgets', {asOf})}, b.budget),
      meter(b.spent_percent, b.forecast_percent),
      h('small', {class: 'muted'}, `${money(b.spent, budgets.currency)} of ${money(b.amount, budgets.currency)} (${pct(b.spent_percent, false)})`))))
      : empty('No budgets.', 'Create one under Budgets and alerts.')));
  const latest = invoices.filter(i => i.periodStart < asOf).sort((x, y) => (y.periodStart.localeCompare(x.periodStart)) || String(y.number).localeCompare(String(x.number))).slice(0, 6);
  grid2.append(card('Latest invoices',
    latest.length ? h('ul', {class: 'list'}, latest.map(i => h('li', null,
      h('a', {href: app.href('invoice', {id: i.invoice})}, i.number || i.id),
      h('span', {class: 'num'}, money(i.total, i.currency)),
      h('small', {class: 'muted'}, `${i.customer} · ${i.periodStart.slice(0, 7)} · ${i.status}`))))
      : empty('No invoices yet.', 'Apply a catalogue and run invoices (POST /api/v1/invoice-runs).')));
  root.append(grid2);
}

/** A bar of how much of a budget is spent (and, fainter, forecast). */
export function meter(spent, forecast) {
  const s = Number(spent);
  const f = forecast === null || forecast === undefined ? null : Number(forecast);
  return h('div', {class: `gauge ${s >= 100 ? 'over' : s >= 80 ? 'near' : ''}`, title: `${pct(s, false)} spent`},
    f !== null ? h('div', {class: 'gauge-forecast', 'width%': f}) : null,
    h('div', {class: 'gauge-spent', 'width%': s}));
}

/** The "as of" picker every anchored view has. */
export function asOfForm(params, asOf, app) {
  const input = h('input', {type: 'date', name: 'asOf', value: asOf, id: 'as-of'});
  const form = h('form', {class: 'inline'}, h('label', {for: 'as-of'}, 'As of (first day not yet known)'), input,
    h('button', {type: 'submit'}, 'Show'));
  form.addEventListener('submit', e => {
    e.preventDefault();
    if (DAY.test(input.value)) {
      const p = Object.fromEntries(params.entries());
      p.asOf = input.value;
      app.go(app.viewName || 'overview', p);
    }
  });
  return form;
}
