// Anomalies: the days whose cost left the model's expected band, with impact, percent and ranked root causes;
// opening one shows its series around the day with the expected band.
import {h, card, table, empty, field, money, moneyShort, pct, colour} from './dom.js';
import {get} from './api.js';
import {anchor, addDays, DAY} from './dates.js';
import {timeChart, daySeconds} from './chart.js';

export async function render(root, params, app) {
  const a = await anchor(params);
  const to = DAY.test(params.get('to') || '') ? params.get('to') : a.asOf;
  const from = DAY.test(params.get('from') || '') ? params.get('from') : addDays(to, -92);
  const by = params.get('by') || '';
  const minImpact = params.get('minImpact') || '';
  const minPercent = params.get('minPercent') || '';
  const state = {from, to, by, minImpact, minPercent, asOf: params.get('asOf')};
  const report = await get('/api/v1/reports/anomalies', {from, to, by: by || undefined, minImpact: minImpact || undefined,
    minPercent: minPercent || undefined});
  const rows = report.rows || [];
  const currency = report.currency;
  const chosen = params.get('day') ? rows.find(r => r.day === params.get('day') && (!params.get('series') || r.series === params.get('series'))) : null;

  root.append(h('div', {class: 'view-head'}, h('h1', null, 'Anomalies'),
    h('p', {class: 'muted'}, `Days from ${from} to ${addDays(to, -1)} whose cost left the band the model expected from the days before. ${report.notes && report.notes[0] ? report.notes[0] + '.' : ''}`)));
  const form = h('form', {class: 'controls', id: 'anomaly-form'},
    field('From', h('input', {type: 'date', name: 'from', value: from})),
    field('To (exclusive)', h('input', {type: 'date', name: 'to', value: to})),
    field('Series per', h('input', {name: 'by', value: by, list: 'cost-columns-a', placeholder: 'total', size: 14}), 'empty: the total'),
    h('datalist', {id: 'cost-columns-a'}, ['ServiceName', 'ResourceId', 'RegionId', 'SubAccountId'].map(c => h('option', {value: c}))),
    field('Min. impact', h('input', {name: 'minImpact', value: minImpact, placeholder: '0', size: 6}), currency || ''),
    field('Min. %', h('input', {name: 'minPercent', value: minPercent, placeholder: '10', size: 4})),
    h('button', {type: 'submit', class: 'primary'}, 'Show'));
  form.addEventListener('submit', e => {
    e.preventDefault();
    const fd = new FormData(form);
    app.go('anomalies', {...state, from: fd.get('from'), to: fd.get('to'), by: fd.get('by'), minImpact: fd.get('minImpact'), minPercent: fd.get('minPercent')});
  });
  root.append(card(null, form));

  const causes = r => h('ol', {class: 'causes'}, r.root_causes.map(c => h('li', null,
    h('a', {href: app.href('cost', {filter: [`${c.dimension}=${c.value}`], by: 'ResourceId', from: addDays(r.day, -14), to: addDays(r.day, 15)})},
      h('span', {class: 'swatch', color: colour(c.value)}, `${c.dimension} ${c.value}`)),
    h('small', {class: 'muted'}, ` ${money(c.contribution, currency)} (${pct(c.percent, false)})`))));
  root.append(card(`${rows.length} anomal${rows.length === 1 ? 'y' : 'ies'}`,
    rows.length ? table([
      {label: 'Day', value: r => r.day},
      {label: 'Series', value: r => r.series},
      {label: 'Actual', cls: 'num', value: r => money(r.actual, currency)},
      {label: 'Expected', cls: 'num', value: r => money(r.expected, currency)},
      {label: 'Impact', cls: 'num', value: r => h('span', {class: Number(r.impact) > 0 ? 'up' : 'down'}, money(r.impact, currency))},
      {label: '%', cls: 'num', value: r => pct(r.impact_percent)},
      {label: 'Score (σ)', cls: 'num', value: r => Number(r.score).toFixed(1)},
      {label: 'Root causes, ranked', value: causes},
    ], rows, {cls: 'data', onRow: r => app.go('anomalies', {...state, day: r.day, series: r.series}),
      rowClass: r => (chosen && r === chosen ? 'selected' : null), rowData: r => ({day: r.day})})
      : empty('No anomalies in this range.', 'Widen the dates or lower the thresholds (min. impact, min. %).')));

  if (!chosen) {
    if (rows.length) root.append(h('p', {class: 'muted'}, 'Open an anomaly to see its series around the day with the expected band.'));
    return;
  }
  const seriesFilter = chosen.series === 'total' ? [] : [chosen.series.replace(/^([^=]+)=\(none\)$/, '$1=')];
  const around = await get('/api/v1/reports/expected', {filter: seriesFilter, from: addDays(chosen.day, -28), to: addDays(chosen.day, 15) < to ? addDays(chosen.day, 15) : to,
    minImpact: minImpact || undefined, minPercent: minPercent || undefined});
  const days = around.rows || [];
  const box = h('div', {id: 'anomaly-chart'});
  root.append(card(`${chosen.series === 'total' ? 'Daily cost' : chosen.series} around ${chosen.day} (${currency || ''})`, box,
    h('div', {class: 'facts', id: 'anomaly-facts'},
      fact('Actual', money(chosen.actual, currency)), fact('Expected', money(chosen.expected, currency)),
      fact('Band', `${money(chosen.lower, currency)} – ${money(chosen.upper, currency)}`),
      fact('Impact', `${money(chosen.impact, currency)} (${pct(chosen.impact_percent)})`)),
    h('h3', null, 'Root causes'), causes(chosen),
    h('p', {class: 'muted'}, (report.notes || []).slice(2, 3).join(' '))));
  if (!days.length) {
    box.append(empty('No judged days around it.', null));
    return;
  }
  const v = k => days.map(d => (d[k] === null ? null : Number(d[k])));
  timeChart(box, {x: days.map(d => daySeconds(d.day)), zone: 'UTC', step: 'day', yLabel: currency,
    series: [
      {label: 'upper', values: v('upper'), color: '#93c5fd', dash: [4, 4], hideInTip: false},
      {label: 'lower', values: v('lower'), color: '#93c5fd', dash: [4, 4]},
      {label: 'expected', values: v('expected'), color: '#2563eb', dash: [6, 3]},
      {label: 'actual', values: v('actual'), color: '#111827', width: 2},
      {label: 'anomaly', values: days.map(d => (d.anomaly ? Number(d.actual) : null)), color: '#dc2626', points: true},
    ],
    bands: [[1, 2, 'rgba(59,130,246,0.15)']],
    yFormat: (x, axis) => (axis ? moneyShort(x, currency) : money(x, currency))});
}

function fact(label, value) {
  return h('div', {class: 'fact'}, h('span', {class: 'muted'}, label), h('b', null, value));
}
