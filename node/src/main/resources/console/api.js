// Calls the node's REST API (same origin) and turns its Elasticsearch-shaped errors into ApiError.

/** An error answer of the API: HTTP status, Elasticsearch error type and reason, and the index it names. */
export class ApiError extends Error {
  constructor(status, type, reason, index) {
    super(reason);
    this.status = status;
    this.type = type;
    this.reason = reason;
    this.index = index;
  }

  static from(status, body, text) {
    const e = body && body.error;
    if (e && typeof e === 'object') {
      let reason = e.reason || e.type || 'error';
      if (e.caused_by && e.caused_by.reason && !reason.includes(e.caused_by.reason)) {
        reason += ' (' + e.caused_by.reason + ')';
      }
      return new ApiError(status, e.type, reason, e.index);
    }
    if (typeof e === 'string') {
      return new ApiError(status, 'exception', e);
    }
    return new ApiError(status, 'exception', 'HTTP ' + status + (text ? ': ' + text.slice(0, 300) : ''));
  }
}

/** The session's CSRF token, sent with every change (the server refuses a change without it). */
let csrfToken = null;
/** Called when the node answers 401: the session ended (logged out elsewhere, expired, password changed). */
let onSessionEnded = () => {};

export function setCsrfToken(token) {
  csrfToken = token;
}

export function whenSessionEnds(callback) {
  onSessionEnded = callback;
}

/**
 * Sends {@code method path} with an optional JSON body; resolves to the parsed JSON answer, rejects with ApiError.
 * Authenticated by the session cookie; X-Requested-With keeps the node from asking the browser for a password.
 */
export async function api(method, path, body) {
  const init = { method, credentials: 'same-origin',
    headers: { Accept: 'application/json', 'X-Requested-With': 'XMLHttpRequest' } };
  if (csrfToken && method !== 'GET' && method !== 'HEAD') {
    init.headers['X-CSRF-Token'] = csrfToken;
  }
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, 'connect_exception', 'the node did not answer (' + e.message + '); is it running?');
  }
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (ignored) {
    json = null;
  }
  if (!res.ok) {
    if (res.status === 401 && !path.startsWith('/_console/session')) {
      onSessionEnded();
    }
    throw ApiError.from(res.status, json, text);
  }
  return json;
}

/** A path segment: an index, pattern or remote name, encoded. */
export const seg = (s) => encodeURIComponent(s);
