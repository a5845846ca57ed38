// Finished tasks per second: counted from task events when the stream is live (each task once),
// else from the growth of the cluster's finished count between polls (which undercounts while the
// leader removes old tasks).
import { h } from '../dom.js';

const BUCKET_MS = 10000;
const BUCKETS = 30; // 5 minutes
const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

export class Throughput {
  constructor() {
    this.started = Date.now();
    this.buckets = new Map(); // bucket start -> finished count
    this.seen = new Map(); // task id -> when counted
    this.fromEvents = false;
    this.lastCount = null;
  }

  event(task) {
    if (!TERMINAL.has(task.state) || this.seen.has(task.id)) return;
    this.fromEvents = true;
    const now = Date.now();
    this.seen.set(task.id, now);
    this.add(now, 1);
    if (this.seen.size > 50000) this.prune(now);
  }

  sample(finished) {
    if (typeof finished !== 'number') return;
    if (!this.fromEvents && this.lastCount !== null) this.add(Date.now(), Math.max(0, finished - this.lastCount));
    this.lastCount = finished;
  }

  add(at, n) {
    const b = at - (at % BUCKET_MS);
    this.buckets.set(b, (this.buckets.get(b) || 0) + n);
  }

  prune(now) {
    for (const [id, at] of this.seen) if (at < now - BUCKETS * BUCKET_MS) this.seen.delete(id);
    for (const b of this.buckets.keys()) if (b < now - BUCKETS * BUCKET_MS) this.buckets.delete(b);
  }

  /** Per second over the last minute (or since the page opened); null before 5 s of data. */
  rate() {
    const now = Date.now();
    const span = Math.min(60000, now - this.started);
    if (span < 5000) return null;
    let n = 0;
    for (const [b, c] of this.buckets) if (b + BUCKET_MS > now - span) n += c;
    return n / (span / 1000);
  }

  source() {
    return this.fromEvents ? 'from events' : 'from counts';
  }

  chart() {
    const now = Date.now();
    const last = now - (now % BUCKET_MS);
    const values = [];
    for (let i = BUCKETS - 1; i >= 0; i--) {
      const b = last - i * BUCKET_MS;
      values.push({ b, n: b < this.started - BUCKET_MS ? null : this.buckets.get(b) || 0 });
    }
    const max = Math.max(1, ...values.map((v) => v.n || 0));
    const bars = values.map((v) => {
      const bar = h('div', { class: 'bar' + (v.n === null ? ' none' : ''), title: new Date(v.b).toLocaleTimeString() + ': ' + (v.n ?? 'no data') });
      bar.style.height = v.n ? Math.max(2, (100 * v.n) / max).toFixed(1) + '%' : '0';
      return bar;
    });
    return [h('div', { class: 'bars' }, bars),
      h('div', { class: 'chart-axis' }, h('span', {}, '5 min ago'), h('span', {}, 'peak ' + max + ' per 10 s'), h('span', {}, 'now'))];
  }
}
