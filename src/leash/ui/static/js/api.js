// The admin API, called with the session cookie like Unleash's own UI does.

export const base = document.querySelector('meta[name="leash-base"]')?.content || '';

export class ApiError extends Error {
  constructor(status, body) {
    super(messageOf(body) || `Request failed (${status})`);
    this.status = status;
    this.body = body;
  }

  // Every detail message with its path, as Unleash's BadDataError lists them.
  get details() {
    const details = this.body && Array.isArray(this.body.details) ? this.body.details : [];
    return details.length ? details : [{ message: this.message }];
  }
}

function messageOf(body) {
  if (!body || typeof body !== 'object') return typeof body === 'string' ? body : '';
  if (Array.isArray(body.details) && body.details.length === 1 && body.details[0].message) {
    return body.details[0].message;
  }
  return body.message || '';
}

let onUnauthorized = () => {};
export function setUnauthorizedHandler(handler) {
  onUnauthorized = handler;
}

export async function api(method, path, body) {
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(base + path, init);
  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  if (!response.ok) {
    const error = new ApiError(response.status, data);
    if (response.status === 401 && !path.startsWith('/auth/')) onUnauthorized(error);
    throw error;
  }
  return data;
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body);
export const put = (path, body) => api('PUT', path, body);
export const del = (path) => api('DELETE', path);
export const enc = encodeURIComponent;
