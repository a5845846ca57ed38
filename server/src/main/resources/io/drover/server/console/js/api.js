// The coordinator's HTTP API, as the console calls it: same origin, the session cookie (or a
// client certificate) proves who calls, every write says Content-Type: application/json and
// X-Drover-Client, which the server's CrossSiteGuard asks of every POST.

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message || 'HTTP ' + status);
    this.status = status;
    this.body = body;
  }
}

const unauthenticated = new Set();

/** fn runs whenever the API answers 401: the session ended or was never opened. */
export function onUnauthenticated(fn) {
  unauthenticated.add(fn);
}

export async function call(method, path, body, extraHeaders) {
  const headers = { Accept: 'application/json', 'X-Drover-Client': 'console', ...extraHeaders };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (method !== 'GET' && method !== 'DELETE') headers['Content-Type'] = 'application/json';
  if (body !== undefined) init.body = JSON.stringify(body);
  let resp;
  try {
    resp = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, { message: 'cannot reach the coordinator (' + e.message + ')' });
  }
  const text = await resp.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = { message: text.slice(0, 200) };
    }
  }
  if (resp.status === 401 && !path.startsWith('/v1/session')) unauthenticated.forEach((fn) => fn());
  if (!resp.ok) throw new ApiError(resp.status, data);
  return data;
}

export const get = (path) => call('GET', path);
export const post = (path, body) => call('POST', path, body);
export const put = (path, body, headers) => call('PUT', path, body, headers);
export const del = (path) => call('DELETE', path);

/** A query string from the non-empty values of params ('' when none). */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== null && v !== undefined && v !== '') q.set(k, Array.isArray(v) ? v.join(',') : v);
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

export const enc = encodeURIComponent;
