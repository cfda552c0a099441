// The nodes tab: the cluster's nodes (_cat/nodes) and where each shard's copies live (_cat/shards), node by node.
import { h, banner } from './dom.js';
import { api } from './api.js';

export class NodesView {
  constructor() {
    this.nodes = document.querySelector('#cluster-nodes tbody');
    this.shards = document.querySelector('#cluster-shards tbody');
    this.error = document.getElementById('nodes-error');
    this.state = document.getElementById('nodes-state');
    this.alone = document.getElementById('nodes-alone');
    document.getElementById('refresh-nodes').addEventListener('click', () => this.refresh());
  }

  async refresh() {
    let nodes;
    let shards;
    try {
      [nodes, shards] = await Promise.all([api('GET', '/_cat/nodes?format=json'),
        api('GET', '/_cat/shards?format=json')]);
      banner(this.error, null);
    } catch (e) {
      if (e.status === 400 || e.status === 404 || e.status === 405) { // a node alone has no cluster to show
        this.alone.hidden = false;
        this.state.textContent = '';
        return;
      }
      banner(this.error, 'Could not load the cluster\u2019s nodes: ' + e.message);
      return;
    }
    this.alone.hidden = true;
    const copies = {};
    for (const s of shards) {
      (copies[s.node || ''] = copies[s.node || ''] || []).push(s);
    }
    nodes.sort((a, b) => a.name.localeCompare(b.name));
    this.nodes.replaceChildren(...nodes.map((n) => h('tr', { 'data-node': n.name },
      h('td', { 'data-label': 'Node', text: n.name + (n.master === '*' ? ' (elected)' : '') }),
      h('td', { 'data-label': 'Primaries', class: 'num', text: count(copies[n.name], 'p') }),
      h('td', { 'data-label': 'Replicas', class: 'num', text: count(copies[n.name], 'r') }),
      h('td', { 'data-label': 'Heap %', class: 'num', text: n['heap.percent'] ?? '\u2013' }),
      h('td', { 'data-label': 'CPU %', class: 'num', text: n.cpu ?? '\u2013' }),
      h('td', { 'data-label': 'Address', class: 'wrap', text: n.ip ?? '\u2013' }))));
    shards.sort((a, b) => a.index.localeCompare(b.index) || Number(a.shard) - Number(b.shard)
      || a.prirep.localeCompare(b.prirep));
    this.shards.replaceChildren(...shards.map((s) => h('tr',
      { 'data-shard': s.index + '/' + s.shard + '/' + s.prirep + '/' + (s.node || '') },
      h('td', { 'data-label': 'Index', text: s.index }),
      h('td', { 'data-label': 'Shard', class: 'num', text: s.shard }),
      h('td', { 'data-label': 'Copy', text: s.prirep === 'p' ? 'primary' : 'replica' }),
      h('td', { 'data-label': 'State' }, h('span', { class: 'badge badge-' + s.state.toLowerCase(), text: s.state })),
      h('td', { 'data-label': 'Node', text: s.node || 'unassigned' }))));
    this.state.textContent = nodes.length + ' nodes \u00b7 updated ' + new Date().toLocaleTimeString('en-GB');
  }
}

function count(list, prirep) {
  return String((list || []).filter((s) => s.prirep === prirep && s.state === 'STARTED').length);
}
