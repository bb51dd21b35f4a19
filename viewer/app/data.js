// Reading hyperdef's CSV outputs (docs/outputs.md) for the linked plots. The files can be large
// (detections.csv holds every detection of every satellite), so they are parsed as they stream in
// and only the columns a plot needs are kept. No DOM here: the functions also run under node.

// Splits text arriving in chunks into lines; a line cut across two chunks is joined.
export class LineSplitter {
  constructor() {
    this.rest = '';
  }
  // Returns the complete lines in `text` (without '\n' or '\r').
  push(text) {
    const parts = (this.rest + text).split('\n');
    this.rest = parts.pop();
    return parts.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  }
  // The last line, if the text did not end with a newline.
  end() {
    const last = this.rest;
    this.rest = '';
    return last.length ? [last.endsWith('\r') ? last.slice(0, -1) : last] : [];
  }
}

// Feeds each row of a CSV text (given as chunks) to onRow(fields, column) where column(name) is
// the index of a named column (-1 if absent). hyperdef's CSV fields hold no commas or quotes.
export class CsvReader {
  constructor(onRow) {
    this.onRow = onRow;
    this.lines = new LineSplitter();
    this.index = null;
    this.column = (name) => (this.index && this.index.has(name) ? this.index.get(name) : -1);
  }
  push(text) {
    for (const line of this.lines.push(text)) this.line(line);
  }
  end() {
    for (const line of this.lines.end()) this.line(line);
  }
  line(line) {
    if (!line) return;
    const fields = line.split(',');
    if (!this.index) {
      this.index = new Map(fields.map((name, i) => [name.trim(), i]));
      return;
    }
    this.onRow(fields, this.column);
  }
}

// Fetches `url` and streams it through a CsvReader. Resolves to false if the file is absent
// (404), true when read; rejects on other HTTP errors.
export async function streamCsv(url, onRow) {
  const res = await fetch(url);
  if (res.status === 404) return false;
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  const reader = new CsvReader(onRow);
  const decoder = new TextDecoder();
  const body = res.body.getReader();
  for (;;) {
    const { done, value } = await body.read();
    if (done) break;
    reader.push(decoder.decode(value, { stream: true }));
  }
  reader.push(decoder.decode());
  reader.end();
  return true;
}

// Collects (t, y) points per key; series() gives them sorted by key then time.
export class SeriesBuilder {
  constructor() {
    this.map = new Map();
  }
  add(key, t, y) {
    if (!Number.isFinite(t) || !Number.isFinite(y)) return;
    let s = this.map.get(key);
    if (!s) this.map.set(key, (s = { t: [], y: [] }));
    s.t.push(t);
    s.y.push(y);
  }
  series() {
    return [...this.map.entries()]
      .sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true }))
      .map(([name, s]) => {
        const order = s.t.map((_, i) => i).sort((i, j) => s.t[i] - s.t[j]);
        return {
          name,
          t: Float64Array.from(order, (i) => s.t[i]),
          y: Float64Array.from(order, (i) => s.y[i]),
        };
      });
  }
}

// truth.csv rows -> altitude (km) against time, one series per threat.
export function altitudeRows() {
  const b = new SeriesBuilder();
  const onRow = (f, col) => {
    const id = f[col('threat_id')];
    b.add(id, Number(f[col('t_s')]), Number(f[col('alt_m')]) / 1e3);
  };
  return { onRow, series: () => b.series() };
}

// track_errors.csv rows -> position error (m) against time, one series per threat.
export function trackErrorRows() {
  const b = new SeriesBuilder();
  const onRow = (f, col) => {
    b.add(f[col('threat_id')], Number(f[col('t_s')]), Number(f[col('position_error_m')]));
  };
  return { onRow, series: () => b.series() };
}

// detections.csv rows -> number of distinct satellites detecting each threat in each warning
// frame: the wide-field space-IR rows (kind "los", mode "wide"), false alarms left out. Where a
// threat goes unseen for more than twice its usual frame interval, the series drops to 0 for the
// gap, so a loss of coverage shows as a gap to the floor, not as a line across it.
export function coverageRows() {
  const frames = new Map(); // threat -> Map(t -> Set(platform))
  const onRow = (f, col) => {
    if (f[col('kind')] !== 'los' || f[col('mode')] !== 'wide') return;
    if (f[col('false_alarm')] === '1') return;
    const threat = f[col('truth_id')];
    if (!threat) return;
    const t = Number(f[col('t_s')]);
    let m = frames.get(threat);
    if (!m) frames.set(threat, (m = new Map()));
    let s = m.get(t);
    if (!s) m.set(t, (s = new Set()));
    s.add(f[col('platform_id')]);
  };
  const series = () => {
    const b = new SeriesBuilder();
    for (const [threat, m] of frames) {
      const times = [...m.keys()].sort((x, y) => x - y);
      const gaps = times.slice(1).map((t, i) => t - times[i]).sort((x, y) => x - y);
      const usual = gaps.length ? gaps[Math.floor(gaps.length / 2)] : 0;
      times.forEach((t, i) => {
        if (i > 0 && usual > 0 && t - times[i - 1] > 2 * usual) {
          b.add(threat, times[i - 1] + usual, 0);
          b.add(threat, t - usual, 0);
        }
        b.add(threat, t, m.get(t).size);
      });
    }
    return b.series();
  };
  return { onRow, series };
}
