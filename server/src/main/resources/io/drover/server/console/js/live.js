// How pages learn of changes: the event stream (GET /v1/events, Server-Sent Events) when the
// coordinator serves it, else polling. Listeners get {kind, data} for each frame, and {kind: 'tick'}
// every few seconds while polling (and now and then while live, to catch what events do not carry,
// such as counts). 'ready' and 'gap' mean: reload what you show.
import { query } from './api.js';

const KINDS = ['ready', 'task', 'worker', 'leader', 'item', 'breaker', 'gap', 'cutoff'];
const POLL_MS = 3000;
const LIVE_TICK_MS = 15000;
const RETRY_STREAM_MS = 30000;

export class Live {
  constructor(onMode) {
    this.onMode = onMode;
    this.listeners = new Set();
    this.params = null;
    this.source = null;
    this.mode = 'connecting';
    this.tickTimer = null;
    this.retryTimer = null;
  }

  subscribe(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Follows the events a page wants ({kinds, ids, types}); reopens the stream if they changed. */
  follow(params) {
    const q = query(params || {});
    if (q === this.params && (this.source || this.retryTimer)) return;
    this.params = q;
    this.open();
  }

  open() {
    this.closeStream();
    if (typeof EventSource === 'undefined') {
      this.setMode('polling');
      return;
    }
    const source = new EventSource('/v1/events' + this.params);
    this.source = source;
    for (const kind of KINDS) source.addEventListener(kind, (e) => this.frame(kind, e));
    source.onopen = () => this.setMode('live');
    source.onerror = () => {
      if (source !== this.source) return;
      if (source.readyState === EventSource.CLOSED) {
        // Refused outright (a coordinator without /v1/events answers 404, or the session ended):
        // poll, and try the stream again now and then.
        this.source = null;
        this.setMode('polling');
        this.retryTimer = setTimeout(() => { this.retryTimer = null; this.open(); }, RETRY_STREAM_MS);
      } else {
        this.setMode('reconnecting'); // EventSource reconnects by itself, sending Last-Event-ID
      }
    };
  }

  frame(kind, e) {
    let data = null;
    try {
      data = e.data ? JSON.parse(e.data) : null;
    } catch {
      return;
    }
    if (kind === 'ready') this.setMode('live');
    this.emit({ kind, id: e.lastEventId, data });
  }

  emit(event) {
    for (const fn of [...this.listeners]) {
      try {
        fn(event);
      } catch (err) {
        console.error('a console page failed on a live event', err);
      }
    }
  }

  setMode(mode) {
    this.mode = mode;
    this.onMode?.(mode);
    clearInterval(this.tickTimer);
    const every = mode === 'live' ? LIVE_TICK_MS : POLL_MS;
    this.tickTimer = setInterval(() => this.emit({ kind: 'tick', mode: this.mode }), every);
  }

  closeStream() {
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (this.source) {
      this.source.close();
      this.source = null;
    }
  }

  stop() {
    this.closeStream();
    clearInterval(this.tickTimer);
    this.params = null;
  }
}
