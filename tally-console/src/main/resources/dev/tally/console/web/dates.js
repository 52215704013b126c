// Calendar arithmetic on YYYY-MM-DD strings (no time zone: cost days and invoice periods are calendar days), and
// the "as of" day views anchor on.
import {get} from './api.js';

export function iso(d) {
  return d.toISOString().slice(0, 10);
}

export function addDays(day, n) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return iso(d);
}

export function monthStart(day) {
  return `${day.slice(0, 7)}-01`;
}

export function addMonths(day, n) {
  const d = new Date(`${monthStart(day)}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + n);
  return iso(d);
}

export function month(day) {
  return day.slice(0, 7);
}

export function monthName(day) {
  return new Intl.DateTimeFormat('en-GB', {month: 'long', year: 'numeric', timeZone: 'UTC'})
    .format(new Date(`${monthStart(day)}T00:00:00Z`));
}

export function daysBetween(a, b) {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86400000);
}

export function today() {
  return iso(new Date());
}

export const DAY = /^\d{4}-\d{2}-\d{2}$/;

let latest = null;

/**
 * The first day not yet known that views anchor on: the asOf parameter if given, else today, unless the tenant's
 * cost data ends before this month (the demo's year is 2024): then the day after its last charge, so that "this
 * month" is the latest month with data. Answers {asOf, fromData, lastDay}.
 */
export async function anchor(params) {
  const given = params.get('asOf');
  if (given && DAY.test(given)) return {asOf: given, fromData: false, given: true};
  if (latest === null) {
    latest = (async () => {
      const months = await get('/api/v1/reports/series', {window: 'month', charges: 'all'});
      if (!months.rows.length) return null;
      const last = months.rows[months.rows.length - 1].period_start;
      const days = await get('/api/v1/reports/series', {window: 'day', charges: 'all', from: last});
      return days.rows.length ? days.rows[days.rows.length - 1].period_start : last;
    })().catch(e => {
      latest = null;
      throw e;
    });
  }
  const lastDay = await latest;
  const t = today();
  if (lastDay === null || lastDay >= monthStart(t)) return {asOf: t, fromData: false, lastDay};
  return {asOf: addDays(lastDay, 1), fromData: true, lastDay};
}

/** Forgets the anchor (after the data changed). */
export function forgetAnchor() {
  latest = null;
}
