// The auto-follow patterns tab: list, create, pause, resume, delete.
import { api, seg } from './api.js';
import { may, privilegeOf } from './session.js';
import { h, banner, confirmDialog, setFieldError, wireDialog } from './dom.js';

const FIELDS = ['p-name', 'p-remote', 'p-patterns', 'p-exclusions', 'p-follow', 'p-form'];
const list = (s) => s.split(',').map((x) => x.trim()).filter(Boolean);

/** Which field of the pattern form an API error is about. */
function fieldOf(error) {
  if (error.type === 'no_such_remote_cluster_exception' || /\[remote_cluster\]/.test(error.reason)) {
    return 'p-remote';
  }
  if (/leader_index_exclusion_patterns/.test(error.reason)) {
    return 'p-exclusions';
  }
  if (/leader_index_patterns/.test(error.reason)) {
    return 'p-patterns';
  }
  if (/follow_index_pattern|invalid_index_name/.test(error.reason + error.type)) {
    return 'p-follow';
  }
  if (/\bname\b/.test(error.reason)) {
    return 'p-name';
  }
  return 'p-form';
}

export class AutoFollowView {
  constructor(remotes) {
    this.remotes = remotes;
    this.tbody = document.querySelector('#patterns tbody');
    this.error = document.getElementById('patterns-error');
    this.dialog = document.getElementById('pattern-dialog');
    this.control = wireDialog(this.dialog, document.getElementById('p-cancel'));
    document.getElementById('create-pattern').addEventListener('click', () => this.openForm());
    document.getElementById('pattern-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.submit();
    });
  }

  async refresh() {
    let patterns;
    document.getElementById('create-pattern').hidden = !may('auto_follow');
    if (!may('view_auto_follow')) {
      this.tbody.replaceChildren();
      document.getElementById('patterns-empty').hidden = true;
      banner(this.error, 'You may not see the auto-follow patterns: that needs the cluster privilege '
        + privilegeOf('view_auto_follow') + '.');
      return;
    }
    try {
      patterns = (await api('GET', '/_ccr/auto_follow')).patterns;
      banner(this.error, null);
    } catch (e) {
      banner(this.error, 'Could not load the auto-follow patterns: ' + e.message);
      return;
    }
    // keep the keyboard where it was: the same button, else the first one of the same row, else "create"
    const active = document.activeElement;
    const focused = active && this.tbody.contains(active)
      ? { label: active.getAttribute('aria-label'), row: active.closest('tr').dataset.pattern } : null;
    this.tbody.replaceChildren(...patterns.map((p) => this.row(p)));
    document.getElementById('patterns-empty').hidden = patterns.length > 0;
    if (focused) {
      const buttons = [...this.tbody.querySelectorAll('button')];
      const again = buttons.find((b) => b.getAttribute('aria-label') === focused.label)
        || buttons.find((b) => b.closest('tr').dataset.pattern === focused.row);
      (again || document.getElementById('create-pattern')).focus();
    }
  }

  row(p) {
    const s = p.pattern;
    const name = p.name;
    const status = s.active ? 'active' : 'paused';
    const button = (label, action, run, cls) => h('button', { type: 'button', class: cls, 'data-action': action,
      'aria-label': label + ' pattern ' + name, onclick: () => this.run(label, name, run) }, label);
    return h('tr', { 'data-pattern': name },
      h('td', { 'data-label': 'Name', text: name }),
      h('td', { 'data-label': 'Remote cluster', text: s.remote_cluster }),
      h('td', { 'data-label': 'Leader index patterns', text: (s.leader_index_patterns || []).join(', ') }),
      h('td', { 'data-label': 'Exclusions', text: (s.leader_index_exclusion_patterns || []).join(', ') || '\u2013' }),
      h('td', { 'data-label': 'Follower index pattern', text: s.follow_index_pattern || '{{leader_index}}' }),
      h('td', { 'data-label': 'Status' }, h('span', { class: 'badge badge-' + status, 'data-status': status,
        text: s.active ? 'Active' : 'Paused' })),
      h('td', { 'data-label': 'Actions', class: 'actions' }, !may('auto_follow') ? [] : [
        s.active ? button('Pause', 'pause', () => api('POST', '/_ccr/auto_follow/' + seg(name) + '/pause'))
          : button('Resume', 'resume', () => api('POST', '/_ccr/auto_follow/' + seg(name) + '/resume')),
        button('Delete', 'delete', async () => {
          const ok = await confirmDialog('Delete auto-follow pattern ' + name + '?', [
            'New leader indices matching ' + (s.leader_index_patterns || []).join(', ') + ' on ' + s.remote_cluster
              + ' will no longer be followed. Follower indices it already created keep following.'], 'Delete');
          if (ok) {
            await api('DELETE', '/_ccr/auto_follow/' + seg(name));
          }
        }, 'danger')]));
  }

  async run(label, name, action) {
    banner(this.error, null);
    try {
      await action();
    } catch (e) {
      banner(this.error, label + ' pattern ' + name + ' failed: ' + e.message);
    }
    await this.refresh();
  }

  async openForm() {
    document.getElementById('pattern-form').reset();
    FIELDS.forEach((f) => setFieldError(f, null));
    const select = document.getElementById('p-remote');
    select.replaceChildren(h('option', { value: '', text: 'Checking remote clusters\u2026' }));
    this.control.open(document.getElementById('p-name'));
    try {
      const info = await this.remotes();
      const names = Object.keys(info).sort();
      select.replaceChildren(...names.map((n) => h('option', { value: n,
        text: n + (info[n].connected ? ' (connected)' : ' (not connected)') })));
      const connected = names.find((n) => info[n].connected);
      if (connected) {
        select.value = connected;
      }
      if (names.length === 0) {
        setFieldError('p-remote', 'No remote cluster is configured: add one with PUT /_cluster/settings first.');
      }
    } catch (e) {
      select.replaceChildren();
      setFieldError('p-remote', 'Could not list the remote clusters: ' + e.message);
    }
  }

  async submit() {
    FIELDS.forEach((f) => setFieldError(f, null));
    const name = document.getElementById('p-name').value.trim();
    const remote = document.getElementById('p-remote').value;
    const patterns = list(document.getElementById('p-patterns').value);
    const follow = document.getElementById('p-follow').value.trim();
    const missing = [];
    if (!name) {
      missing.push(['p-name', 'Enter a name for the pattern.']);
    }
    if (!remote) {
      missing.push(['p-remote', 'Choose the remote cluster to follow indices of.']);
    }
    if (patterns.length === 0) {
      missing.push(['p-patterns', 'Enter at least one leader index pattern, e.g. logs-*.']);
    }
    if (missing.length) {
      missing.forEach(([f, m]) => setFieldError(f, m));
      document.getElementById(missing[0][0]).focus();
      return;
    }
    const body = { remote_cluster: remote, leader_index_patterns: patterns };
    const exclusions = list(document.getElementById('p-exclusions').value);
    if (exclusions.length) {
      body.leader_index_exclusion_patterns = exclusions;
    }
    if (follow) {
      body.follow_index_pattern = follow;
    }
    try {
      await api('PUT', '/_ccr/auto_follow/' + seg(name), body);
    } catch (e) {
      const field = fieldOf(e);
      setFieldError(field, e.message);
      const input = document.getElementById(field);
      (input || document.getElementById('p-submit')).focus();
      return;
    }
    this.dialog.close('ok');
    await this.refresh();
  }
}
