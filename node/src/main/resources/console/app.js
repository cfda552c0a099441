// The console's entry point: tabs, the once-a-second refresh of the follower table, and the shared _remote/info.
import { api, whenSessionEnds } from './api.js';
import * as session from './session.js';
import { banner } from './dom.js';
import { FollowersView } from './followers.js';
import { FollowForm } from './follow-form.js';
import { AutoFollowView } from './autofollow.js';
import { RemotesView } from './remotes.js';
import { NodesView } from './nodes.js';

const POLL_MILLIS = 1000;

/** _remote/info checks every remote's Kafka (seconds at worst): asked once per form or tab visit, not per second. */
let remoteInfo = null;
function remotes(fresh = false) {
  if (fresh || !remoteInfo) {
    remoteInfo = api('GET', '/_remote/info').catch((e) => {
      remoteInfo = null;
      throw e;
    });
  }
  return remoteInfo;
}

const followers = new FollowersView();
const autoFollow = new AutoFollowView(() => remotes(true));
const remoteView = new RemotesView(remotes);
const nodesView = new NodesView();
const form = new FollowForm(() => remotes(true), async (name) => {
  await poll();
  const row = document.querySelector('tr[data-follower="' + CSS.escape(name) + '"] button');
  if (row) {
    row.focus();
  }
});
document.getElementById('create-follower').addEventListener('click', () => form.open());

// ------------------------------------------------------------------------------------------ login

const loginView = document.getElementById('login');
const appView = document.getElementById('app');
const loginError = document.getElementById('login-error');
let started = false;

function showLogin(message) {
  appView.hidden = true;
  document.getElementById('user-bar').hidden = true;
  loginView.hidden = false;
  loginError.textContent = message || '';
  document.getElementById('login-user').focus();
}

function showApp(s) {
  loginView.hidden = true;
  appView.hidden = false;
  const bar = document.getElementById('user-bar');
  bar.hidden = !s.security_enabled;
  document.getElementById('user-name').textContent = s.username ? 'Logged in as ' + s.username : '';
  document.getElementById('create-follower').hidden = !session.may('follow');
  const current = tabs.find((t) => t.getAttribute('aria-selected') === 'true');
  if (current) {
    (onShow[current.dataset.panel] || (() => {}))();
  }
  if (!started) {
    started = true;
    api('GET', '/').then((root) => {
      document.getElementById('node-identity').textContent = 'Node ' + root.name + ' \u00b7 cluster '
        + root.cluster_name;
    }).catch(() => {});
    loop();
  }
}

document.getElementById('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  loginError.textContent = '';
  const user = document.getElementById('login-user').value;
  const password = document.getElementById('login-password');
  try {
    const s = await session.login(user, password.value);
    password.value = '';
    showApp(s);
  } catch (err) {
    loginError.textContent = err.status === 401 ? 'Wrong username or password.' : err.message;
  }
});

document.getElementById('logout').addEventListener('click', async () => {
  await session.logout().catch(() => {});
  showLogin('Logged out.');
});

whenSessionEnds(() => {
  if (session.session().security_enabled) {
    showLogin('Your session has ended: log in again.');
  }
});

// ------------------------------------------------------------------------------------------ tabs

const tabs = [...document.querySelectorAll('[role="tab"]')];
const onShow = {
  'panel-auto-follow': () => autoFollow.refresh(),
  'panel-remotes': () => remoteView.refresh(),
  'panel-nodes': () => nodesView.refresh(),
};

function showTab(tab, focus) {
  for (const t of tabs) {
    const selected = t === tab;
    t.setAttribute('aria-selected', String(selected));
    t.tabIndex = selected ? 0 : -1;
    document.getElementById(t.dataset.panel).hidden = !selected;
  }
  if (focus) {
    tab.focus();
  }
  history.replaceState(null, '', '#' + tab.id.slice('tab-'.length));
  (onShow[tab.dataset.panel] || (() => {}))();
}

tabs.forEach((tab, i) => {
  tab.addEventListener('click', () => showTab(tab, false));
  tab.addEventListener('keydown', (e) => {
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[e.key];
    if (next !== undefined) {
      e.preventDefault();
      showTab(tabs[(next + tabs.length) % tabs.length], true);
    }
  });
});
const initial = tabs.find((t) => '#' + t.id.slice('tab-'.length) === location.hash);
if (initial) {
  showTab(initial, false);
}

// ------------------------------------------------------------------------------------------ polling

const pollState = document.getElementById('poll-state');
const pollError = document.getElementById('followers-error');
let failing = false;

async function poll() {
  try {
    await followers.refresh();
    if (failing) {
      banner(pollError, null);
      failing = false;
    }
    pollState.textContent = 'Updated ' + new Date().toLocaleTimeString('en-GB');
  } catch (e) {
    failing = true;
    banner(pollError, 'Could not load the follower indices: ' + e.message);
  }
}

async function loop() {
  if (!document.hidden && !appView.hidden) {
    await poll();
  }
  setTimeout(loop, POLL_MILLIS);
}

session.load().then((s) => (s.authenticated ? showApp(s) : showLogin())).catch((e) => showLogin(e.message));
