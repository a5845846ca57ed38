// Tasks: filter by state and type, find by id, page through (GET /v1/tasks), and new or changed
// tasks appear as the events arrive.
import { enc, get, query } from '../api.js';
import { badge, duration, errorText, fill, h, meter, table, throttle, time } from '../dom.js';

export const title = 'Tasks';
const STATES = ['WAITING', 'PENDING', 'ASSIGNED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'];
const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);
const RANK = { WAITING: -1, PENDING: 0, ASSIGNED: 1, RUNNING: 2 };

/** Whether task view a is later than b: a later run, a later attempt, or a later state. */
export function newer(a, b) {
  const key = (t) => [t.series || 1, t.attempt || 0, RANK[t.state] ?? 3];
  const [x, y] = [key(a), key(b)];
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] > y[i];
  return false;
}

export function taskLink(id) {
  return h('a', { href: '#/task/' + enc(id), class: 'task-link', title: id }, id);
}

export function runtime(t) {
  if (!t.startedAtMs) return h('span', { class: 'muted' }, '—');
  const end = t.finishedAtMs || (TERMINAL.has(t.state) ? null : Date.now());
  return end ? duration(end - t.startedAtMs) : h('span', { class: 'muted' }, '—');
}

export const COLUMNS = [
  { title: 'Task', class: 'id', cell: (t) => taskLink(t.id) },
  { title: 'Type', cell: (t) => t.type || '—' },
  { title: 'State', cell: (t) => badge(t.state) },
  { title: 'Attempt', class: 'num', cell: (t) => (t.maxAttempts ? t.attempt + ' / ' + t.maxAttempts : '—') },
  { title: 'Worker', cell: (t) => t.worker || h('span', { class: 'muted' }, '—') },
  {
    title: 'Progress',
    cell: (t) => (t.progress && t.state === 'RUNNING'
      ? meter(t.progress.percent, 100, t.progress.percent + '%') : h('span', { class: 'muted' }, '—')),
  },
  { title: 'Submitted', cell: (t) => time(t.submittedAtMs) },
  { title: 'Run time', class: 'num', cell: runtime },
];

export function mount(root, where, ctx) {
  const filters = {
    state: (where.params.get('state') || '').toUpperCase(),
    type: where.params.get('type') || '',
    limit: where.params.get('limit') || '50',
  };
  const tokens = [null]; // the page tokens that led here: index = page number - 1
  let page = 0;
  let nextToken = null;

  const stateSelect = h('select', { id: 'filter-state', 'aria-label': 'State' },
    h('option', { value: '' }, 'All states'),
    STATES.map((s) => h('option', { value: s, selected: s === filters.state }, s)));
  const typeInput = h('input', { id: 'filter-type', value: filters.type, placeholder: 'any type', list: 'known-types', size: 14 });
  const limitSelect = h('select', { id: 'filter-limit', 'aria-label': 'Page size' },
    ['25', '50', '100', '500'].map((n) => h('option', { value: n, selected: n === filters.limit }, n + ' per page')));
  const findInput = h('input', { id: 'find-id', placeholder: 'task id', size: 24 });
  const applyFilters = () => ctx.navigate('#/tasks' + query({
    state: stateSelect.value, type: typeInput.value.trim(), limit: limitSelect.value === '50' ? '' : limitSelect.value,
  }));
  stateSelect.addEventListener('change', applyFilters);
  limitSelect.addEventListener('change', applyFilters);
  typeInput.addEventListener('change', applyFilters);
  const findForm = h('form', { class: 'find', id: 'find-form' },
    h('label', { class: 'field' }, 'Find by id', h('span', { class: 'find-row' }, findInput,
      h('button', { class: 'btn', type: 'submit' }, 'Open'))));
  findForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const id = findInput.value.trim();
    if (id) ctx.navigate('#/task/' + enc(id));
  });

  const status = h('div', { class: 'muted', id: 'tasks-status' });
  const prev = h('button', { class: 'btn', type: 'button', id: 'page-prev', disabled: true }, '← Previous');
  const next = h('button', { class: 'btn', type: 'button', id: 'page-next', disabled: true }, 'Next →');
  const holder = h('div', { class: 'panel flush' });
  const errorBox = h('div');
  let rows = table(COLUMNS, [], { key: (t) => t.id });

  fill(root,
    h('div', { class: 'page-head' }, h('h1', {}, 'Tasks')),
    h('div', { class: 'toolbar' },
      h('label', { class: 'field' }, 'State', stateSelect),
      h('label', { class: 'field' }, 'Type', typeInput),
      h('label', { class: 'field' }, 'Page size', limitSelect),
      h('span', { class: 'spacer' }), findForm),
    h('datalist', { id: 'known-types' }),
    errorBox, holder,
    h('div', { class: 'pager' }, status, h('span', { class: 'spacer' }), prev, next));

  const matches = (t) => (!filters.state || t.state === filters.state) && (!filters.type || t.type === filters.type);

  // A load races with the events that arrive while it is in flight: its answer may have been read
  // before them. Those events are kept and applied again to what the load shows, when newer.
  let seq = 0;
  let held = null;

  async function load() {
    const mine = ++seq;
    held = [];
    try {
      const r = await get('/v1/tasks' + query({ state: filters.state, type: filters.type, limit: filters.limit, pageToken: tokens[page] }));
      if (mine !== seq) return;
      fill(errorBox);
      rows = table(COLUMNS, r.tasks || [], {
        key: (t) => t.id,
        empty: filters.state || filters.type ? 'No task matches these filters.' : 'No tasks yet.',
        rowAttrs: (t) => ({ 'data-task-id': t.id }),
      });
      fill(holder, rows.el);
      for (const t of held) if (!rows.has(t.id) || newer(t, rows.get(t.id))) apply(t);
      nextToken = r.nextPageToken || null;
      next.disabled = !nextToken;
      prev.disabled = page === 0;
      fill(status, 'Page ' + (page + 1) + ' · ' + (r.tasks || []).length + ' tasks' + (nextToken ? ' · more on the next pages' : ''));
    } catch (e) {
      if (mine === seq) fill(errorBox, h('div', { class: 'notice error' }, 'Cannot list tasks: ' + errorText(e)));
    } finally {
      if (mine === seq) held = null;
    }
  }

  function apply(t) {
    if (rows.has(t.id)) {
      if (matches(t)) rows.upsert({ ...rows.get(t.id), ...t, result: undefined }, { flash: true });
      else rows.remove(t.id);
    } else if (page === 0 && matches(t)) {
      rows.upsert(t, { flash: true, top: true });
      if (rows.size() > Number(filters.limit)) rows.remove(rows.last());
    }
  }
  const reload = throttle(load, 1000);
  next.addEventListener('click', () => { tokens[page + 1] = nextToken; page += 1; load(); });
  prev.addEventListener('click', () => { page = Math.max(0, page - 1); load(); });
  load();
  get('/v1/types').then((r) => fill(root.querySelector('#known-types'),
    (r.types || []).map((t) => h('option', { value: t.type })))).catch(() => {});

  return {
    stream: { kinds: 'task', types: filters.type },
    onEvent(ev) {
      if (ev.kind === 'task' && ev.data?.task) {
        apply(ev.data.task);
        held?.push(ev.data.task);
      } else if (ev.kind === 'gap' || ev.kind === 'ready' || (ev.kind === 'tick' && ev.mode !== 'live')) {
        reload();
      }
    },
    destroy() { reload.cancel(); },
  };
}
