// DOM helpers. Text from the API only ever becomes text nodes or attribute values, never markup,
// so a task payload or an error message cannot inject script (and the CSP forbids inline script).

/** Builds an element: attrs are attributes, except class, on* (listeners) and hidden/disabled. */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces an element's content. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

const BADGE_CLASS = /[^a-z_]/g;

/** A coloured state badge (task, worker, item, breaker or attempt state). */
export function badge(state, extra) {
  const s = String(state || 'unknown');
  return h('span', { class: 'badge s-' + s.toLowerCase().replace(BADGE_CLASS, ''), 'data-state': s },
    s.replace(/_/g, ' '), extra);
}

export function chips(values) {
  const list = Array.isArray(values)
    ? values : Object.entries(values || {}).map(([k, v]) => k + '=' + v);
  if (list.length === 0) return h('span', { class: 'muted' }, '—');
  return h('span', { class: 'chips' }, list.map((v) => h('span', { class: 'chip' }, v)));
}

/** A horizontal meter: value out of max, with a label. */
export function meter(value, max, label, tone) {
  const pct = max > 0 ? Math.max(0, Math.min(100, (100 * value) / max)) : 0;
  const bar = h('div', { class: 'fill' + (tone ? ' ' + tone : '') });
  bar.style.width = pct.toFixed(1) + '%'; // CSSOM, which the CSP allows (a style attribute it would not)
  return h('div', { class: 'meter' }, h('div', { class: 'track' }, bar),
    h('span', { class: 'text' }, label ?? value + ' / ' + max));
}

export function json(value) {
  return h('pre', { class: 'json' }, JSON.stringify(value, null, 2));
}

export function time(ms) {
  if (!ms) return h('span', { class: 'muted' }, '—');
  const d = new Date(ms);
  return h('time', { datetime: d.toISOString(), title: d.toISOString() }, ago(ms));
}

export function ago(ms) {
  const s = Math.round((Date.now() - ms) / 1000);
  if (s < -5) return 'in ' + duration(-s * 1000);
  if (s < 5) return 'just now';
  return duration(s * 1000) + ' ago';
}

export function duration(ms) {
  if (ms === null || ms === undefined || ms < 0) return '—';
  if (ms < 1000) return ms + ' ms';
  const s = ms / 1000;
  if (s < 60) return (s < 10 ? s.toFixed(1) : Math.round(s)) + ' s';
  const m = Math.floor(s / 60);
  if (m < 60) return m + ' min ' + Math.round(s % 60) + ' s';
  const hr = Math.floor(m / 60);
  if (hr < 48) return hr + ' h ' + (m % 60) + ' min';
  return Math.floor(hr / 24) + ' d ' + (hr % 24) + ' h';
}

export function clock(ms) {
  return ms ? new Date(ms).toLocaleTimeString() : '—';
}

export function number(n) {
  return n === null || n === undefined ? '—' : Number(n).toLocaleString();
}

/**
 * A table. columns: [{title, cell(row) -> node|string, class?}]; key(row) names a row for updates.
 * Returns {el, upsert(row, {flash, top}), remove(key), rows()}.
 */
export function table(columns, rows, { key, empty = 'Nothing to show.', rowAttrs } = {}) {
  const tbody = h('tbody');
  const byKey = new Map();
  const emptyRow = h('tr', { class: 'empty-row' },
    h('td', { colspan: columns.length, class: 'empty' }, empty));
  const render = (row) => h('tr', rowAttrs ? rowAttrs(row) : {},
    columns.map((c) => h('td', { class: c.class }, c.cell(row))));
  const sync = () => {
    if (byKey.size === 0 && !emptyRow.isConnected) tbody.append(emptyRow);
    if (byKey.size > 0) emptyRow.remove();
  };
  const api = {
    el: h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { class: c.class }, c.title)))), tbody)),
    upsert(row, { flash = false, top = false } = {}) {
      const k = key(row);
      const tr = render(row);
      if (flash) tr.classList.add('flash');
      const old = byKey.get(k);
      if (old) old.tr.replaceWith(tr);
      else if (top) tbody.prepend(tr);
      else tbody.append(tr);
      byKey.set(k, { row, tr });
      sync();
    },
    remove(k) {
      const old = byKey.get(k);
      if (old) { old.tr.remove(); byKey.delete(k); sync(); }
    },
    has: (k) => byKey.has(k),
    get: (k) => byKey.get(k)?.row,
    size: () => byKey.size,
    last: () => [...byKey.keys()].pop(),
  };
  rows.forEach((r) => api.upsert(r));
  sync();
  return api;
}

export function toast(message, kind = '') {
  const t = h('div', { class: 'toast ' + kind, role: 'status' }, message);
  document.getElementById('toasts').append(t);
  setTimeout(() => t.remove(), kind === 'error' ? 8000 : 4000);
}

/** A modal asking to confirm; resolves true on the confirming button. */
export function confirmDialog(title, text, okLabel, danger = true) {
  return new Promise((resolve) => {
    const done = (v) => { dialog.close(); dialog.remove(); resolve(v); };
    const dialog = h('dialog', { class: 'confirm' },
      h('div', { class: 'dialog-body' }, h('h2', {}, title), h('p', {}, text)),
      h('div', { class: 'dialog-foot' },
        h('button', { class: 'btn', type: 'button', onclick: () => done(false) }, 'Keep'),
        h('button', { class: 'btn ' + (danger ? 'btn-danger' : 'btn-primary'), type: 'button',
          id: 'confirm-ok', onclick: () => done(true) }, okLabel)));
    dialog.addEventListener('cancel', () => resolve(false));
    document.body.append(dialog);
    dialog.showModal();
  });
}

/** Calls fn at most once per ms; calls during the wait coalesce into one at its end. */
export function throttle(fn, ms) {
  let timer = null;
  let pending = false;
  let last = 0;
  const run = () => { timer = null; pending = false; last = Date.now(); fn(); };
  const t = () => {
    if (timer) { pending = true; return; }
    const wait = Math.max(0, last + ms - Date.now());
    timer = setTimeout(run, wait);
  };
  t.cancel = () => { clearTimeout(timer); timer = null; };
  return t;
}

export function errorText(e) {
  return e?.body?.message || e?.message || String(e);
}
