// The follower detail's live chart: ops lag and apply rate (ops, left axis) and lag in seconds (right axis).
import uPlot from '/_console/lib/uPlot.esm.js';

const HEIGHT = 260;

function options(width) {
  return {
    width,
    height: HEIGHT,
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: true }, ops: { auto: true, range: (u, min, max) => [0, Math.max(10, max * 1.1)] },
      s: { auto: true, range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
    series: [
      {},
      { label: 'Ops lag', scale: 'ops', stroke: '#c2410c', width: 2, value: (u, v) => v == null ? '\u2013' : v.toFixed(0) },
      { label: 'Apply rate (ops/s)', scale: 'ops', stroke: '#1d4ed8', width: 2,
        value: (u, v) => v == null ? '\u2013' : v.toFixed(1) },
      { label: 'Lag (s)', scale: 's', stroke: '#15803d', width: 2, dash: [6, 4],
        value: (u, v) => v == null ? '\u2013' : v.toFixed(1) },
    ],
    axes: [
      {},
      { scale: 'ops', label: 'ops · ops/s', size: 60 },
      { scale: 's', side: 1, label: 'seconds', grid: { show: false }, size: 50 },
    ],
  };
}

/** A chart in {@code el}, drawn from a follower's history ({t, ops, rate, secs}); follows the element's width. */
export class LagChart {
  constructor(el) {
    this.el = el;
    this.plot = null;
    this.data = [[], [], [], []];
    new ResizeObserver(() => this.resize()).observe(el);
  }

  update(history) {
    this.data = [history.t.slice(), history.ops.slice(), history.rate.slice(), history.secs.slice()];
    this.el.dataset.points = String(this.data[0].length);
    const width = this.el.clientWidth;
    if (width === 0) {
      return;
    }
    if (!this.plot) {
      this.plot = new uPlot(options(width), this.data, this.el);
    } else {
      this.plot.setData(this.data);
    }
  }

  resize() {
    const width = this.el.clientWidth;
    if (width === 0) {
      return;
    }
    if (!this.plot) {
      if (this.data[0].length > 0) {
        this.plot = new uPlot(options(width), this.data, this.el);
      }
      return;
    }
    this.plot.setSize({ width, height: HEIGHT });
  }
}
