// Usage explorer: a meter over a range, window size and time zone, grouped and filtered; a chart (lines or stacked
// areas, top N groups plus "others") with zoom and tooltips, the table beneath, and the same query as CSV.
import {h, card, table, empty, field, select, qty, colour, compact} from './dom.js';
import {get, download} from './api.js';
import {anchor, addDays, DAY} from './dates.js';
import {meters, unit, additive, queryPath} from './meters.js';
import {timeChart, dateLabel} from './chart.js';

const WINDOWS = [['MINUTE', 'Minute'], ['HOUR', 'Hour'], ['DAY', 'Day'], ['MONTH', 'Month']];
const ZONES = ['UTC', 'Europe/Paris', 'Europe/London', 'America/New_York', 'America/Los_Angeles', 'Asia/Tokyo',
  'Asia/Kolkata', 'Australia/Sydney'];

export async function render(root, params, app) {
  const list = app.portal ? await get('/api/v1/portal/meters') : await meters();
  root.append(h('div', {class: 'view-head'}, h('h1', null, 'Usage explorer'),
    app.portal ? h('p', {class: 'muted'}, `Usage of ${app.claims ? app.claims.s : 'your subject'} only (portal token).`) : null));
  if (!list.length) {
    root.append(empty('No meters to explore.', app.portal ? 'This portal token may query no meter of its tenant.'
      : 'Define a meter (POST /api/v1/meters or tally meters apply meters.yaml), then send events.'));
    return;
  }
  const slug = params.get('meter') || list[0].slug;
  const m = list.find(x => x.slug === slug) || {slug, groupBy: {}, aggregation: 'SUM'};
  const a = app.portal ? {asOf: addDays(new Date().toISOString().slice(0, 10), 1)} : await anchor(params);
  const to = DAY.test(params.get('to') || '') ? params.get('to') : a.asOf;
  const from = DAY.test(params.get('from') || '') ? params.get('from') : addDays(to, -30);
  const windowSize = params.get('window') || 'DAY';
  const zone = params.get('tz') || 'UTC';
  const groupBy = (params.get('groupBy') || '').split(',').filter(Boolean);
  const filters = params.getAll('filter').filter(f => f.includes('='));
  const subjects = params.getAll('subject').filter(Boolean);
  const chart = params.get('chart') === 'lines' ? 'lines' : 'stacked';
  const top = Math.max(1, Math.min(30, Number(params.get('top')) || 8));
  const u = unit(m);
  const adds = additive(m);

  const keys = Object.keys(m.groupBy || {});
  const form = h('form', {class: 'controls', id: 'usage-form'},
    field('Meter', select('meter', list.map(x => [x.slug, x.slug]), slug)),
    field('From', h('input', {type: 'date', name: 'from', value: from})),
    field('To (exclusive)', h('input', {type: 'date', name: 'to', value: to})),
    field('Window', select('window', WINDOWS, windowSize)),
    field('Time zone', h('input', {name: 'tz', value: zone, list: 'zones', size: 16}), null),
    h('datalist', {id: 'zones'}, ZONES.map(z => h('option', {value: z}))),
    h('fieldset', {class: 'checks'}, h('legend', null, 'Group by'),
      keys.concat(app.portal ? [] : ['subject']).map(k => h('label', null, h('input', {type: 'checkbox', name: 'groupBy', value: k, checked: groupBy.includes(k)}), k))),
    field('Filters', h('input', {name: 'filter', value: filters.join(', '), placeholder: keys.length ? `${keys[0]}=value, …` : 'key=value', size: 24}), 'key=value, comma-separated'),
    app.portal ? null : field('Subjects', h('input', {name: 'subject', value: subjects.join(', '), placeholder: 'customer-07, …', size: 18})),
    field('Chart', select('chart', [['stacked', 'Stacked areas'], ['lines', 'Lines']], chart)),
    field('Top', h('input', {type: 'number', name: 'top', min: 1, max: 30, value: top, size: 3})),
    h('button', {type: 'submit', class: 'primary'}, 'Show'));
  form.addEventListener('change', e => { if (e.target.name === 'meter') form.requestSubmit(); });
  form.addEventListener('submit', e => {
    e.preventDefault();
    const fd = new FormData(form);
    app.go('usage', {meter: fd.get('meter'), from: fd.get('from'), to: fd.get('to'), window: fd.get('window'),
      tz: fd.get('tz'), groupBy: fd.getAll('groupBy').join(','), chart: fd.get('chart'), top: fd.get('top'),
      filter: String(fd.get('filter') || '').split(',').map(s => s.trim()).filter(Boolean),
      subject: String(fd.get('subject') || '').split(',').map(s => s.trim()).filter(Boolean)});
  });
  root.append(card(null, form));

  const q = {from, to, windowSize, windowTimeZone: zone, groupBy: groupBy.length ? groupBy : undefined,
    subject: subjects.length ? subjects : undefined};
  for (const f of filters) {
    const i = f.indexOf('=');
    q[`filterGroupBy[${f.slice(0, i).trim()}]`] = f.slice(i + 1).trim();
  }
  const result = await get(queryPath(slug, app.portal), q);

  // One series per group: its label is its values; windows without a row are zero for sums, gaps otherwise.
  const label = r => groupBy.map(k => (k === 'subject' ? r.subject : (r.groupBy || {})[k]) ?? '(none)').join(' · ') || slug;
  const xs = [...new Set(result.data.map(r => r.windowStart))].sort();
  const index = new Map(xs.map((x, i) => [x, i]));
  const groups = new Map();
  for (const r of result.data) {
    const l = label(r);
    if (!groups.has(l)) groups.set(l, {label: l, values: xs.map(() => (adds ? 0 : null)), total: 0});
    const g = groups.get(l);
    g.values[index.get(r.windowStart)] = Number(r.value);
    g.total += Number(r.value);
  }
  const ranked = [...groups.values()].sort((x, y) => y.total - x.total);
  const shown = ranked.slice(0, top);
  const rest = ranked.slice(top);
  if (rest.length && adds) {
    shown.push({label: `others (${rest.length})`, values: xs.map((x, i) => rest.reduce((s, g) => s + (g.values[i] || 0), 0)),
      total: rest.reduce((s, g) => s + g.total, 0), others: true});
  }
  const title = `${slug} · ${u} per ${windowSize.toLowerCase()} · ${zone}`;
  const chartBox = h('div', {id: 'usage-chart'});
  const download_ = h('button', {type: 'button', id: 'download-csv', onclick: () => download(queryPath(slug, app.portal), q,
    `${slug}_${from}_${to}_${windowSize.toLowerCase()}.csv`, 'text/csv')}, 'Download CSV');
  root.append(card(title, chartBox, h('div', {class: 'card-foot'},
    h('span', {class: 'muted'}, `${result.data.length} rows from the API; ${groups.size} group${groups.size === 1 ? '' : 's'}`,
      rest.length ? (adds ? `, the smallest ${rest.length} summed as “others”` : `, ${rest.length} more not drawn (an ${m.aggregation.toLowerCase()} does not add up)`) : ''),
    download_)));
  if (!xs.length) {
    chartBox.append(empty('No usage in this range.', 'Widen the range, remove filters, or check that events reach this meter (GET /api/v1/events).'));
    return;
  }
  timeChart(chartBox, {x: xs.map(x => Date.parse(x) / 1000), zone, step: windowSize, stacked: chart === 'stacked' && adds,
    series: shown.map(g => ({label: g.label, values: g.values, color: g.others ? '#9ca3af' : colour(g.label)})),
    yFormat: (v, axis) => (axis ? compact(v) : qty(v, u)), yLabel: u});

  const cols = [{label: `Window (${zone})`, value: r => dateLabel(Date.parse(r.x) / 1000, zone, windowSize)}]
    .concat(shown.map((g, i) => ({label: g.label, cls: 'num', value: r => (r.v[i] === null ? '–' : qty(r.v[i]))})));
  if (adds && shown.length > 1) cols.push({label: 'Total', cls: 'num total', value: r => qty(r.v.reduce((s, v) => s + (v || 0), 0))});
  const rows = xs.map((x, i) => ({x, v: shown.map(g => g.values[i])}));
  root.append(card(`Table (${u})`, table(cols, rows.slice(0, 1000), {cls: 'data compact', rowData: r => ({window: r.x})}),
    rows.length > 1000 ? h('p', {class: 'muted'}, `First 1,000 of ${rows.length} windows; the CSV has them all.`) : null));
}
