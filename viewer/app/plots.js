// A small dependency-free line plot on a <canvas>: many series against time, a shared time axis,
// a cursor line that follows the globe's clock, and a click that reports the time under it.
// The series are drawn once into an offscreen canvas; moving the cursor only blits it and draws
// one line, so following the clock costs little even with a hundred series.

// Round tick values covering [lo, hi], about n of them (steps 1, 2, 5 x 10^k).
export function niceTicks(lo, hi, n = 5) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, n);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
    out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  }
  return out;
}

// Decades 10^a .. 10^b covering [lo, hi] (lo > 0).
export function logTicks(lo, hi) {
  const out = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); ++e) out.push(10 ** e);
  return out;
}

// The y range a plot shows: linear from 0 (or the data minimum, if negative) to the maximum with
// 5 % headroom; logarithmic from the decade below the smallest positive value to the one above
// the largest.
export function yRange(series, logY, refLines = []) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) {
    for (const v of s.y) {
      if (logY && !(v > 0)) continue;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  for (const r of refLines) hi = Math.max(hi, r.y);
  if (!Number.isFinite(lo)) return logY ? [1, 10] : [0, 1];
  if (logY) return [10 ** Math.floor(Math.log10(lo)), 10 ** Math.ceil(Math.log10(hi * 1.0001))];
  lo = Math.min(0, lo);
  return [lo, hi > lo ? hi + 0.05 * (hi - lo) : lo + 1];
}

// A series' line breaks where consecutive samples are more than five typical steps apart (a
// threat that lost its track, then regained it), instead of drawing across the gap.
export function gapThreshold(t) {
  if (t.length < 3) return Infinity;
  const d = [];
  for (let k = 1; k < t.length; ++k) d.push(t[k] - t[k - 1]);
  d.sort((a, b) => a - b);
  return 5 * Math.max(d[Math.floor(d.length / 2)], 1e-9);
}

function fmtTick(v) {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-2) return v.toExponential(0);
  return String(+v.toPrecision(4));
}

export class LinePlot {
  // options: title, xLabel, yLabel, logY, refLines [{y, label}], onPick(t), colorOf(name, index)
  constructor(canvas, options = {}) {
    this.canvas = canvas;
    this.o = options;
    this.series = [];
    this.xr = [0, 1];
    this.cursor = null;
    this.message = 'loading…';
    this.base = document.createElement('canvas');
    this.margin = { l: 50, r: 10, t: 20, b: 28 };
    canvas.addEventListener('click', (ev) => {
      const rect = canvas.getBoundingClientRect();
      const t = this.timeAt(ev.clientX - rect.left, rect.width);
      if (t !== null && this.o.onPick) this.o.onPick(t);
    });
    new ResizeObserver(() => this.redraw()).observe(canvas);
  }

  setXRange(t0, t1) {
    this.xr = [t0, t1 > t0 ? t1 : t0 + 1];
    this.redraw();
  }

  setSeries(series, message = '') {
    this.series = series;
    this.message = series.length ? '' : message || 'no data';
    this.redraw();
  }

  setCursor(t) {
    if (t === this.cursor) return;
    this.cursor = t;
    this.compose();
  }

  // The time (s) at CSS x offset px in a plot `width` CSS px wide, or null outside the axes.
  timeAt(px, width) {
    const { l, r } = this.margin;
    if (px < l || px > width - r) return null;
    return this.xr[0] + ((px - l) / (width - l - r)) * (this.xr[1] - this.xr[0]);
  }

  redraw() {
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(this.canvas.clientWidth * dpr));
    const h = Math.max(1, Math.round(this.canvas.clientHeight * dpr));
    this.canvas.width = this.base.width = w;
    this.canvas.height = this.base.height = h;
    const g = this.base.getContext('2d');
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    this.drawBase(g, w / dpr, h / dpr);
    this.compose();
  }

  compose() {
    const g = this.canvas.getContext('2d');
    g.setTransform(1, 0, 0, 1, 0, 0);
    g.clearRect(0, 0, this.canvas.width, this.canvas.height);
    g.drawImage(this.base, 0, 0);
    if (this.cursor === null || this.cursor < this.xr[0] || this.cursor > this.xr[1]) return;
    const dpr = window.devicePixelRatio || 1;
    const { l, r, t, b } = this.margin;
    const w = this.canvas.width / dpr;
    const x = l + ((this.cursor - this.xr[0]) / (this.xr[1] - this.xr[0])) * (w - l - r);
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.strokeStyle = '#fff';
    g.lineWidth = 1;
    g.beginPath();
    g.moveTo(x, t);
    g.lineTo(x, this.canvas.height / dpr - b);
    g.stroke();
  }

  drawBase(g, w, h) {
    const { l, r, t, b } = this.margin;
    const pw = w - l - r;
    const ph = h - t - b;
    const logY = !!this.o.logY;
    const refLines = this.o.refLines || [];
    const [y0, y1] = yRange(this.series, logY, refLines);
    const X = (v) => l + ((v - this.xr[0]) / (this.xr[1] - this.xr[0])) * pw;
    const Y = logY
      ? (v) => t + ph - ((Math.log10(v) - Math.log10(y0)) / (Math.log10(y1) - Math.log10(y0))) * ph
      : (v) => t + ph - ((v - y0) / (y1 - y0)) * ph;
    g.clearRect(0, 0, w, h);
    g.font = '11px system-ui, sans-serif';
    g.fillStyle = '#ddd';
    g.textBaseline = 'top';
    g.fillText(this.o.title || '', l, 3);

    // Axes and grid.
    g.strokeStyle = '#333';
    g.fillStyle = '#999';
    g.lineWidth = 1;
    g.textAlign = 'right';
    g.textBaseline = 'middle';
    for (const v of logY ? logTicks(y0, y1) : niceTicks(y0, y1, 4)) {
      if (v < y0 || v > y1) continue;
      const y = Math.round(Y(v)) + 0.5;
      g.beginPath();
      g.moveTo(l, y);
      g.lineTo(l + pw, y);
      g.stroke();
      g.fillText(fmtTick(v), l - 4, y);
    }
    g.textAlign = 'center';
    g.textBaseline = 'top';
    for (const v of niceTicks(this.xr[0], this.xr[1], 6)) {
      const x = Math.round(X(v)) + 0.5;
      g.beginPath();
      g.moveTo(x, t);
      g.lineTo(x, t + ph);
      g.stroke();
      g.fillText(fmtTick(v), x, t + ph + 3);
    }
    g.textAlign = 'right';
    g.fillText(this.o.xLabel || '', l + pw, t + ph + 15);
    g.save();
    g.translate(10, t + ph / 2);
    g.rotate(-Math.PI / 2);
    g.textAlign = 'center';
    g.fillText(this.o.yLabel || '', 0, -8);
    g.restore();
    g.strokeStyle = '#666';
    g.strokeRect(l + 0.5, t + 0.5, pw, ph);

    for (const ref of refLines) {
      if (ref.y < y0 || ref.y > y1) continue;
      const y = Math.round(Y(ref.y)) + 0.5;
      g.setLineDash([4, 3]);
      g.strokeStyle = '#aaa';
      g.beginPath();
      g.moveTo(l, y);
      g.lineTo(l + pw, y);
      g.stroke();
      g.setLineDash([]);
      g.fillStyle = '#aaa';
      g.textAlign = 'left';
      g.textBaseline = 'bottom';
      g.fillText(ref.label || '', l + 3, y - 1);
    }

    if (this.message) {
      g.fillStyle = '#777';
      g.textAlign = 'center';
      g.textBaseline = 'middle';
      g.fillText(this.message, l + pw / 2, t + ph / 2);
      return;
    }

    // Series, clipped to the plot area.
    g.save();
    g.beginPath();
    g.rect(l, t, pw, ph);
    g.clip();
    g.lineWidth = 1.3;
    this.series.forEach((s, i) => {
      g.strokeStyle = this.o.colorOf ? this.o.colorOf(s.name, i) : '#4af';
      g.beginPath();
      let pen = false;
      const gap = gapThreshold(s.t);
      for (let k = 0; k < s.t.length; ++k) {
        const v = s.y[k];
        if ((logY && !(v > 0)) || (k > 0 && s.t[k] - s.t[k - 1] > gap)) pen = false;
        if (logY && !(v > 0)) continue;
        const x = X(s.t[k]);
        const y = Y(v);
        if (pen) g.lineTo(x, y);
        else g.moveTo(x, y);
        pen = true;
      }
      g.stroke();
    });
    g.restore();

    // Legend: the first few series, then a count.
    const shown = this.series.slice(0, 6);
    g.textAlign = 'right';
    g.textBaseline = 'top';
    let y = t + 3;
    for (const s of shown) {
      g.fillStyle = this.o.colorOf ? this.o.colorOf(s.name, this.series.indexOf(s)) : '#4af';
      g.fillText(s.name, l + pw - 4, y);
      y += 12;
    }
    if (this.series.length > shown.length) {
      g.fillStyle = '#999';
      g.fillText(`+${this.series.length - shown.length} more`, l + pw - 4, y);
    }
  }
}
