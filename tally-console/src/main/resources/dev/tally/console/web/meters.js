// Meters as the console shows them: their unit (the API has none, so it is read from the definition) and whether
// their values add up across groups and windows (only then are "others" and totals meaningful).
import {get, path} from './api.js';

let cache = null;

export async function meters() {
  if (cache === null) cache = get('/api/v1/meters').catch(e => { cache = null; throw e; });
  return cache;
}

export function forgetMeters() {
  cache = null;
}

/** The unit of a meter's values: tokens, characters, GB·h, events, distinct users. */
export function unit(m) {
  const prop = (m.valueProperty || '').replace(/^\$\.?/, '').split('.').pop();
  const word = prop ? prop.replace(/_/g, ' ') : '';
  const gb = /^gb$/i.test(word) ? 'GB' : word;
  switch (m.aggregation) {
    case 'COUNT': return m.eventType ? `${m.eventType.split('.').pop().replace(/_/g, ' ')}s` : 'events';
    case 'UNIQUE_COUNT': return `distinct ${gb}s`;
    case 'TIME_WEIGHTED_SUM': return `${gb}·h`;
    default: return gb || 'units';
  }
}

/** Whether values of different groups or windows may be added (sums and counts), not averages or latest values. */
export function additive(m) {
  return ['SUM', 'COUNT', 'TIME_WEIGHTED_SUM'].includes(m.aggregation);
}

/** The query route for this credential: the portal's for a portal token. */
export function queryPath(slug, portal) {
  return portal ? path('/api/v1/portal/meters', slug, 'query') : path('/api/v1/meters', slug, 'query');
}
