// The console's login session: who is logged in and what they may do, so the page shows only the actions they have
// the privileges for, and says which privilege an action needs when it is not offered.
import { api, setCsrfToken } from './api.js';

let current = { authenticated: false, privileges: {} };

/** Asks the node who is logged in (GET /_console/session); resolves to the session. */
export async function load() {
  return use(await api('GET', '/_console/session'));
}

/** Logs in (POST /_console/session); rejects with the API's error for wrong credentials. */
export async function login(username, password) {
  return use(await api('POST', '/_console/session', { username, password }));
}

/** Logs out (DELETE /_console/session). */
export async function logout() {
  try {
    await api('DELETE', '/_console/session');
  } finally {
    use({ authenticated: false, privileges: {} });
  }
}

function use(session) {
  current = session;
  setCsrfToken(session.csrf_token || null);
  return session;
}

export function session() {
  return current;
}

/** Whether the user may take console action {@code name} (e.g. pause_follow). */
export function may(name) {
  const p = current.privileges[name];
  return !p || p.allowed;
}

/** The privilege console action {@code name} needs, as Elasticsearch names it. */
export function privilegeOf(name) {
  const p = current.privileges[name];
  return p ? p.privilege : '';
}
