// Overview: leader and epoch, coordinators, workers, tasks per state and per type, throughput, and
// what just happened.
import { get } from '../api.js';
import { badge, clock, errorText, fill, h, number, table, throttle, time } from '../dom.js';
import { Throughput } from './throughput.js';
import { counts } from './types.js';

export const title = 'Overview';
const STATES = ['pending', 'assigned', 'running', 'finished'];
const MAX_ACTIVITY = 10;

function card(id, label, value, detail) {
  const name = typeof value === 'string' && !/^[\d.,—]+$/.test(value);
  return h('div', { class: 'card', id }, h('div', { class: 'label' }, label), h('div', { class: name ? 'value name' : 'value' }, value),
    detail ? h('div', { class: 'detail' }, detail) : null);
}

/** The states to show: the finished ones split when the leader has counted them. */
function statesOf(tasks) {
  return typeof tasks.succeeded === 'number'
    ? ['pending', 'assigned', 'running', 'succeeded', 'failed', 'cancelled'] : STATES;
}

function stateBar(tasks) {
  const states = statesOf(tasks);
  const total = states.reduce((s, k) => s + (tasks[k] || 0), 0);
  const bar = h('div', { class: 'stack' });
  for (const k of states) {
    if (!tasks[k]) continue;
    const seg = h('div', { class: 'seg seg-' + k, title: k + ': ' + tasks[k] });
    seg.style.width = ((100 * tasks[k]) / total).toFixed(2) + '%';
    bar.append(seg);
  }
  return h('div', {}, total ? bar : h('div', { class: 'stack empty-stack' }),
    h('div', { class: 'state-grid' }, states.map((k) => h('div', { class: 'state-cell', 'data-count': k },
      h('div', { class: 'state-label' }, h('span', { class: 'swatch seg-' + k }), k),
      h('div', { class: 'state-value' }, number(tasks[k] || 0)),
      h('div', { class: 'muted small' }, total ? Math.round((100 * (tasks[k] || 0)) / total) + '%' : '—')))));
}

export function mount(root) {
  const cards = h('div', { class: 'cards', id: 'overview-cards' });
  const states = h('div', { id: 'tasks-by-state' });
  const byType = h('div', { id: 'tasks-by-type' });
  const coordinators = h('div', { id: 'coordinators' });
  const activity = h('ul', { class: 'event-log', id: 'activity' });
  const chart = h('div', { class: 'chart', id: 'throughput-chart' });
  const errorBox = h('div');
  const throughput = new Throughput();
  const events = [];
  let cluster = null;
  let workers = [];

  function note(text, kind) {
    events.unshift({ at: Date.now(), text, kind });
    events.length = Math.min(events.length, MAX_ACTIVITY);
    fill(activity, events.map((e) => h('li', {}, h('span', { class: 'muted' }, clock(e.at)), ' ', e.kind ? badge(e.kind) : null, ' ', e.text)));
  }

  function renderCards() {
    if (!cluster) return;
    const cap = workers.reduce((s, w) => s + (w.capacity || 0), 0);
    const run = workers.reduce((s, w) => s + (w.tasks || 0), 0);
    const rate = throughput.rate();
    fill(cards,
      card('card-leader', 'Leader', cluster.leader || 'none',
        cluster.leader ? ['epoch ', h('strong', { id: 'epoch' }, number(cluster.epoch)),
          cluster.leaderSinceMs ? [' · since ', time(cluster.leaderSinceMs)] : null] : 'tasks wait until a coordinator leads'),
      card('card-coordinators', 'Coordinators', number((cluster.coordinators || []).length), 'leader and standbys'),
      card('card-workers', 'Workers', number(cluster.workers), run + ' running of ' + cap + ' slots'),
      card('card-tasks', 'Tasks', number(cluster.tasks?.total), number(cluster.tasks?.pending) + ' pending · ' + number(cluster.tasks?.running) + ' running'),
      card('card-throughput', 'Finished per second', rate === null ? '—' : rate.toFixed(rate < 10 ? 2 : 1),
        throughput.source() + ' · last minute'),
      card('card-items', 'Items', number(cluster.items), h('a', { href: '#/items' }, 'desired against served')));
    fill(chart, throughput.chart());
  }

  function renderCoordinators() {
    fill(coordinators, table([
      { title: 'Coordinator', class: 'id', cell: (c) => c.id },
      { title: 'Role', cell: (c) => (c.leader ? badge('LEADER') : h('span', { class: 'muted' }, 'standby')) },
      { title: 'API', class: 'wrap', cell: (c) => (c.apiUrl ? h('code', {}, c.apiUrl) : h('span', { class: 'muted' }, '—')) },
    ], cluster.coordinators || [], { key: (c) => c.id, empty: 'No coordinator announced.' }).el);
  }

  async function loadTypes() {
    let rows;
    let caption;
    try {
      const r = await get('/v1/types');
      rows = (r.types || []).map((t) => ({ type: t.type, counts: Object.fromEntries(counts(t)), breaker: t.breaker?.state }));
      caption = null;
    } catch (e) {
      if (e.status !== 404) throw e;
      const page = await get('/v1/tasks?limit=1000'); // an older coordinator: tally a sample
      const by = new Map();
      for (const t of page.tasks || []) {
        const c = by.get(t.type) || {};
        c[t.state.toLowerCase()] = (c[t.state.toLowerCase()] || 0) + 1;
        by.set(t.type, c);
      }
      rows = [...by].map(([type, c]) => ({ type, counts: c }));
      caption = 'Counted in the first ' + (page.tasks || []).length + ' tasks listed.';
    }
    const keys = [...new Set(rows.flatMap((r) => Object.keys(r.counts)))];
    fill(byType, table([
      { title: 'Type', class: 'id', cell: (r) => h('a', { href: '#/tasks?type=' + encodeURIComponent(r.type) }, r.type) },
      ...keys.map((k) => ({ title: k.replace(/([A-Z])/g, ' $1').toLowerCase(), class: 'num', cell: (r) => number(r.counts[k] ?? 0) })),
      { title: 'Breaker', cell: (r) => (r.breaker ? badge(r.breaker) : h('span', { class: 'muted' }, '—')) },
    ], rows, { key: (r) => r.type, empty: 'No task type yet.' }).el, caption ? h('p', { class: 'muted small pad' }, caption) : null);
  }

  let seq = 0;
  async function load() {
    const mine = ++seq;
    try {
      const [c, w] = await Promise.all([get('/v1/cluster'), get('/v1/workers')]);
      if (mine !== seq) return; // a later read is on its way
      if (cluster && c.leader !== cluster.leader) note((c.leader || 'nobody') + ' leads, epoch ' + c.epoch, 'LEADER');
      cluster = c;
      workers = w.workers || [];
      throughput.sample(c.tasks?.finished);
      fill(errorBox);
      renderCards();
      fill(states, stateBar(c.tasks || {}));
      renderCoordinators();
      await loadTypes();
    } catch (e) {
      fill(errorBox, h('div', { class: 'notice error' }, 'Cannot read the cluster: ' + errorText(e)));
    }
  }
  const reload = throttle(load, 2000);

  fill(root, h('div', { class: 'page-head' }, h('h1', {}, 'Overview')), errorBox, cards,
    h('div', { class: 'grid' },
      h('div', { class: 'panel' }, h('h2', {}, 'Tasks by state'), states),
      h('div', { class: 'panel' }, h('h2', {}, 'Finished tasks, last 5 minutes'), chart)),
    h('div', { class: 'grid' },
      h('div', { class: 'panel flush' }, h('h2', {}, 'Tasks by type'), byType),
      h('div', { class: 'panel flush' }, h('h2', {}, 'Coordinators'), coordinators)),
    h('div', { class: 'panel' }, h('h2', {}, 'Activity'), activity));
  fill(activity, h('li', { class: 'muted' }, 'Leader changes, workers joining and leaving, and breakers appear here.'));
  load();
  const redraw = setInterval(() => cluster && renderCards(), 5000);

  return {
    stream: {},
    onEvent(ev) {
      const d = ev.data || {};
      if (ev.kind === 'task' && d.task) {
        throughput.event(d.task);
        reload();
      } else if (ev.kind === 'leader') {
        note((d.leader || 'nobody') + ' leads, epoch ' + d.epoch, 'LEADER');
        reload();
      } else if (ev.kind === 'worker') {
        note('worker ' + d.workerId + ' ' + d.change, d.change === 'left' ? 'LOST' : d.worker?.state || 'ACTIVE');
        reload();
      } else if (ev.kind === 'breaker') {
        note('breaker of ' + d.type, d.breaker?.state || 'CLOSED');
        reload();
      } else if (ev.kind !== 'cutoff') {
        reload();
      }
    },
    destroy() { reload.cancel(); clearInterval(redraw); },
  };
}
