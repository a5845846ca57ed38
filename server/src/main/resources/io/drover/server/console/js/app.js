// The console's shell: who is signed in, the router (#/page/arg?query), the nav bar and the live
// feed each page follows.
import * as api from './api.js';
import { fill, h, toast } from './dom.js';
import { Live } from './live.js';
import * as overview from './pages/overview.js';
import * as tasks from './pages/tasks.js';
import * as task from './pages/task.js';
import * as workers from './pages/workers.js';
import * as items from './pages/items.js';
import * as types from './pages/types.js';
import * as signin from './pages/signin.js';

const PAGES = { overview, tasks, task, workers, items, types };
const ROLES = ['reader', 'submitter', 'operator', 'admin'];

const main = document.getElementById('main');
const liveStatus = document.getElementById('live-status');
const live = new Live((mode) => {
  liveStatus.dataset.mode = mode;
  liveStatus.textContent = { live: 'live', polling: 'polling', reconnecting: 'reconnecting' }[mode] || mode;
});

const ctx = {
  api,
  live,
  session: null,
  /** Whether the caller holds a role that includes needed. */
  can(needed) {
    const want = ROLES.indexOf(needed);
    return (this.session?.roles || []).some((r) => ROLES.indexOf(r) >= want);
  },
  navigate(hash) {
    if (location.hash === hash) route();
    else location.hash = hash;
  },
};

let current = null;
let unsubscribe = null;

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, q] = raw.split('?');
  const [name, ...rest] = path.split('/');
  return {
    name: name || 'overview',
    arg: rest.length ? decodeURIComponent(rest.join('/')) : null,
    params: new URLSearchParams(q || ''),
  };
}

function teardown() {
  unsubscribe?.();
  unsubscribe = null;
  try {
    current?.destroy?.();
  } catch (e) {
    console.error(e);
  }
  current = null;
}

function route() {
  if (!ctx.session) return;
  teardown();
  liveStatus.hidden = false;
  const where = parseHash();
  const page = PAGES[where.name] || overview;
  for (const a of document.querySelectorAll('#nav a')) {
    const name = where.name === 'task' ? 'tasks' : where.name;
    a.classList.toggle('active', a.dataset.page === name);
  }
  main.replaceChildren();
  document.title = (page.title || 'Drover') + ' · Drover console';
  current = page.mount(main, where, ctx) || {};
  unsubscribe = live.subscribe((ev) => current?.onEvent?.(ev));
  live.follow(current.stream || {});
}

function showSignIn(message) {
  teardown();
  live.stop();
  liveStatus.hidden = true;
  ctx.session = null;
  renderWho();
  for (const a of document.querySelectorAll('#nav a')) a.classList.remove('active');
  document.title = 'Sign in · Drover console';
  signin.mount(main, { message }, async () => {
    await loadSession();
    route();
  });
}

function renderWho() {
  const who = document.getElementById('who');
  const out = document.getElementById('sign-out');
  const s = ctx.session;
  out.hidden = !(s && s.authentication && s.via === 'session');
  if (!s) fill(who);
  else if (!s.authentication) fill(who, h('span', { title: 'This coordinator has no authentication' }, 'no sign-in'));
  else fill(who, s.name, ' · ', (s.roles || []).join(', '));
}

async function loadSession() {
  ctx.session = await api.get('/v1/session');
  renderWho();
}

document.getElementById('sign-out').addEventListener('click', async () => {
  try {
    await api.del('/v1/session');
  } catch (e) {
    toast('Could not sign out: ' + e.message, 'error');
    return;
  }
  showSignIn('Signed out.');
});

api.onUnauthenticated(() => {
  if (ctx.session) showSignIn(ctx.session.authentication ? 'Your session ended: sign in again.' : null);
});
window.addEventListener('hashchange', route);

async function boot() {
  try {
    await loadSession();
  } catch (e) {
    if (e.status === 401) {
      showSignIn(null);
      return;
    }
    fill(main, h('div', { class: 'notice error' }, 'Cannot load the console: ' + e.message + ' ',
      h('button', { class: 'btn btn-small', type: 'button', onclick: boot }, 'Retry')));
    return;
  }
  route();
}

boot();
