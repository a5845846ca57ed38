// Task types: concurrency limit, live task cap, rate limit, circuit breaker (and what it does while
// open), its state and its transitions; operators edit a type's policy.
import { get } from '../api.js';
import { badge, clock, duration, errorText, fill, h, number, table, throttle, time, toast } from '../dom.js';
import { editType } from './type-editor.js';

export const title = 'Types';
const KNOWN = new Set(['type', 'policy', 'breaker', 'policyVersion', 'error']);
const MAX_LOG = 20;

function breakerPolicy(b) {
  if (!b) return h('span', { class: 'muted' }, 'none');
  return h('span', { title: 'open when at least ' + b.minCalls + ' of the last ' + b.windowSize + ' finished tasks ran and ' +
    Math.round(b.failureRateThreshold * 100) + '% failed; stays open ' + duration(b.openMs) },
  Math.round(b.failureRateThreshold * 100) + '% of ' + b.windowSize + ' (min ' + b.minCalls + '), open ' + duration(b.openMs));
}

function whileOpen(p) {
  if (!p?.breaker || !p.whenOpen || p.whenOpen === 'WAIT') return null;
  return h('div', { class: 'muted small' }, p.whenOpen === 'FALLBACK'
    ? ['while open: run as ', h('code', {}, p.fallbackType)] : 'while open: fail fast');
}

function rateLimit(r) {
  if (!r) return h('span', { class: 'muted' }, 'none');
  return r.perSecond + '/s, burst ' + r.burst;
}

function breakerState(s) {
  if (!s) return h('span', { class: 'muted' }, '—');
  const detail = [];
  if (s.state === 'OPEN' && s.openUntilMs) detail.push('until ' + clock(s.openUntilMs));
  if (typeof s.failureRate === 'number') detail.push(Math.round(s.failureRate * 100) + '% failing');
  return [badge(s.state), detail.length ? h('div', { class: 'muted small' }, detail.join(' · ')) : null,
    s.changedAtMs ? h('div', { class: 'muted small' }, 'since ', time(s.changedAtMs)) : null];
}

/** The count fields of a type (whatever numbers the API adds beside policy and breaker). */
export function counts(t) {
  return Object.entries(t).filter(([k, v]) => !KNOWN.has(k) && typeof v === 'number');
}

function label(key) {
  return key.replace(/([A-Z])/g, ' $1').toLowerCase();
}

export function mount(root, where, ctx) {
  const holder = h('div', { class: 'panel flush' });
  const errorBox = h('div');
  const log = [];
  const logList = h('ul', { class: 'event-log', id: 'breaker-log' });
  let types = [];

  function renderLog() {
    fill(logList, log.length ? log.map((e) => h('li', {}, h('span', { class: 'muted' }, clock(e.at)), ' ',
      h('code', {}, e.type), ' ', e.from ? [badge(e.from), ' → '] : null, badge(e.breaker?.state || 'NONE'),
      typeof e.breaker?.failureRate === 'number' ? h('span', { class: 'muted' }, ' at ' + Math.round(e.breaker.failureRate * 100) + '% failing') : null))
      : h('li', { class: 'muted' }, 'No breaker has changed state since this page opened.'));
  }

  async function edit(t) {
    if (await editType(t)) {
      toast('Saved the policy of ' + t.type + '.', 'ok');
      load();
    }
  }

  function render() {
    const countKeys = [...new Set(types.flatMap((t) => counts(t).map(([k]) => k)))];
    const columns = [
      { title: 'Type', class: 'id', cell: (t) => h('a', { href: '#/tasks?type=' + encodeURIComponent(t.type) }, t.type) },
      ...countKeys.map((k) => ({ title: label(k), class: 'num', cell: (t) => number(t[k]) })),
      { title: 'Concurrency limit', class: 'num', cell: (t) => (t.policy?.maxConcurrent ? number(t.policy.maxConcurrent) : h('span', { class: 'muted' }, 'none')) },
      { title: 'Live task cap', class: 'num', cell: (t) => (t.policy?.maxLiveTasks ? number(t.policy.maxLiveTasks) : h('span', { class: 'muted' }, 'none')) },
      { title: 'Rate limit', cell: (t) => rateLimit(t.policy?.rateLimit) },
      { title: 'Breaker policy', cell: (t) => [breakerPolicy(t.policy?.breaker), whileOpen(t.policy)] },
      { title: 'Breaker', cell: (t) => [breakerState(t.breaker), t.error ? h('div', { class: 'muted small' }, t.error) : null] },
      {
        title: '',
        cell: (t) => h('button', {
          class: 'btn btn-small edit-type', type: 'button', 'data-type': t.type, disabled: !ctx.can('operator'),
          title: ctx.can('operator') ? 'Edit its policy' : 'Needs the operator role', onclick: () => edit(t),
        }, 'Edit'),
      },
    ];
    fill(holder, table(columns, types, {
      key: (t) => t.type, empty: 'No task type known yet: types appear as workers announce them or policies are set.',
      rowAttrs: (t) => ({ 'data-type': t.type }),
    }).el);
  }

  // Transitions, seen as changes of state between two reads (a breaker event makes the page read
  // again at once, so with the event stream they show as they happen).
  function diff(next) {
    const at = Date.now();
    for (const t of next) {
      const was = types.find((o) => o.type === t.type)?.breaker?.state;
      const is = t.breaker?.state;
      if (loaded && is && was !== is) log.unshift({ at, type: t.type, from: was, breaker: t.breaker });
    }
    log.length = Math.min(log.length, MAX_LOG);
    renderLog();
  }

  let loaded = false;
  let seq = 0;
  async function load() {
    const mine = ++seq;
    try {
      const next = (await get('/v1/types')).types || [];
      if (mine !== seq) return; // a later read is on its way
      diff(next);
      types = next;
      loaded = true;
      holder.hidden = false;
      fill(errorBox);
      render();
    } catch (e) {
      holder.hidden = true;
      fill(errorBox, h('div', { class: e.status === 404 ? 'notice info' : 'notice error', id: 'types-unavailable' },
        e.status === 404 ? 'This coordinator does not serve task types (GET /v1/types): it runs an older Drover.'
          : 'Cannot list task types: ' + errorText(e)));
    }
  }
  const reload = throttle(load, 1000);

  const other = h('input', { id: 'edit-other', placeholder: 'another type', size: 16, 'aria-label': 'Type name' });
  const otherForm = h('form', { class: 'find-row', id: 'edit-other-form' }, other,
    h('button', { class: 'btn', type: 'submit', disabled: !ctx.can('operator') }, 'Set policy'));
  otherForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const name = other.value.trim();
    if (name) edit(types.find((t) => t.type === name) || { type: name, policy: null });
  });

  fill(root, h('div', { class: 'page-head' }, h('h1', {}, 'Task types'), h('div', { class: 'actions' }, otherForm)),
    errorBox, holder, h('div', { class: 'panel' }, h('h2', {}, 'Breaker transitions'), logList));
  renderLog();
  load();

  return {
    stream: { kinds: 'breaker' },
    onEvent(ev) {
      if (ev.kind !== 'cutoff') reload();
    },
    destroy() { reload.cancel(); },
  };
}
