// Time-series charts on uPlot (vendored, MIT): lines or stacked areas, bands, zoom (drag; double-click resets),
// a tooltip and a click that picks the series under the pointer (for drill-down).
import {h, replace} from './dom.js';

/* global uPlot */

/**
 * Draws a chart into `box` and returns its uPlot instance.
 * opts: {x: seconds[], series: [{label, values, color, dash, points, band}], stacked, zone, yFormat(v),
 *        yLabel, bands: [[upperIndex, lowerIndex, fill]], onPick(seriesIndex, xIndex), height}
 */
export function timeChart(box, opts) {
  replace(box);
  box.classList.add('chart');
  const zone = opts.zone || 'UTC';
  const raw = opts.series.map(s => s.values);
  let data;
  if (opts.stacked) {
    const acc = opts.x.map(() => 0);
    data = [opts.x, ...raw.map(vals => vals.map((v, i) => (acc[i] += (v === null ? 0 : Number(v)))))];
  } else {
    data = [opts.x, ...raw.map(vals => vals.map(v => (v === null || v === undefined ? null : Number(v))))];
  }
  const yFormat = opts.yFormat || (v => String(v));
  const series = [{value: (u, ts) => (ts === null ? '–' : dateLabel(ts, zone, opts.step))}];
  opts.series.forEach((s, i) => {
    series.push({
      label: s.label,
      stroke: s.color,
      width: s.width || (s.dash ? 1 : 1.5),
      dash: s.dash,
      fill: opts.stacked ? s.color + '55' : (s.fill || undefined),
      points: s.points ? {show: true, size: 9, fill: s.color, stroke: '#fff', width: 1.5} : {show: false},
      paths: s.points ? () => null : undefined,
      spanGaps: false,
      value: (u, v, si, idx) => {
        const r = idx === null || idx === undefined ? null : raw[i][idx];
        return r === null || r === undefined ? '–' : yFormat(r);
      },
    });
  });
  const bands = [];
  if (opts.stacked) {
    for (let i = opts.series.length; i > 1; i--) bands.push({series: [i, i - 1], fill: opts.series[i - 1].color + '55'});
  }
  (opts.bands || []).forEach(([up, lo, fill]) => bands.push({series: [up, lo], fill}));
  if (opts.stacked) {
    // Each area fills down to the one beneath it (bands); only the lowest fills to zero.
    series.forEach((s, i) => { if (i > 1) s.fill = undefined; });
  }
  const tip = h('div', {class: 'tip', hidden: true});
  const width = Math.max(320, box.clientWidth || box.parentElement.clientWidth || 800);
  const u = new uPlot({
    width,
    height: opts.height || 320,
    tzDate: ts => uPlot.tzDate(new Date(ts * 1e3), zone),
    series,
    bands,
    scales: {x: {time: true}, y: {range: (u, min, max) => [Math.min(0, min), max > 0 ? max * 1.08 : 1]}},
    axes: [
      {stroke: '#4b5563', grid: {stroke: '#eef0f3'}, ticks: {stroke: '#d1d5db'}},
      {stroke: '#4b5563', grid: {stroke: '#eef0f3'}, ticks: {stroke: '#d1d5db'}, size: 72,
        values: (u, splits) => splits.map(v => yFormat(v, true)), label: opts.yLabel, labelSize: 18},
    ],
    legend: {live: true},
    cursor: {drag: {x: true, y: false}, points: {size: 7}},
    plugins: [tooltip(tip, raw, opts, yFormat, zone)],
  }, data, box);
  box.appendChild(tip);
  if (opts.onPick) {
    u.over.classList.add('pickable');
    u.over.addEventListener('click', () => {
      if (u.select.width > 2) return;
      const idx = u.cursor.idx;
      if (idx === null || idx === undefined) return;
      const y = u.posToVal(u.cursor.top, 'y');
      let pick = -1;
      if (opts.stacked) {
        for (let s = 1; s < data.length; s++) {
          if (data[s][idx] !== null && y <= data[s][idx]) { pick = s - 1; break; }
        }
        if (pick < 0) pick = data.length - 2;
      } else {
        let best = Infinity;
        for (let s = 1; s < data.length; s++) {
          const v = data[s][idx];
          if (v !== null && Math.abs(v - y) < best) { best = Math.abs(v - y); pick = s - 1; }
        }
      }
      if (pick >= 0) opts.onPick(pick, idx);
    });
  }
  const ro = new ResizeObserver(() => {
    const w = box.clientWidth;
    if (w > 0 && Math.abs(w - u.width) > 4) u.setSize({width: w, height: u.height});
  });
  ro.observe(box);
  box.dataset.series = String(opts.series.length);
  box.dataset.points = String(opts.x.length);
  return u;
}

function tooltip(tip, raw, opts, yFormat, zone) {
  return {
    hooks: {
      setCursor: u => {
        const idx = u.cursor.idx;
        if (idx === null || idx === undefined || u.cursor.left < 0) {
          tip.hidden = true;
          return;
        }
        const rows = opts.series.map((s, i) => [s, raw[i][idx]]).filter(([s, v]) => v !== null && v !== undefined && !s.hideInTip);
        const items = (opts.stacked ? rows.slice().reverse() : rows).slice(0, 12);
        replace(tip, h('div', {class: 'tip-date'}, dateLabel(u.data[0][idx], zone, opts.step)),
          items.map(([s, v]) => h('div', {class: 'tip-row'}, h('i', {color: s.color}), h('span', null, s.label),
            h('b', null, yFormat(v)))));
        tip.hidden = false;
        const left = u.cursor.left + 16;
        const overWidth = u.over.clientWidth;
        tip.style.left = `${(left + 240 > overWidth ? u.cursor.left - 250 : left) + u.over.offsetLeft}px`;
        tip.style.top = `${Math.max(0, u.cursor.top - 20) + u.over.offsetTop}px`;
      },
    },
  };
}

/** A window start as people read it, in the chart's zone: 2024-11-14, 2024-11, 2024-11-14 13:00. */
export function dateLabel(ts, zone, step) {
  const d = new Date(ts * 1000);
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {timeZone: zone, year: 'numeric', month: '2-digit',
    day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23'}).formatToParts(d).map(p => [p.type, p.value]));
  if (step === 'MONTH' || step === 'month') return `${parts.year}-${parts.month}`;
  if (step === 'MINUTE' || step === 'HOUR') return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** A day YYYY-MM-DD as seconds at UTC midnight (cost days are calendar days; charts of them are drawn in UTC). */
export function daySeconds(day) {
  return Date.parse(`${day}T00:00:00Z`) / 1000;
}
