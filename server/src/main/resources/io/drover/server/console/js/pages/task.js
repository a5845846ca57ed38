// One task: status, why it waits, live progress, result or error, a broadcast's responses, attempts,
// spec; Cancel and Re-run.
import { enc, get, post } from '../api.js';
import {
  badge, chips, clock, confirmDialog, duration, errorText, fill, h, json, meter, number, throttle, time, toast,
} from '../dom.js';
import { runtime, taskLink } from './tasks.js';

export const title = 'Task';
const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);
const RERUNNABLE = new Set(['FAILED', 'CANCELLED']);

function row(label, value) {
  return [h('dt', {}, label), h('dd', {}, value ?? h('span', { class: 'muted' }, '—'))];
}

/** The fencing token of the task's current attempt: its status has it once it ended. */
function token(t) {
  const attempts = Array.isArray(t.attempts) ? t.attempts : [];
  return t.fencingToken || attempts[attempts.length - 1]?.fencingToken || null;
}

function waiting(text) {
  const at = text.indexOf(': ');
  const code = at > 0 ? text.slice(0, at) : null;
  return h('div', { class: 'notice waiting', id: 'waiting-for' },
    h('strong', {}, 'Why it is pending: '), code ? h('code', { class: 'reason' }, code) : null,
    ' ', at > 0 ? text.slice(at + 2) : text);
}

function attemptsTable(attempts) {
  const rows = attempts.map((a, i) => {
    const end = a.endedAtMs || a.finishedAtMs || null;
    return h('tr', { 'data-attempt': a.attempt ?? i + 1 },
      h('td', { class: 'num' }, (a.series > 1 ? 'run ' + a.series + ' · ' : '') + (a.attempt ?? i + 1)),
      h('td', {}, a.workerId || a.worker || '—'),
      h('td', {}, a.startedAtMs ? clock(a.startedAtMs) : '—'),
      h('td', {}, end ? clock(end) : '—'),
      h('td', { class: 'num' }, a.startedAtMs && end ? duration(end - a.startedAtMs) : '—'),
      h('td', {}, badge(a.outcome || a.state || 'UNKNOWN')),
      h('td', { class: 'wrap error-text' }, a.error || ''));
  });
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'attempts' },
    h('thead', {}, h('tr', {}, ['#', 'Worker', 'Start', 'End', 'Took', 'Outcome', 'Error']
      .map((t) => h('th', {}, t)))), h('tbody', {}, rows)));
}

/** A broadcast: its policy and tally, and one row per worker's response (docs/broadcast.md). */
function broadcastPanel(t) {
  const b = t.broadcast;
  const tally = b.workers === undefined ? h('span', { class: 'muted' }, 'not fanned out yet')
    : b.succeeded + ' of ' + b.workers + ' succeeded (' + b.needed + ' needed)';
  const rows = (b.responses || []).map((r) => h('tr', { 'data-worker': r.workerId },
    h('td', {}, r.workerId),
    h('td', {}, r.state ? badge(r.state) : h('span', { class: 'muted' }, '—')),
    h('td', { class: 'num' }, r.attempt || '—'),
    h('td', { class: 'id' }, taskLink(r.taskId)),
    h('td', { class: 'wrap' + (r.error ? ' error-text' : '') }, r.error
      || (r.resultOmitted ? h('span', { class: 'muted' }, 'result omitted: see its task')
        : r.result !== undefined ? h('code', {}, JSON.stringify(r.result)) : ''))));
  return h('div', { class: 'panel flush', id: 'broadcast' }, h('h2', {}, 'Broadcast'),
    h('dl', { class: 'facts' }, row('Success', b.success), row('Gathers for', duration(b.gatherMs)),
      b.deadlineMs ? row('Deadline', [clock(b.deadlineMs), ' (', time(b.deadlineMs), ')']) : null,
      row('Responses', tally)),
    rows.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'responses' },
      h('thead', {}, h('tr', {}, ['Worker', 'State', 'Attempt', 'Task', 'Result or error']
        .map((c) => h('th', {}, c)))), h('tbody', {}, rows))) : null);
}

export function mount(root, where, ctx) {
  const id = where.arg || '';
  const head = h('div', { class: 'page-head' });
  const body = h('div');
  fill(root, h('p', { class: 'crumbs' }, h('a', { href: '#/tasks' }, '← Tasks')), head, body);
  let task = null;

  async function act(what, path, question, okLabel, done) {
    if (!(await confirmDialog(what + ' task?', question, okLabel))) return;
    try {
      const r = await post(path);
      toast(done(r), 'ok');
      load();
    } catch (e) {
      toast(what + ' failed: ' + (e.status === 404 || e.status === 405
        ? 'this coordinator cannot do that (' + errorText(e) + ')' : errorText(e)), 'error');
    }
  }

  function actions(t) {
    const out = [];
    if (!TERMINAL.has(t.state) && t.state !== 'UNREADABLE') {
      out.push(h('button', {
        class: 'btn btn-danger', id: 'cancel', type: 'button', disabled: !ctx.can('submitter'),
        title: ctx.can('submitter') ? 'Ask its worker to stop it' : 'Needs the submitter role',
        onclick: () => act('Cancel', '/v1/tasks/' + enc(id) + '/cancel',
          'The worker running it is asked to stop; a pending task never starts.', 'Cancel task',
          (r) => (r?.outcome === 'ALREADY_TERMINAL' ? 'The task had already ended.' : 'Cancellation requested.')),
      }, 'Cancel'));
    }
    if (RERUNNABLE.has(t.state)) {
      out.push(h('button', {
        class: 'btn btn-primary', id: 'rerun', type: 'button', disabled: !ctx.can('submitter'),
        title: ctx.can('submitter') ? 'Run it again from its first attempt' : 'Needs the submitter role',
        onclick: () => act('Re-run', '/v1/tasks/' + enc(id) + '/retry',
          'The task goes back to PENDING (WAITING if it has dependencies) with a fresh series of attempts; its history is kept.', 'Re-run',
          () => 'Re-run requested.'),
      }, 'Re-run'));
    }
    return out;
  }

  function render(t) {
    fill(head, h('h1', {}, 'Task ', h('span', { class: 'mono task-id', id: 'task-id' }, t.id)), badge(t.state),
      h('div', { class: 'actions' }, actions(t)));
    const sections = [];
    if (t.waitingFor) sections.push(waiting(t.waitingFor));
    if (t.state === 'RUNNING' || t.progress) {
      const p = t.progress;
      sections.push(h('div', { class: 'panel', id: 'progress' }, h('h2', {}, 'Progress'),
        p ? [meter(p.percent, 100, p.percent + '%', t.state === 'RUNNING' ? '' : 'good'),
          h('p', { class: 'progress-message' }, p.message || '', p.atMs ? h('span', { class: 'muted' }, ' · ', time(p.atMs)) : null)]
          : h('p', { class: 'muted' }, 'The handler has reported no progress.')));
    }
    sections.push(h('div', { class: 'grid' },
      h('div', { class: 'panel' }, h('h2', {}, 'Status'), h('dl', { class: 'facts' },
        row('Type', t.type), row('State', badge(t.state)),
        t.runAs ? row('Run as', [h('code', {}, t.runAs), ' (fallback: the breaker of ', t.type, ' was open)']) : null,
        row('Attempt', t.maxAttempts ? t.attempt + ' of ' + t.maxAttempts : null),
        row('Worker', t.worker ? h('a', { href: '#/workers' }, t.worker) : null),
        row('Submitted', t.submittedAtMs ? [clock(t.submittedAtMs), ' (', time(t.submittedAtMs), ')'] : null),
        row('Started', t.startedAtMs ? clock(t.startedAtMs) : null),
        row('Finished', t.finishedAtMs ? clock(t.finishedAtMs) : null),
        row('Run time', runtime(t)),
        t.notBeforeMs ? row('Not before', [clock(t.notBeforeMs), ' (', time(t.notBeforeMs), ')']) : null,
        t.broadcast?.parentId ? row('Broadcast', h('span', { id: 'parent' }, 'response of ',
          taskLink(t.broadcast.parentId), ', on ', t.broadcast.targetWorker, ' only')) : null,
        t.submittedBy ? row('Submitted by', t.submittedBy) : null)),
      h('div', { class: 'panel' }, h('h2', {}, 'Spec'), h('dl', { class: 'facts' },
        row('Priority', t.priority ?? null), row('Timeout', t.timeoutMs ? duration(t.timeoutMs) : 'none'),
        row('Required labels', chips(t.labels || {})),
        row('Fencing token', token(t) ? h('code', {}, number(token(t))) : null)),
        h('h2', { class: 'sub' }, 'Payload'), t.payload !== undefined ? json(t.payload) : h('p', { class: 'muted' }, 'none'))));
    if (t.error) {
      sections.push(h('div', { class: 'panel', id: 'error' }, h('h2', {}, t.state === 'FAILED' ? 'Error' : 'Last error'),
        h('pre', { class: 'error-text' }, t.error)));
    }
    if (t.broadcast?.success) sections.push(broadcastPanel(t));
    if (t.result !== undefined && t.result !== null && !t.broadcast?.responses) {
      sections.push(h('div', { class: 'panel', id: 'result' }, h('h2', {}, 'Result'), json(t.result)));
    }
    if (Array.isArray(t.attempts) && t.attempts.length) {
      sections.push(h('div', { class: 'panel flush' }, h('h2', {}, 'Attempts'), attemptsTable(t.attempts)));
    }
    fill(body, sections);
  }

  let seq = 0;
  async function load() {
    const mine = ++seq;
    try {
      const t = await get('/v1/tasks/' + enc(id));
      if (mine !== seq) return; // a later read is on its way
      task = t;
      render(task);
    } catch (e) {
      if (mine !== seq) return;
      fill(head, h('h1', {}, 'Task ', h('span', { class: 'mono' }, id)));
      fill(body, h('div', { class: 'notice error', id: 'task-error' }, e.status === 404
        ? 'No task ' + id + ' (it may have been removed after its retention time).' : 'Cannot read the task: ' + errorText(e)));
    }
  }
  const reload = throttle(load, 500);
  load();

  return {
    stream: { kinds: 'task', ids: id },
    onEvent(ev) {
      if (ev.kind === 'task' && ev.data?.task?.id === id) reload();
      else if (ev.kind === 'gap' || ev.kind === 'ready' || (ev.kind === 'tick' && (ev.mode !== 'live' || task?.state === 'PENDING' || task?.state === 'WAITING'))) reload();
    },
    destroy() { reload.cancel(); },
  };
}
