// Workers: capacity, running tasks, labels, state, items, and Drain.
import { enc, get, post } from '../api.js';
import { badge, chips, confirmDialog, errorText, fill, h, meter, number, table, throttle, time, toast } from '../dom.js';

export const title = 'Workers';

function card(label, value, detail, id) {
  return h('div', { class: 'card', id }, h('div', { class: 'label' }, label),
    h('div', { class: 'value' }, value), detail ? h('div', { class: 'detail' }, detail) : null);
}

export function mount(root, where, ctx) {
  const summary = h('div', { class: 'cards' });
  const holder = h('div', { class: 'panel flush' });
  const errorBox = h('div');
  let rows = null;

  async function drain(w) {
    const ok = await confirmDialog('Drain ' + w.id + '?',
      'It takes no new task, finishes what it runs (handing back what outlasts its drain grace), then leaves the cluster.',
      'Drain worker');
    if (!ok) return;
    try {
      const r = await post('/v1/workers/' + enc(w.id) + '/drain');
      toast(r?.outcome === 'ALREADY_DRAINING' ? w.id + ' was already draining.' : 'Drain requested for ' + w.id + '.', 'ok');
      load();
    } catch (e) {
      toast('Drain failed: ' + errorText(e), 'error');
    }
  }

  const columns = [
    { title: 'Worker', class: 'id', cell: (w) => h('span', { title: w.id }, w.id) },
    {
      title: 'State',
      cell: (w) => [badge(w.state), w.drainRequested && w.state === 'ACTIVE' ? h('span', { class: 'tag' }, 'drain requested') : null,
        w.rejected ? h('div', { class: 'muted small' }, w.rejected) : null],
    },
    {
      title: 'Running',
      cell: (w) => meter(w.tasks, w.capacity, w.tasks + ' / ' + w.capacity,
        w.capacity && w.tasks >= w.capacity ? 'warn' : ''),
    },
    { title: 'Items', class: 'num', cell: (w) => (w.servesItems ? number(w.items) : h('span', { class: 'muted' }, '—')) },
    { title: 'Task types', class: 'wrap', cell: (w) => chips(w.taskTypes || []) },
    { title: 'Labels', class: 'wrap', cell: (w) => chips(w.labels || {}) },
    { title: 'Host', cell: (w) => w.host || '—' },
    { title: 'Version', cell: (w) => w.version || '—' },
    { title: 'Up since', cell: (w) => time(w.startedAtMs) },
    {
      title: '',
      cell: (w) => h('button', {
        class: 'btn btn-small btn-danger drain', type: 'button', 'data-worker': w.id,
        disabled: !ctx.can('operator') || w.state !== 'ACTIVE' || w.drainRequested,
        title: ctx.can('operator') ? 'Take nothing new, finish, leave' : 'Needs the operator role',
        onclick: () => drain(w),
      }, 'Drain'),
    },
  ];

  function renderSummary() {
    const all = [];
    for (const id of rows ? [...ids] : []) all.push(rows.get(id));
    const cap = all.reduce((s, w) => s + (w.capacity || 0), 0);
    const run = all.reduce((s, w) => s + (w.tasks || 0), 0);
    const draining = all.filter((w) => w.state === 'DRAINING' || w.drainRequested).length;
    const rejected = all.filter((w) => w.state === 'REJECTED').length;
    fill(summary,
      card('Workers', number(all.length), draining || rejected ? draining + ' draining, ' + rejected + ' rejected' : 'all active', 'workers-count'),
      card('Capacity', number(cap), 'task slots'),
      card('Running', number(run), cap ? Math.round((100 * run) / cap) + '% of capacity' : null),
      card('Serving items', number(all.filter((w) => w.servesItems).length), number(all.reduce((s, w) => s + (w.items || 0), 0)) + ' items served'));
  }

  const ids = new Set();
  function upsert(w, flash) {
    ids.add(w.id);
    rows.upsert(w, { flash });
  }

  // As on the tasks page: events that arrive while a load is in flight are applied again after it.
  let seq = 0;
  let held = null;
  async function load() {
    const mine = ++seq;
    held = [];
    try {
      const r = await get('/v1/workers');
      if (mine !== seq) return;
      fill(errorBox);
      ids.clear();
      rows = table(columns, [], {
        key: (w) => w.id, empty: 'No live worker. Start one with `drover worker CONFIG.yml`.',
        rowAttrs: (w) => ({ 'data-worker-id': w.id, 'data-state': w.state }),
      });
      (r.workers || []).forEach((w) => upsert(w, false));
      fill(holder, rows.el);
      held.forEach(apply);
      renderSummary();
    } catch (e) {
      if (mine === seq) fill(errorBox, h('div', { class: 'notice error' }, 'Cannot list workers: ' + errorText(e)));
    } finally {
      if (mine === seq) held = null;
    }
  }

  function apply(d) {
    if (d.change === 'left' || !d.worker) {
      rows.remove(d.workerId);
      ids.delete(d.workerId);
    } else {
      upsert(d.worker, true);
    }
  }
  const reload = throttle(load, 1000);

  fill(root, h('div', { class: 'page-head' }, h('h1', {}, 'Workers')), errorBox, summary, holder);
  load();

  return {
    stream: { kinds: 'worker' },
    onEvent(ev) {
      if (ev.kind === 'worker' && rows && ev.data?.workerId) {
        apply(ev.data);
        held?.push(ev.data);
        renderSummary();
      } else if (ev.kind === 'gap' || ev.kind === 'ready' || ev.kind === 'tick') {
        reload();
      }
    },
    destroy() { reload.cancel(); },
  };
}
