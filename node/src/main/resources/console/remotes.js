// The remote clusters tab: name, connection state (or why not), Kafka bootstrap servers, HTTP address.
import { h, banner } from './dom.js';

export class RemotesView {
  /** {@code load(fresh)}: _remote/info, checked again when fresh. */
  constructor(load) {
    this.load = load;
    this.tbody = document.querySelector('#remotes tbody');
    this.error = document.getElementById('remotes-error');
    this.state = document.getElementById('remotes-state');
    document.getElementById('refresh-remotes').addEventListener('click', () => this.refresh());
  }

  async refresh() {
    this.state.textContent = 'Checking the remote clusters\u2026';
    let info;
    try {
      info = await this.load(true);
      banner(this.error, null);
    } catch (e) {
      this.state.textContent = '';
      banner(this.error, 'Could not check the remote clusters: ' + e.message);
      return;
    }
    const names = Object.keys(info).sort();
    this.tbody.replaceChildren(...names.map((n) => {
      const r = info[n];
      const state = r.connected ? 'connected' : 'disconnected';
      return h('tr', { 'data-remote': n },
        h('td', { 'data-label': 'Name', text: n }),
        h('td', { 'data-label': 'Connection' },
          h('span', { class: 'badge badge-' + state, 'data-status': state,
            text: r.connected ? 'Connected' : 'Not connected' }),
          r.connected ? null : h('p', { class: 'reason', text: r.reason || 'no reason given' })),
        h('td', { 'data-label': 'Kafka bootstrap servers', class: 'wrap', text: r.kafka_bootstrap_servers || '\u2013' }),
        h('td', { 'data-label': 'HTTP address', class: 'wrap', text: r.http_address || (r.seeds || []).join(', ') || '\u2013' }),
        h('td', { 'data-label': 'Cluster name', text: r.cluster_name || '\u2013' }));
    }));
    document.getElementById('remotes-empty').hidden = names.length > 0;
    this.state.textContent = 'Checked at ' + new Date().toLocaleTimeString('en-GB');
  }
}
