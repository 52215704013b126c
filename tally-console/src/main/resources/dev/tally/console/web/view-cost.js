// Cost analysis over the tenant's cost data (imported bills, or Tally's own invoices imported as FOCUS): a breakdown
// by any FOCUS column or tag with drill-down (a click makes the value a filter and the next column the group-by; the
// breadcrumb goes back), the series by day, week or month, growth between two periods, peaks, list against
// effective cost, and purchases and credits apart from usage.
import {h, card, table, empty, field, select, money, moneyShort, pct, trend, colour} from './dom.js';
import {get} from './api.js';
import {anchor, addDays, addMonths, monthStart, DAY} from './dates.js';
import {timeChart, daySeconds} from './chart.js';

/** The order drill-down walks: the next column after the one clicked that is not already a filter. */
export const DRILL = ['ServiceCategory', 'ServiceName', 'ResourceId', 'RegionId', 'SubAccountId', 'ChargeDescription'];
const COLUMNS = DRILL.concat(['ChargeCategory', 'ProviderName', 'BillingAccountId', 'SubAccountName', 'PricingCategory',
  'ResourceType', 'SkuId', 'ConsumedUnit', 'tag:team', 'tag:env']);
const NONE = '(none)';

export async function render(root, params, app) {
  const a = await anchor(params);
  const by = params.get('by') || 'ServiceName';
  const filters = params.getAll('filter').filter(f => f.indexOf('=') > 0);
  const to = DAY.test(params.get('to') || '') ? params.get('to') : a.asOf;
  const from = DAY.test(params.get('from') || '') ? params.get('from') : addMonths(monthStart(addDays(to, -1)), -2);
  const window = ['day', 'week', 'month'].includes(params.get('window')) ? params.get('window') : 'day';
  const metric = ['billed', 'effective', 'list'].includes(params.get('cost')) ? params.get('cost') : 'billed';
  const charges = ['usage', 'all', 'non-usage'].includes(params.get('charges')) ? params.get('charges') : 'usage';
  const chart = params.get('chart') === 'lines' ? 'lines' : 'stacked';
  const zone = params.get('tz') || 'UTC';
  const lastMonth = monthStart(addDays(to, -1));
  const base = params.get('base') || addMonths(lastMonth, -1).slice(0, 7);
  const compare = params.get('compare') || (to === addMonths(lastMonth, 1) ? lastMonth.slice(0, 7) : `${lastMonth}..${to}`);
  const state = {by, filter: filters, from, to, window, cost: metric, charges, chart, base, compare, tz: zone === 'UTC' ? undefined : zone, asOf: params.get('asOf')};
  const scope = {filter: filters, from, to, cost: metric, charges, zone};

  const [totals, series, growth, peaks, list, effective, nonUsage] = await Promise.all([
    get('/api/v1/reports/totals', {...scope, by, top: 12}),
    get('/api/v1/reports/series', {...scope, window, by}),
    get('/api/v1/reports/growth', {filter: filters, cost: metric, charges, zone, by, base, compare}),
    get('/api/v1/reports/peaks', {...scope, window: window === 'day' ? 'week' : window, top: 3}),
    get('/api/v1/reports/totals', {...scope, by, top: 12, cost: 'list'}),
    get('/api/v1/reports/totals', {...scope, by, top: 12, cost: 'effective'}),
    get('/api/v1/reports/totals', {filter: filters, from, to, zone, cost: metric, by: 'ServiceName', charges: 'non-usage', top: 20}),
  ]);
  const currency = totals.currency || series.currency || nonUsage.currency;

  const drill = value => {
    const next = DRILL.slice(DRILL.indexOf(by) + 1).find(c => !filters.some(f => f.startsWith(`${c}=`)))
      || DRILL.find(c => c !== by && !filters.some(f => f.startsWith(`${c}=`))) || by;
    app.go('cost', {...state, filter: filters.concat(`${by}=${value === NONE ? '' : value}`), by: next});
  };

  root.append(h('div', {class: 'view-head'}, h('h1', null, 'Cost analysis'),
    h('p', {class: 'muted'}, `${labelOf(metric)} of ${charges === 'usage' ? 'usage charges' : charges === 'all' ? 'all charges' : 'purchases, credits and other non-usage charges'}, ${from} to ${addDays(to, -1)}, days in ${zone}.`)));
  root.append(breadcrumb(filters, by, state, app));
  root.append(card(null, controls(state, app)));

  const rows = (totals.rows || []).filter(r => r.section === 'usage' || charges !== 'usage').filter(r => r[by] !== '(total)' && r[by] !== '(grand total)' && r[by] !== '(others)');
  const usageRows = (totals.rows || []).filter(r => r.section === (charges === 'non-usage' ? 'non-usage' : 'usage') && !String(r[by]).startsWith('('));
  const max = Math.max(1, ...usageRows.map(r => Math.abs(r.cost)));
  const sectionTotal = (totals.rows || []).find(r => r.section === (charges === 'non-usage' ? 'non-usage' : 'usage') && r[by] === '(total)');
  const grid = h('div', {class: 'grid two'});
  grid.append(card(`Breakdown by ${by} (${currency || '–'})`,
    usageRows.length ? h('div', {class: 'bars', id: 'breakdown'}, usageRows.map(r => h('button', {type: 'button', class: 'bar-row', dataset: {value: r[by]}, title: `Filter on ${by} = ${r[by]}`, onclick: () => drill(r[by])},
      h('span', {class: 'bar-label'}, r[by]),
      h('span', {class: 'bar-track'}, h('span', {class: 'bar', 'width%': 100 * Math.abs(r.cost) / max, color: colour(r[by])})),
      h('span', {class: 'bar-value'}, money(r.cost, currency)),
      h('span', {class: 'bar-share muted'}, r.share_percent === null ? '' : pct(r.share_percent, false)))))
      : empty('No charges match.', 'Remove a filter (breadcrumb above), widen the dates, or import a bill.'),
    sectionTotal ? h('p', {class: 'total-line'}, 'Total ', h('b', {id: 'breakdown-total'}, money(sectionTotal.cost, currency))) : null,
    rows.some(r => r[by] === NONE) ? h('p', {class: 'muted'}, `${NONE}: charges without a ${by}.`) : null,
    h('p', {class: 'muted'}, 'Click a bar to filter on it and break it down by the next column.')));

  // Growth: between two periods, by the same column.
  const g = growth.rows || [];
  grid.append(card(`Growth ${base} → ${compare}`,
    growthForm(state, app),
    g.length ? table([
      {label: by, value: r => (String(r[by]).startsWith('(') ? r[by] : h('span', {class: 'swatch', color: colour(r[by])}, r[by]))},
      {label: base, cls: 'num', value: r => money(r.base, growth.currency)},
      {label: compare, cls: 'num', value: r => money(r.compare, growth.currency)},
      {label: 'Change', cls: 'num', value: r => h('span', {class: trend(r.change)}, money(r.change, growth.currency))},
      {label: '%', cls: 'num', value: r => (r.change_percent === null ? r.status.toLowerCase() : pct(r.change_percent))},
    ], g, {cls: 'data compact', rowClass: r => (String(r[by]).startsWith('(') ? 'total' : null), rowData: r => ({value: r[by]})}) : empty('Nothing in either period.', 'Pick other periods (YYYY-MM, YYYY-Www, a day, or FROM..TO).')));
  root.append(grid);

  // The series, top groups of the breakdown plus the rest.
  const chartBox = h('div', {id: 'cost-chart'});
  const srows = series.rows || [];
  const periods = [...new Set(srows.map(r => r.period_start))].sort();
  const ranked = usageRows.map(r => r[by]);
  const names = [...new Set(srows.map(r => r[by]))].sort((x, y) => ((ranked.indexOf(x) + 1 || 999) - (ranked.indexOf(y) + 1 || 999)));
  const topNames = names.slice(0, 10);
  const restNames = new Set(names.slice(10));
  const idx = new Map(periods.map((p, i) => [p, i]));
  const valuesOf = name => {
    const v = periods.map(() => 0);
    srows.filter(r => (name === null ? restNames.has(r[by]) : r[by] === name)).forEach(r => { v[idx.get(r.period_start)] += Number(r.cost); });
    return v;
  };
  const drawn = topNames.map(n => ({label: n, values: valuesOf(n), color: colour(n)}));
  if (restNames.size) drawn.push({label: `others (${restNames.size})`, values: valuesOf(null), color: '#9ca3af', others: true});
  root.append(card(`${labelOf(metric)} per ${window} by ${by} (${currency || '–'})`, chartBox,
    h('p', {class: 'muted'}, 'Drag to zoom, double-click to reset; click an area to drill into it.')));
  if (periods.length) {
    timeChart(chartBox, {x: periods.map(daySeconds), zone: 'UTC', step: window, stacked: chart === 'stacked',
      series: drawn, yFormat: (v, axis) => (axis ? moneyShort(v, currency) : money(v, currency)), yLabel: currency,
      onPick: i => { if (!drawn[i].others) drill(drawn[i].label); }});
  } else {
    chartBox.append(empty('No charges in this range.', 'Widen the dates or remove a filter.'));
  }

  const grid2 = h('div', {class: 'grid two'});
  const eff = new Map((effective.rows || []).map(r => [`${r.section}|${r[by]}`, r.cost]));
  const discountRows = (list.rows || []).filter(r => r.section === 'usage' && !String(r[by]).startsWith('(') || r[by] === '(total)' && r.section === 'usage');
  grid2.append(card('List against effective cost',
    discountRows.length ? table([
      {label: by, value: r => r[by]},
      {label: 'List', cls: 'num', value: r => money(r.cost, list.currency)},
      {label: 'Effective', cls: 'num', value: r => money(eff.get(`usage|${r[by]}`) ?? 0, list.currency)},
      {label: 'Discount', cls: 'num', value: r => money(Number(r.cost) - Number(eff.get(`usage|${r[by]}`) ?? 0), list.currency)},
      {label: '%', cls: 'num', value: r => (Number(r.cost) === 0 ? '–' : pct(100 * (Number(r.cost) - Number(eff.get(`usage|${r[by]}`) ?? 0)) / Number(r.cost), false))},
    ], discountRows, {cls: 'data compact', rowClass: r => (r[by] === '(total)' ? 'total' : null)}) : empty('No usage charges.', null),
    h('p', {class: 'muted'}, 'ListCost is the public price; EffectiveCost is after negotiated discounts and commitments, amortised.')));
  const purchases = (nonUsage.rows || []).filter(r => r.section === 'non-usage');
  grid2.append(card('Purchases, credits and other non-usage charges',
    purchases.length ? table([
      {label: 'Category', value: r => r.ChargeCategory},
      {label: 'Service', value: r => r.ServiceName},
      {label: 'Cost', cls: 'num', value: r => money(r.cost, nonUsage.currency)},
    ], purchases, {cls: 'data compact', rowClass: r => (String(r.ServiceName).startsWith('(') ? 'total' : null)})
      : empty('No purchases or credits in this range.', null),
    h('p', {class: 'muted'}, 'Consulting, support, commitments bought and credits: counted apart, never in the usage shares.')));
  root.append(grid2);

  const pk = (peaks.rows || []);
  root.append(card(`Peaks per ${window === 'day' ? 'week' : window}`,
    pk.length ? table([
      {label: 'Kind', value: r => r.kind},
      {label: 'Rank', cls: 'num', value: r => r.rank},
      {label: 'Period', value: r => r.period_start},
      {label: 'Cost', cls: 'num', value: r => money(r.cost, peaks.currency)},
      {label: 'Before', cls: 'num', value: r => (r.previous_cost === null ? '–' : money(r.previous_cost, peaks.currency))},
      {label: 'Change', cls: 'num', value: r => (r.change === null ? '–' : h('span', {class: trend(r.change)}, `${money(r.change, peaks.currency)} (${pct(r.change_percent)})`))},
    ], pk, {cls: 'data compact'}) : empty('No peaks.', null)));
}

function labelOf(metric) {
  return {billed: 'Billed cost', effective: 'Effective cost', list: 'List cost'}[metric];
}

function breadcrumb(filters, by, state, app) {
  const crumbs = [h('a', {href: app.href('cost', {...state, filter: [], by: filters.length ? filters[0].split('=')[0] : by})}, 'All costs')];
  filters.forEach((f, i) => {
    const col = f.slice(0, f.indexOf('='));
    const val = f.slice(f.indexOf('=') + 1) || NONE;
    const next = filters[i + 1] ? filters[i + 1].split('=')[0] : by;
    crumbs.push(h('span', {class: 'sep'}, '›'));
    crumbs.push(i === filters.length - 1 ? h('span', {class: 'crumb current'}, `${col} = ${val}`)
      : h('a', {href: app.href('cost', {...state, filter: filters.slice(0, i + 1), by: next})}, `${col} = ${val}`));
  });
  crumbs.push(h('span', {class: 'sep'}, '›'), h('span', {class: 'crumb by'}, `by ${by}`));
  return h('nav', {class: 'breadcrumb', id: 'breadcrumb', 'aria-label': 'Drill-down'}, crumbs);
}

function controls(state, app) {
  const form = h('form', {class: 'controls', id: 'cost-form'},
    field('Group by', h('input', {name: 'by', value: state.by, list: 'cost-columns', size: 16}), 'FOCUS column or tag:KEY'),
    h('datalist', {id: 'cost-columns'}, COLUMNS.map(c => h('option', {value: c}))),
    field('From', h('input', {type: 'date', name: 'from', value: state.from})),
    field('To (exclusive)', h('input', {type: 'date', name: 'to', value: state.to})),
    field('Series', select('window', [['day', 'Daily'], ['week', 'Weekly'], ['month', 'Monthly']], state.window)),
    field('Time zone', h('input', {name: 'tz', value: state.tz || 'UTC', list: 'cost-zones', size: 14}), 'days and months in this zone'),
    h('datalist', {id: 'cost-zones'}, ['UTC', 'Europe/Paris', 'America/New_York', 'America/Los_Angeles', 'Asia/Tokyo'].map(z => h('option', {value: z}))),
    field('Cost', select('cost', [['billed', 'Billed'], ['effective', 'Effective'], ['list', 'List']], state.cost)),
    field('Charges', select('charges', [['usage', 'Usage'], ['all', 'All'], ['non-usage', 'Non-usage']], state.charges)),
    field('Chart', select('chart', [['stacked', 'Stacked areas'], ['lines', 'Lines']], state.chart)),
    h('button', {type: 'submit', class: 'primary'}, 'Show'));
  form.addEventListener('change', e => { if (e.target.tagName === 'SELECT') form.requestSubmit(); });
  form.addEventListener('submit', e => {
    e.preventDefault();
    const fd = new FormData(form);
    app.go('cost', {...state, by: fd.get('by') || 'ServiceName', from: fd.get('from'), to: fd.get('to'),
      window: fd.get('window'), cost: fd.get('cost'), charges: fd.get('charges'), chart: fd.get('chart'),
      tz: fd.get('tz') && fd.get('tz') !== 'UTC' ? fd.get('tz') : undefined});
  });
  return form;
}

function growthForm(state, app) {
  const form = h('form', {class: 'inline', id: 'growth-form'},
    field('Base', h('input', {name: 'base', value: state.base, size: 12})),
    field('Compare', h('input', {name: 'compare', value: state.compare, size: 22})),
    h('button', {type: 'submit'}, 'Compare'));
  form.addEventListener('submit', e => {
    e.preventDefault();
    const fd = new FormData(form);
    app.go('cost', {...state, base: fd.get('base'), compare: fd.get('compare')});
  });
  return form;
}
