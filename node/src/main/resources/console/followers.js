// The follower indices tab: the live table, the row actions and the per-follower detail view.
import { api, seg } from './api.js';
import { may, privilegeOf, session } from './session.js';
import { h, fmt, banner, confirmDialog } from './dom.js';
import { LagChart } from './chart.js';

const HISTORY_SECONDS = 300;
const LABELS = { bootstrapping: 'Bootstrapping', rebuilding: 'Rebuilding', active: 'Active', paused: 'Paused',
  failed: 'Failed' };
/** Statuses that pause_follow stops (it answers 404 for a paused follower). */
const RUNNING = ['active', 'bootstrapping', 'rebuilding'];

/** The sum over the shards of {@code field}. */
const sum = (shards, field) => shards.reduce((a, s) => a + (Number(s[field]) || 0), 0);

export class FollowersView {
  constructor() {
    this.tbody = document.querySelector('#followers tbody');
    this.empty = document.getElementById('followers-empty');
    this.error = document.getElementById('followers-error');
    this.rows = new Map();
    this.followers = new Map();
    this.history = new Map();
    this.selected = null;
    this.chart = new LagChart(document.getElementById('lag-chart'));
    document.getElementById('detail-close').addEventListener('click', () => this.select(null));
  }

  /** Reads info, stats and document counts once and redraws; rejects with the ApiError when the node failed. */
  async refresh() {
    const [info, stats, cat] = await Promise.all([
      api('GET', '/_all/_ccr/info'),
      api('GET', '/_ccr/stats'),
      api('GET', '/_cat/indices?format=json'),
    ]);
    const now = Date.now() / 1000;
    const statsByName = new Map(stats.follow_stats.indices.map((i) => [i.index, i]));
    const docs = new Map(cat.map((r) => [r.index, Number(r['docs.count'])]));
    // status is one of Elasticsearch's two values (active, paused), for its clients; the console shows ours
    const red = cat.filter((r) => r.health === 'red').map((r) => r.index);
    const redBanner = document.getElementById('red-indices');
    redBanner.hidden = red.length === 0;
    redBanner.textContent = red.length === 0 ? '' : `Red (failed to open, taking no reads or writes): ${red.join(', ')}.`
      + ' GET /_cluster/health and GET /<index> tell why.';
    const list = info.follower_indices.map((f) => ({
      ...f, status: f.detailed_status || f.status, stats: statsByName.get(f.follower_index), docs: docs.get(f.follower_index),
    }));
    list.sort((a, b) => a.follower_index.localeCompare(b.follower_index));
    this.followers = new Map(list.map((f) => [f.follower_index, f]));
    list.forEach((f) => this.record(now, f));
    this.render(list);
    if (this.selected && !this.followers.has(this.selected)) {
      this.select(null);
    } else if (this.selected) {
      this.renderDetail();
    }
  }

  /** Adds one sample of the follower's lag and apply rate to its history (the last five minutes). */
  record(now, f) {
    const shards = (f.stats && f.stats.shards) || [];
    let hist = this.history.get(f.follower_index);
    if (!hist) {
      hist = { t: [], ops: [], rate: [], secs: [], last: null };
      this.history.set(f.follower_index, hist);
    }
    const written = sum(shards, 'operations_written');
    const rate = hist.last && now > hist.last.t ? Math.max(0, (written - hist.last.written) / (now - hist.last.t)) : null;
    hist.last = { t: now, written };
    hist.t.push(now);
    hist.ops.push(f.stats ? f.stats.follower_to_leader_lagging_ops_count : null);
    hist.rate.push(rate);
    hist.secs.push(shards.length ? Math.max(...shards.map((s) => Number(s.lag_seconds) || 0)) : null);
    while (hist.t.length && hist.t[0] < now - HISTORY_SECONDS) {
      hist.t.shift(); hist.ops.shift(); hist.rate.shift(); hist.secs.shift();
    }
  }

  render(list) {
    for (const [name, tr] of this.rows) {
      if (!this.followers.has(name)) {
        tr.remove();
        this.rows.delete(name);
        this.history.delete(name);
      }
    }
    for (const f of list) {
      let tr = this.rows.get(f.follower_index);
      if (!tr) {
        tr = this.createRow(f);
        this.rows.set(f.follower_index, tr);
        const next = [...this.rows.keys()].filter((n) => n > f.follower_index).sort()[0];
        this.tbody.insertBefore(tr, next ? this.rows.get(next) : null);
      }
      this.updateRow(tr, f);
    }
    this.empty.hidden = list.length > 0;
  }

  createRow(f) {
    const name = f.follower_index;
    return h('tr', { 'data-follower': name },
      h('td', { 'data-label': 'Follower index' },
        h('button', { type: 'button', class: 'link', 'data-action': 'details', 'aria-label': 'Details of ' + name,
          onclick: () => this.select(name) }, name)),
      h('td', { 'data-label': 'Remote cluster', text: f.remote_cluster }),
      h('td', { 'data-label': 'Leader index', text: f.leader_index }),
      h('td', { 'data-label': 'Status', class: 'status' }),
      h('td', { 'data-label': 'Ops lag', class: 'num ops-lag' }),
      h('td', { 'data-label': 'Lag (s)', class: 'num lag-seconds' }),
      h('td', { 'data-label': 'Documents', class: 'num docs' }),
      h('td', { 'data-label': 'Actions', class: 'actions' }));
  }

  updateRow(tr, f) {
    const shards = (f.stats && f.stats.shards) || [];
    tr.querySelector('.status').replaceChildren(...statusCell(f));
    tr.querySelector('.ops-lag').textContent = fmt(f.stats && f.stats.follower_to_leader_lagging_ops_count);
    tr.querySelector('.lag-seconds').textContent = shards.length
      ? fmt(Math.max(...shards.map((s) => Number(s.lag_seconds) || 0)), 1) : fmt(null);
    tr.querySelector('.docs').textContent = fmt(f.docs);
    // the actions depend on the status and on who is logged in (what they may do)
    const actionsKey = f.status + ' ' + (session().username || '');
    if (tr.dataset.actionsKey !== actionsKey) {
      const cell = tr.querySelector('.actions');
      const hadFocus = cell.contains(document.activeElement);
      tr.dataset.status = f.status;
      tr.dataset.actionsKey = actionsKey;
      cell.replaceChildren(...this.actions(f));
      if (hadFocus) {
        (cell.querySelector('button') || tr.querySelector('button')).focus();
      }
    }
  }

  actions(f) {
    const name = f.follower_index;
    const button = (label, action, run, cls) => h('button', { type: 'button', class: cls, 'data-action': action,
      'aria-label': label + ' ' + name, onclick: (e) => this.run(e.currentTarget, label, name, run) }, label);
    const out = [];
    if (RUNNING.includes(f.status) && may('pause_follow')) {
      out.push(button('Pause', 'pause', () => api('POST', '/' + seg(name) + '/_ccr/pause_follow')));
    }
    if ((f.status === 'paused' || f.status === 'failed') && may('resume_follow')) {
      out.push(button('Resume', 'resume', () => api('POST', '/' + seg(name) + '/_ccr/resume_follow', {})));
    }
    if (f.status === 'failed' && may('rebootstrap')) {
      out.push(button('Re-bootstrap', 'rebootstrap', () => api('POST', '/' + seg(name) + '/_ccr/rebootstrap')));
    }
    if (may('unfollow') && may('pause_follow')) {
      out.push(button('Unfollow', 'unfollow', () => this.unfollow(f), 'danger'));
    }
    if (out.length === 0) {
      out.push(h('span', { class: 'muted', 'data-no-actions': '', text: 'View only (changes need '
        + privilegeOf('pause_follow') + ')' }));
    }
    return out;
  }

  /** Runs a row action with its button disabled; errors go to the banner, in the API's words. */
  async run(btn, label, name, action) {
    btn.disabled = true;
    banner(this.error, null);
    try {
      await action();
    } catch (e) {
      banner(this.error, label + ' ' + name + ' failed: ' + e.message);
    } finally {
      btn.disabled = false;
    }
    await this.refresh().catch((e) => banner(this.error, 'Could not load follower indices: ' + e.message));
  }

  /** Elasticsearch's unfollow runbook after a confirmation: pause (if running), close, unfollow, open. */
  async unfollow(f) {
    const name = f.follower_index;
    const ok = await confirmDialog('Unfollow ' + name + '?', [
      'Replication from ' + f.remote_cluster + ':' + f.leader_index + ' stops for good: ' + name
        + ' is paused, closed, converted into a regular index that accepts writes, and opened again.',
      'It keeps its documents but cannot be resumed. To replicate ' + f.leader_index
        + ' again, create a new follower index.',
    ], 'Unfollow');
    if (!ok) {
      return;
    }
    const base = '/' + seg(name);
    if (RUNNING.includes(f.status)) {
      await api('POST', base + '/_ccr/pause_follow');
    }
    await api('POST', base + '/_close');
    try {
      await api('POST', base + '/_ccr/unfollow');
    } finally {
      await api('POST', base + '/_open');
    }
  }

  /** Shows the detail view of follower {@code name} (null hides it). */
  select(name) {
    this.selected = name;
    const detail = document.getElementById('detail');
    detail.hidden = name == null;
    for (const [n, tr] of this.rows) {
      tr.classList.toggle('selected', n === name);
    }
    if (name != null) {
      this.renderDetail();
      document.getElementById('detail-title').focus();
    } else if (document.activeElement === document.body) {
      document.getElementById('create-follower').focus();
    }
  }

  renderDetail() {
    const f = this.followers.get(this.selected);
    if (!f) {
      return;
    }
    document.getElementById('detail-title').textContent = f.follower_index;
    const shards = (f.stats && f.stats.shards) || [];
    const summary = [
      ['Remote cluster', f.remote_cluster], ['Leader index', f.leader_index],
      ['Status', LABELS[f.status] || f.status], ['Shards', String(shards.length)],
      ['Operations written', fmt(sum(shards, 'operations_written'))], ['Documents', fmt(f.docs)],
    ];
    document.getElementById('detail-summary').replaceChildren(
      ...summary.flatMap(([k, v]) => [h('dt', { text: k }), h('dd', { text: v })]));
    const fatal = [f.fatal_exception, ...shards.filter((s) => s.fatal_exception)
      .map((s) => 'shard ' + s.shard_id + ': ' + s.fatal_exception.type + ': ' + s.fatal_exception.reason)]
      .filter(Boolean);
    document.getElementById('detail-fatal').hidden = fatal.length === 0;
    document.getElementById('detail-fatal-text').textContent = [...new Set(fatal)].join('\n');
    document.querySelector('#shards tbody').replaceChildren(...shards.map(shardRow));
    const hist = this.history.get(f.follower_index);
    if (hist) {
      this.chart.update(hist);
    }
  }
}

function statusCell(f) {
  const out = [h('span', { class: 'badge badge-' + f.status, 'data-status': f.status, text: LABELS[f.status] || f.status })];
  if (f.status === 'bootstrapping' || f.status === 'rebuilding') {
    const progress = f.status === 'bootstrapping' ? f.bootstrap : f.rebuild;
    const pct = progress ? progress.percent : 0;
    out.push(h('span', { class: 'progress' },
      h('progress', { max: '100', value: String(pct), 'aria-label': LABELS[f.status] + ' progress of ' + f.follower_index }),
      h('span', { class: 'pct', text: fmt(pct, 1) + '%' })));
  }
  return out;
}

function shardRow(s) {
  const b = s.bootstrap;
  const errors = (s.read_exceptions || []).map((e) => e.exception.reason);
  return h('tr', {},
    h('td', { class: 'num', text: String(s.shard_id) }),
    h('td', { class: 'num', text: fmt(s.leader_global_checkpoint) }),
    h('td', { class: 'num', text: fmt(s.follower_global_checkpoint) }),
    h('td', { class: 'num', text: fmt(Math.max(0, s.leader_global_checkpoint - s.follower_global_checkpoint)) }),
    h('td', { class: 'num', text: fmt(s.lag_seconds, 1) }),
    h('td', { class: 'num', text: fmt(s.operations_written) }),
    h('td', { class: 'num', text: s.outstanding_read_requests + ' / ' + s.outstanding_write_requests }),
    h('td', { text: b ? b.stage + ' ' + fmt(b.percent, 1) + '% (' + b.files_done + '/' + b.files_total + ' files)' : '\u2013' }),
    h('td', { class: 'wrap', text: errors.length ? errors.join('; ') : '\u2013' }));
}
