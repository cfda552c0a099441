// The console's entry point: tabs, the once-a-second refresh of the follower table, and the shared _remote/info.
import { api } from './api.js';
import { banner } from './dom.js';
import { FollowersView } from './followers.js';
import { FollowForm } from './follow-form.js';
import { AutoFollowView } from './autofollow.js';
import { RemotesView } from './remotes.js';

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
const form = new FollowForm(() => remotes(true), async (name) => {
  await poll();
  const row = document.querySelector('tr[data-follower="' + CSS.escape(name) + '"] button');
  if (row) {
    row.focus();
  }
});
document.getElementById('create-follower').addEventListener('click', () => form.open());

// ------------------------------------------------------------------------------------------ tabs

const tabs = [...document.querySelectorAll('[role="tab"]')];
const onShow = {
  'panel-auto-follow': () => autoFollow.refresh(),
  'panel-remotes': () => remoteView.refresh(),
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
  if (!document.hidden) {
    await poll();
  }
  setTimeout(loop, POLL_MILLIS);
}

api('GET', '/').then((root) => {
  document.getElementById('node-identity').textContent = 'Node ' + root.name + ' \u00b7 cluster ' + root.cluster_name;
}).catch(() => {});
loop();
