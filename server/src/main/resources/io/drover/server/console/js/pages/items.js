// Items: desired replicas against what is served, who serves, loads and drops each, and the loads
// and drops as they happen.
import { get } from '../api.js';
import { badge, chips, clock, errorText, fill, h, meter, number, table, throttle, time } from '../dom.js';

export const title = 'Items';
const HEALTH = ['SERVED', 'UNDER_REPLICATED', 'UNSERVED', 'OVER_REPLICATED', 'CORRUPT'];
const MAX_LOG = 12;

const columns = [
  { title: 'Item', class: 'id', cell: (i) => h('span', { title: i.id }, i.id) },
  { title: 'State', cell: (i) => [badge(i.state), i.error ? h('div', { class: 'muted small' }, i.error) : null] },
  {
    title: 'Served / desired',
    cell: (i) => meter(Math.min(i.served, i.replicas), i.replicas || 1, i.served + ' / ' + i.replicas,
      i.served >= i.replicas ? 'good' : i.served === 0 ? 'bad' : 'warn'),
  },
  { title: 'Served by', class: 'wrap', cell: (i) => chips(i.servedBy || []) },
  { title: 'Loading', class: 'wrap', cell: (i) => chips(i.loading || []) },
  { title: 'Dropping', class: 'wrap', cell: (i) => chips(i.dropping || []) },
  { title: 'Labels', class: 'wrap', cell: (i) => chips(i.labels || {}) },
  { title: 'Updated', cell: (i) => time(i.updatedAtMs) },
];

export function mount(root) {
  const summary = h('div', { class: 'cards' });
  const holder = h('div', { class: 'panel flush' });
  const errorBox = h('div');
  const log = [];
  const logList = h('ul', { class: 'event-log', id: 'item-log' });
  let before = null; // item id -> the workers that served it at the last load

  function renderLog() {
    fill(logList, log.length ? log.map((e) => h('li', {},
      h('span', { class: 'muted' }, clock(e.at)), ' ', h('code', {}, e.workerId), e.served ? ' now serves ' : ' dropped ',
      h('code', {}, e.itemId))) : h('li', { class: 'muted' }, 'No load or drop since this page opened.'));
  }

  // Loads and drops, seen as changes in who serves what between two reads (an item event makes the
  // page read again at once, so with the event stream they show as they happen).
  function diff(items) {
    const now = new Map(items.map((i) => [i.id, new Set(i.servedBy || [])]));
    if (before) {
      const at = Date.now();
      for (const [itemId, ws] of now) {
        for (const w of ws) if (!before.get(itemId)?.has(w)) log.unshift({ at, itemId, workerId: w, served: true });
      }
      for (const [itemId, ws] of before) {
        for (const w of ws) if (!now.get(itemId)?.has(w)) log.unshift({ at, itemId, workerId: w, served: false });
      }
      log.length = Math.min(log.length, MAX_LOG);
      renderLog();
    }
    before = now;
  }

  let seq = 0;
  async function load() {
    const mine = ++seq;
    try {
      const r = await get('/v1/items');
      if (mine !== seq) return; // a later read is on its way
      const items = r.items || [];
      diff(items);
      fill(errorBox);
      fill(holder, table(columns, items, {
        key: (i) => i.id, empty: 'No items declared. PUT /v1/items/{id} declares one.',
        rowAttrs: (i) => ({ 'data-item-id': i.id, 'data-state': i.state }),
      }).el);
      const by = Object.fromEntries(HEALTH.map((s) => [s, 0]));
      items.forEach((i) => { by[i.state] = (by[i.state] || 0) + 1; });
      fill(summary,
        h('div', { class: 'card' }, h('div', { class: 'label' }, 'Items'), h('div', { class: 'value' }, number(items.length)),
          h('div', { class: 'detail' }, number(items.reduce((s, i) => s + i.replicas, 0)) + ' replicas wanted, ' +
            number(items.reduce((s, i) => s + i.served, 0)) + ' served')),
        HEALTH.filter((s) => by[s] || s === 'SERVED').map((s) => h('div', { class: 'card' },
          h('div', { class: 'label' }, s.replace(/_/g, ' ').toLowerCase()), h('div', { class: 'value' }, number(by[s])),
          h('div', { class: 'detail' }, badge(s)))));
    } catch (e) {
      fill(errorBox, h('div', { class: 'notice error' }, 'Cannot list items: ' + errorText(e)));
    }
  }
  const reload = throttle(load, 1000);

  fill(root, h('div', { class: 'page-head' }, h('h1', {}, 'Items')), errorBox, summary, holder,
    h('div', { class: 'panel' }, h('h2', {}, 'Loads and drops'), logList));
  renderLog();
  load();

  return {
    stream: { kinds: 'item,worker' },
    onEvent(ev) {
      if (ev.kind !== 'cutoff') reload();
    },
    destroy() { reload.cancel(); },
  };
}
