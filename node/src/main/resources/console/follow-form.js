// The "Create follower index" form: remote cluster (from _remote/info), leader index (suggested from the remote's
// indices through _resolve/index), follower name (checked while typing), then PUT /<follower>/_ccr/follow.
import { api, seg } from './api.js';
import { h, setFieldError, wireDialog } from './dom.js';
import { invalidIndexNameMessage } from './names.js';

const FIELDS = ['f-remote', 'f-leader', 'f-name', 'f-form'];

/** Which field an API error is about: the follower name, the leader index, the remote, or the form as a whole. */
export function fieldOf(error, values) {
  switch (error.type) {
    case 'invalid_index_name_exception':
      return error.index === values.leader && error.index !== values.name ? 'f-leader' : 'f-name';
    case 'resource_already_exists_exception':
      return 'f-name';
    case 'index_not_found_exception':
      return 'f-leader';
    case 'no_such_remote_cluster_exception':
    case 'connect_transport_exception':
      return 'f-remote';
    default:
      if (/\[remote_cluster\]/.test(error.reason)) {
        return 'f-remote';
      }
      if (/\[leader_index\]/.test(error.reason)) {
        return 'f-leader';
      }
      return 'f-form';
  }
}

export class FollowForm {
  /** {@code remotes}: loads _remote/info (cached by the caller); {@code created(name)}: after a follow succeeded. */
  constructor(remotes, created) {
    this.remotes = remotes;
    this.created = created;
    this.dialog = document.getElementById('follow-dialog');
    this.form = document.getElementById('follow-form');
    this.remote = document.getElementById('f-remote');
    this.leader = document.getElementById('f-leader');
    this.name = document.getElementById('f-name');
    this.control = wireDialog(this.dialog, document.getElementById('f-cancel'));
    this.remote.addEventListener('change', () => this.remoteChanged());
    this.leader.addEventListener('input', () => this.leaderChanged());
    this.name.addEventListener('input', () => this.checkName());
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.submit();
    });
  }

  async open() {
    this.form.reset();
    FIELDS.forEach((f) => setFieldError(f, null));
    this.name.dataset.touched = '';
    this.remote.replaceChildren(h('option', { value: '', text: 'Checking remote clusters\u2026' }));
    document.getElementById('f-remote-info').textContent = '';
    document.getElementById('f-leader-info').replaceChildren();
    this.control.open(this.remote);
    let info;
    try {
      info = await this.remotes();
    } catch (e) {
      setFieldError('f-remote', 'Could not list the remote clusters: ' + e.message);
      this.remote.replaceChildren();
      return;
    }
    const names = Object.keys(info).sort();
    if (names.length === 0) {
      this.remote.replaceChildren(h('option', { value: '', text: 'No remote clusters' }));
      setFieldError('f-remote', 'No remote cluster is configured: add one with PUT /_cluster/settings'
        + ' (cluster.remote.<name>.seeds), then open this form again.');
      return;
    }
    this.remote.replaceChildren(...names.map((n) => h('option', { value: n,
      text: n + (info[n].connected ? ' (connected)' : ' (not connected)') })));
    this.info = info;
    const connected = names.find((n) => info[n].connected);
    this.remote.value = connected || names[0];
    await this.remoteChanged();
  }

  /** Shows the remote's connection state and loads its indices as suggestions for the leader index. */
  async remoteChanged() {
    const name = this.remote.value;
    const r = this.info && this.info[name];
    setFieldError('f-remote', null);
    const infoEl = document.getElementById('f-remote-info');
    if (!r) {
      infoEl.textContent = '';
      return;
    }
    infoEl.textContent = r.connected
      ? 'Connected' + (r.kafka_bootstrap_servers ? ' \u00b7 Kafka ' + r.kafka_bootstrap_servers : '')
      : 'Not connected: ' + (r.reason || 'no reason given');
    const list = document.getElementById('f-leader-list');
    const suggestions = document.getElementById('f-leader-info');
    list.replaceChildren();
    suggestions.replaceChildren(h('span', { class: 'muted', text: 'Loading the indices of ' + name + '\u2026' }));
    let indices;
    try {
      const resolved = await api('GET', '/_resolve/index/' + seg(name) + ':*');
      indices = resolved.indices.map((i) => i.name.slice(name.length + 1));
    } catch (e) {
      suggestions.replaceChildren();
      setFieldError('f-leader', 'Could not list the indices of ' + name + ': ' + e.message);
      return;
    }
    if (this.remote.value !== name) {
      return;
    }
    this.leaderIndices = indices;
    list.replaceChildren(...indices.map((i) => h('option', { value: i })));
    if (indices.length === 0) {
      suggestions.replaceChildren(h('span', { class: 'muted', text: name + ' has no indices yet.' }));
      return;
    }
    suggestions.replaceChildren(h('span', { class: 'muted', text: 'Indices of ' + name + ': ' }),
      ...indices.slice(0, 30).map((i) => h('button', { type: 'button', class: 'chip', 'data-index': i,
        onclick: () => {
          this.leader.value = i;
          this.leaderChanged();
          this.name.focus();
        } }, i)));
  }

  leaderChanged() {
    setFieldError('f-leader', null);
    if (!this.name.dataset.touched && !this.name.value) {
      this.name.placeholder = this.leader.value ? this.leader.value + '-copy' : '';
    }
  }

  /** Validates the follower name with the API's rules, as the user types. */
  checkName() {
    this.name.dataset.touched = 'true';
    const message = this.name.value === '' ? null : invalidIndexNameMessage(this.name.value);
    setFieldError('f-name', message);
    return message == null;
  }

  async submit() {
    FIELDS.forEach((f) => setFieldError(f, null));
    const values = { remote: this.remote.value, leader: this.leader.value.trim(), name: this.name.value };
    let first = null;
    if (!values.remote) {
      setFieldError('f-remote', 'Choose the remote cluster that holds the leader index.');
      first = first || this.remote;
    }
    if (!values.leader) {
      setFieldError('f-leader', 'Enter the name of the leader index to follow.');
      first = first || this.leader;
    }
    const nameProblem = invalidIndexNameMessage(values.name);
    if (nameProblem) {
      setFieldError('f-name', nameProblem);
      first = first || this.name;
    }
    if (first) {
      first.focus();
      return;
    }
    const submit = document.getElementById('f-submit');
    submit.disabled = true;
    try {
      await api('PUT', '/' + seg(values.name) + '/_ccr/follow',
        { remote_cluster: values.remote, leader_index: values.leader });
    } catch (e) {
      const field = fieldOf(e, values);
      setFieldError(field, e.type === 'index_not_found_exception' && field === 'f-leader'
        ? e.message + ' on remote cluster [' + values.remote + ']: pick one of its indices above' : e.message);
      const input = document.getElementById(field);
      (input && input.tagName !== 'P' ? input : submit).focus();
      return;
    } finally {
      submit.disabled = false;
    }
    this.dialog.close('ok');
    this.created(values.name);
  }
}
