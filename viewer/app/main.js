// hyperdef's offline 3D viewer: the run's scene.czml on a CesiumJS globe, layer toggles, a
// details panel for the picked object, and three plots linked to the clock (altitude, track
// error and satellites seeing each threat, all against time).
//
// Offline by construction: no Cesium ion token, the Natural Earth II imagery that ships inside
// the cesium package, the ellipsoid instead of a terrain server, no geocoder and no base layer
// picker; the server's Content-Security-Policy blocks every other origin anyway.
//
// Scale (1,000 satellites, 100 threats): satellites and lines of sight are drawn as primitives
// (a PointPrimitiveCollection and a PolylineCollection) updated once per frame from the CZML's
// sampled positions and interval `show`, instead of one Cesium entity visualizer each; their
// entities stay in the data source for picking and details, with their own graphics hidden.
import { altitudeRows, coverageRows, streamCsv, trackErrorRows } from './data.js';
import { LinePlot } from './plots.js';

const Cesium = window.Cesium;
const RUN = '/run/';

// Layer toggles: which entity ids go where (scene.czml conventions, "Entity ids").
const LAYERS = [
  ['threats', 'Threats'],
  ['satellites', 'Satellites'],
  ['los', 'Lines of sight'],
  ['footprints', 'Sensor footprints'],
  ['radars', 'Radars'],
  ['tracks', 'Tracks'],
  ['ellipsoids', 'Track ellipsoids (3σ)'],
  ['predictions', 'Impact / glide areas'],
  ['interceptors', 'Interceptors'],
  ['assets', 'Assets'],
];
export function layerOf(id) {
  const p = String(id).split('/');
  switch (p[0]) {
    case 'threat':
      return 'threats';
    case 'sat':
      return p.length >= 4 && p[p.length - 1] === 'footprint' ? 'footprints' : 'satellites';
    case 'los':
      return 'los';
    case 'radar':
      return 'radars';
    case 'track':
      return 'tracks';
    case 'impact':
    case 'footprint':
      return 'predictions';
    case 'interceptor':
    case 'intercept':
      return 'interceptors';
    case 'asset':
    case 'battery':
      return 'assets';
    default:
      return null;
  }
}

const PALETTE = ['#ff5a5a', '#ffb000', '#3fd0ff', '#8cff6a', '#ff6ad5', '#c9a0ff', '#ffe66a',
  '#6affc8', '#ff8f6a', '#6a9dff'];
const threatColors = new Map();
function colorOf(name) {
  if (!threatColors.has(name)) threatColors.set(name, PALETTE[threatColors.size % PALETTE.length]);
  return threatColors.get(name);
}

const statusEl = document.getElementById('status');
function setStatus(text, error = false) {
  statusEl.textContent = text;
  statusEl.classList.toggle('error', error);
}

const hd = (window.hyperdef = { errors: [] });

async function fetchJson(url) {
  const res = await fetch(url);
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.json();
}

// True when WebGL runs on a CPU rasteriser (SwiftShader, llvmpipe: VMs, headless tests, remote
// desktops), where every multisampled, atmosphere-lit frame costs hundreds of milliseconds.
function softwareGl() {
  try {
    const gl = document.createElement('canvas').getContext('webgl2');
    const info = gl && gl.getExtension('WEBGL_debug_renderer_info');
    const name = info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : '';
    gl?.getExtension('WEBGL_lose_context')?.loseContext();
    return /swiftshader|llvmpipe|softpipe|software/i.test(name);
  } catch {
    return false;
  }
}

function makeViewer() {
  Cesium.Ion.defaultAccessToken = '';
  const software = softwareGl();
  hd.softwareGl = software;
  const imagery = Cesium.TileMapServiceImageryProvider.fromUrl(
    Cesium.buildModuleUrl('Assets/Textures/NaturalEarthII'),
  );
  const viewer = new Cesium.Viewer('globe', {
    baseLayer: Cesium.ImageryLayer.fromProviderAsync(imagery),
    baseLayerPicker: false,
    geocoder: false,
    homeButton: true,
    sceneModePicker: true,
    navigationHelpButton: false,
    fullscreenButton: false,
    infoBox: false,
    selectionIndicator: true,
    timeline: true,
    animation: true,
    shouldAnimate: false,
    msaaSamples: software ? 1 : 4,
    orderIndependentTranslucency: !software, // OIT's extra passes cost most on a CPU
  });
  viewer.scene.globe.enableLighting = false;
  viewer.scene.fog.enabled = false;
  if (software) {
    // Cheaper frames on a CPU rasteriser: no ground or sky atmosphere, coarser globe tiles, and
    // the scene drawn at half resolution (a quarter of the fragments; the browser scales it up),
    // since a software rasteriser's cost grows with the pixels it shades.
    viewer.scene.globe.showGroundAtmosphere = false;
    viewer.scene.globe.maximumScreenSpaceError = 4;
    if (viewer.scene.skyAtmosphere) viewer.scene.skyAtmosphere.show = false;
    viewer.resolutionScale = 0.5;
  }
  return viewer;
}

// ---- primitives for the many small things ----

function constantValue(prop, time, fallback) {
  const v = prop && prop.getValue ? prop.getValue(time) : prop;
  return v === undefined ? fallback : v;
}

class SatellitePoints {
  constructor(viewer, entities) {
    const time = viewer.clock.currentTime;
    this.collection = viewer.scene.primitives.add(new Cesium.PointPrimitiveCollection());
    this.items = entities.map((e) => {
      const color = constantValue(e.point && e.point.color, time, Cesium.Color.SKYBLUE);
      const pixelSize = constantValue(e.point && e.point.pixelSize, time, 3);
      if (e.point) e.point.show = false; // the primitive draws it; the entity keeps its path
      const p = this.collection.add({ id: e, color, pixelSize, show: false });
      return { e, p, pos: e.position, scratch: new Cesium.Cartesian3() };
    });
  }
  update(time) {
    for (const s of this.items) {
      const v = s.e.isAvailable(time) ? s.pos.getValue(time, s.scratch) : undefined;
      if (v) s.p.position = v;
      s.p.show = v !== undefined;
    }
  }
}

class LinesOfSight {
  constructor(viewer, entities) {
    const time = viewer.clock.currentTime;
    this.collection = viewer.scene.primitives.add(new Cesium.PolylineCollection());
    const materials = new Map();
    this.items = entities.map((e) => {
      const pl = e.polyline;
      let color = Cesium.Color.YELLOW.withAlpha(0.6);
      if (pl.material && pl.material.color) color = constantValue(pl.material.color, time, color);
      const key = color.toCssColorString();
      if (!materials.has(key)) materials.set(key, Cesium.Material.fromType('Color', { color }));
      const line = this.collection.add({
        id: e,
        positions: [Cesium.Cartesian3.UNIT_X, Cesium.Cartesian3.UNIT_Y],
        width: constantValue(pl.width, time, 1),
        material: materials.get(key),
        show: false,
      });
      const item = { e, line, show: pl.show, positions: pl.positions, on: false };
      e.show = false; // the primitive draws it
      return item;
    });
  }
  update(time) {
    let shown = 0;
    for (const s of this.items) {
      // Shown only where the interval `show` says true (undefined outside the intervals: off).
      let on = s.e.isAvailable(time) && (s.show ? s.show.getValue(time) === true : true);
      if (on) {
        const ends = s.positions.getValue(time);
        on = !!ends && ends.length >= 2 && ends.every((c) => c !== undefined);
        if (on) s.line.positions = ends;
      }
      if (on !== s.on) s.line.show = s.on = on;
      shown += on;
    }
    this.shown = shown;
  }
}

// ---- picking ----

// Which of several objects under the cursor a click selects: the moving things first, so a click
// on a threat where its lines of sight converge selects the threat, not a line.
const PICK_ORDER = ['threat', 'interceptor', 'track', 'intercept', 'sat', 'radar', 'asset',
  'battery', 'impact', 'footprint', 'los'];
export function pickRank(id) {
  const p = String(id).split('/');
  if (p[0] === 'threat' && p.length > 2) return 50; // a phase polyline
  if (p[0] === 'sat' && p.length >= 4) return 60; // a footprint
  const i = PICK_ORDER.indexOf(p[0]);
  return i < 0 ? 99 : i;
}

function installPicking(viewer) {
  viewer.screenSpaceEventHandler.setInputAction((click) => {
    let best;
    for (const hit of viewer.scene.drillPick(click.position, 10, 7, 7)) {
      const e = hit.id instanceof Cesium.Entity ? hit.id : hit.primitive && hit.primitive.id;
      if (e instanceof Cesium.Entity && (!best || pickRank(e.id) < pickRank(best.id))) best = e;
    }
    viewer.selectedEntity = best;
  }, Cesium.ScreenSpaceEventType.LEFT_CLICK);
}

// ---- details panel ----

function fmtNumber(v, unit, digits = 0) {
  if (typeof v !== 'number' || !Number.isFinite(v)) return String(v);
  return `${v.toLocaleString('en-US', { maximumFractionDigits: digits })}${unit ? ' ' + unit : ''}`;
}

function describe(entity, time) {
  const rows = [];
  const bag = entity.properties ? entity.properties.getValue(time) || {} : {};
  const kind = bag.kind || layerOf(entity.id) || '';
  rows.push(['id', entity.id]);
  if (entity.name && entity.name !== entity.id) rows.push(['name', entity.name]);
  rows.push(['kind', kind]);
  if (bag.phase !== undefined) rows.push(['phase', bag.phase]);

  const pos = entity.position ? entity.position.getValue(time) : undefined;
  if (bag.speed_mps !== undefined) rows.push(['speed', fmtNumber(bag.speed_mps, 'm/s')]);
  else if (pos && entity.position.isConstant === false) {
    const dt = 0.5;
    const a = entity.position.getValue(Cesium.JulianDate.addSeconds(time, -dt, new Cesium.JulianDate()));
    const b = entity.position.getValue(Cesium.JulianDate.addSeconds(time, dt, new Cesium.JulianDate()));
    if (a && b) rows.push(['speed (ECEF)', fmtNumber(Cesium.Cartesian3.distance(a, b) / (2 * dt), 'm/s')]);
  }
  if (bag.altitude_m !== undefined) rows.push(['altitude', fmtNumber(bag.altitude_m / 1e3, 'km', 1)]);
  else if (pos) {
    const c = Cesium.Cartographic.fromCartesian(pos);
    if (c) rows.push(['altitude', fmtNumber(c.height / 1e3, 'km', 1)]);
  }
  if (pos) {
    const c = Cesium.Cartographic.fromCartesian(pos);
    if (c) {
      rows.push(['lat, lon', `${Cesium.Math.toDegrees(c.latitude).toFixed(3)}°, ` +
        `${Cesium.Math.toDegrees(c.longitude).toFixed(3)}°`]);
    }
  }
  // Track quality and the rest of the bag.
  const shown = new Set(['kind', 'id', 'phase', 'speed_mps', 'altitude_m']);
  const labels = {
    class: 'class',
    class_probability: 'class probability',
    sigma_position_m: 'position σ',
    truth_id: 'truth (scoring)',
    miss_m: 'miss distance',
  };
  for (const [k, v] of Object.entries(bag)) {
    if (shown.has(k) || v === undefined) continue;
    let text = v;
    if (k === 'sigma_position_m' || k === 'miss_m') text = fmtNumber(v, 'm', 1);
    else if (k === 'class_probability') text = fmtNumber(v, '', 3);
    else if (typeof v === 'number') text = fmtNumber(v, '', 3);
    else if (typeof v === 'object') text = JSON.stringify(v);
    rows.push([labels[k] || k, text]);
  }
  if (!entity.isAvailable(time)) rows.push(['', '(not present at this time)']);
  return rows;
}

function showDetails(entity, time) {
  const list = document.getElementById('details-list');
  document.getElementById('details-empty').hidden = !!entity;
  list.replaceChildren();
  if (!entity) return;
  for (const [k, v] of describe(entity, time)) {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    list.append(dt, dd);
  }
}

// ---- layers ----

function buildLayerToggles(groups, onToggle, initiallyOff = new Set()) {
  const list = document.getElementById('layer-list');
  for (const [key, label] of LAYERS) {
    const n = groups.get(key)?.length || 0;
    const el = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.checked = !initiallyOff.has(key);
    box.id = `layer-${key}`;
    box.disabled = n === 0;
    box.addEventListener('change', () => onToggle(key, box.checked));
    const count = document.createElement('span');
    count.className = 'count';
    count.textContent = ` (${n})`;
    el.append(box, ` ${label}`, count);
    list.append(el);
  }
}

// ---- camera ----

// Looks at the threats' region (sampled over their flights), or the whole Earth without threats.
function frameThreats(viewer, threats) {
  const pts = [];
  for (const e of threats) {
    const a = e.availability;
    if (!a || !a.length || !e.position) continue;
    const t0 = a.start;
    const span = Cesium.JulianDate.secondsDifference(a.stop, t0);
    for (let k = 0; k <= 8; ++k) {
      const p = e.position.getValue(Cesium.JulianDate.addSeconds(t0, (span * k) / 8, new Cesium.JulianDate()));
      if (p) pts.push(p);
    }
  }
  if (!pts.length) return;
  const r = Cesium.Rectangle.fromCartesianArray(pts);
  const padLon = Math.max(r.width, 0.2) * 0.8;
  const padLat = Math.max(r.height, 0.2) * 0.8;
  const dest = new Cesium.Rectangle(
    Math.max(-Math.PI, r.west - padLon), Math.max(-Math.PI / 2, r.south - padLat),
    Math.min(Math.PI, r.east + padLon), Math.min(Math.PI / 2, r.north + padLat));
  viewer.camera.setView({ destination: dest });
  hd.home = dest;
}

// ---- main ----

async function main() {
  const t0 = performance.now();
  hd.timings = {};
  const mark = (name) => (hd.timings[name] = Math.round(performance.now() - t0));
  const viewer = makeViewer();
  mark('viewer');
  hd.timings.start = Math.round(t0);
  hd.viewer = viewer;
  const summary = await fetchJson(`${RUN}summary.json`).catch(() => null);
  if (summary && summary.scenario) {
    document.getElementById('run-name').textContent = `— ${summary.scenario.name || ''}`;
    document.title = `hyperdef view: ${summary.scenario.name || ''}`;
  }

  setStatus('loading scene.czml…');
  let ds = null;
  const scene = await fetchJson(`${RUN}scene.czml`);
  if (scene) {
    ds = await Cesium.CzmlDataSource.load(scene);
    await viewer.dataSources.add(ds);
    viewer.clockTrackedDataSource = ds;
  }
  mark('czml');

  // Time zero of every CSV is the scenario epoch; the CZML clock starts there too.
  let epoch;
  let duration;
  if (summary && summary.scenario && summary.scenario.epoch_utc) {
    epoch = Cesium.JulianDate.fromIso8601(summary.scenario.epoch_utc);
    duration = summary.scenario.duration_s;
  }
  if (ds && ds.clock) {
    epoch = epoch || ds.clock.startTime;
    duration = duration ?? Cesium.JulianDate.secondsDifference(ds.clock.stopTime, epoch);
  }
  if (!epoch) throw new Error('neither run/scene.czml nor run/summary.json: is this a run directory?');
  if (!ds) {
    const stop = Cesium.JulianDate.addSeconds(epoch, duration || 1, new Cesium.JulianDate());
    Object.assign(viewer.clock, { startTime: epoch, stopTime: stop, currentTime: epoch });
    viewer.clock.clockRange = Cesium.ClockRange.LOOP_STOP;
  }
  viewer.timeline.zoomTo(viewer.clock.startTime, viewer.clock.stopTime);
  hd.epoch = epoch;
  const secondsOf = (time) => Cesium.JulianDate.secondsDifference(time, epoch);
  const timeOf = (t) => Cesium.JulianDate.addSeconds(epoch, t, new Cesium.JulianDate());

  // Entities by layer.
  const groups = new Map(LAYERS.map(([k]) => [k, []]));
  const byId = new Map();
  if (ds) {
    for (const e of ds.entities.values) {
      byId.set(e.id, e);
      const layer = layerOf(e.id);
      if (layer) groups.get(layer).push(e);
    }
  }
  // Track uncertainty ellipsoids: Cesium rebuilds a time-varying ellipsoid's geometry every frame
  // (about 5 ms each on a CPU), so with many tracks they start hidden and only the picked track
  // shows its own; the layer toggle shows them all.
  const MAX_ELLIPSOIDS = 20;
  groups.set('ellipsoids', groups.get('tracks').filter((e) => e.ellipsoid));
  const ellipsoidsOff = groups.get('ellipsoids').length > MAX_ELLIPSOIDS;
  let allEllipsoids = !ellipsoidsOff;
  const showEllipsoids = () => {
    for (const e of groups.get('ellipsoids')) {
      e.ellipsoid.show = allEllipsoids || e === viewer.selectedEntity;
    }
  };
  showEllipsoids();
  viewer.selectedEntityChanged.addEventListener(() => showEllipsoids());
  const sats = new SatellitePoints(viewer, groups.get('satellites'));
  const los = new LinesOfSight(viewer, groups.get('los'));
  const update = (time) => {
    sats.update(time);
    los.update(time);
  };
  update(viewer.clock.currentTime);
  viewer.scene.preUpdate.addEventListener((scene, time) => update(time));

  buildLayerToggles(groups, (key, on) => {
    if (key === 'los') los.collection.show = on;
    else if (key === 'ellipsoids') {
      allEllipsoids = on;
      showEllipsoids();
    } else {
      if (key === 'satellites') sats.collection.show = on;
      for (const e of groups.get(key)) e.show = on;
    }
  }, ellipsoidsOff ? new Set(['ellipsoids']) : new Set());
  frameThreats(viewer, groups.get('threats').filter((e) => e.id.split('/').length === 2));
  if (hd.home) {
    viewer.homeButton.viewModel.command.beforeExecute.addEventListener((ev) => {
      ev.cancel = true;
      viewer.camera.flyTo({ destination: hd.home, duration: 1 });
    });
  }

  // Details of the picked entity; refreshed as the clock moves.
  installPicking(viewer);
  viewer.selectedEntityChanged.addEventListener((e) => showDetails(e, viewer.clock.currentTime));
  let lastDetails = 0;
  viewer.clock.onTick.addEventListener((clock) => {
    const now = performance.now();
    if (viewer.selectedEntity && now - lastDetails > 250) {
      lastDetails = now;
      showDetails(viewer.selectedEntity, clock.currentTime);
    }
  });

  // Plots.
  const onPick = (t) => {
    viewer.clock.currentTime = timeOf(t);
    if (viewer.selectedEntity) showDetails(viewer.selectedEntity, viewer.clock.currentTime);
  };
  const common = { xLabel: 't (s)', onPick, colorOf };
  const plots = {
    altitude: new LinePlot(document.getElementById('plot-altitude'), {
      ...common, title: 'Threat altitude (truth.csv)', yLabel: 'km' }),
    error: new LinePlot(document.getElementById('plot-error'), {
      ...common, title: 'Track position error (track_errors.csv)', yLabel: 'm', logY: true }),
    coverage: new LinePlot(document.getElementById('plot-coverage'), {
      ...common, title: 'Satellites seeing each threat (detections.csv, wide)', yLabel: 'sats',
      refLines: [{ y: 2, label: 'stereo' }] }),
  };
  for (const p of Object.values(plots)) p.setXRange(0, duration);
  hd.plots = plots;
  let lastCursor = 0;
  const moveCursors = (time) => {
    const t = secondsOf(time);
    for (const p of Object.values(plots)) p.setCursor(t);
  };
  viewer.clock.onTick.addEventListener((clock) => {
    const now = performance.now();
    if (now - lastCursor > 50) {
      lastCursor = now;
      moveCursors(clock.currentTime);
    }
  });
  moveCursors(viewer.clock.currentTime);

  setStatus('loading plots…');
  const loads = [
    ['truth.csv', altitudeRows(), plots.altitude],
    ['track_errors.csv', trackErrorRows(), plots.error],
    ['detections.csv', coverageRows(), plots.coverage],
  ].map(async ([file, rows, plot]) => {
    const found = await streamCsv(`${RUN}${file}`, rows.onRow);
    plot.setSeries(found ? rows.series() : [], found ? 'no rows' : `no ${file} in this run`);
    return found;
  });
  await Promise.all(loads);
  mark('plots');

  const counts = Object.fromEntries([...groups].map(([k, v]) => [k, v.length]));
  hd.counts = counts;
  hd.byId = byId;
  hd.sats = sats;
  hd.los = los;
  setStatus(
    ds
      ? `${byId.size} objects: ${counts.threats} threat, ${counts.satellites} satellite, ` +
          `${counts.los} line-of-sight entities`
      : 'no scene.czml in this run: plots only',
  );
  return counts;
}

// ---- hooks for the browser test (and the curious, from the console) ----

// Window (CSS px, page coordinates) of an entity at the current time, or null if off screen.
hd.screenPosition = (id) => {
  const v = hd.viewer;
  const e = hd.byId.get(id);
  const p = e && e.position && e.position.getValue(v.clock.currentTime);
  if (!p) return null;
  const w = Cesium.SceneTransforms.worldToWindowCoordinates(v.scene, p);
  if (!w) return null;
  const rect = v.scene.canvas.getBoundingClientRect();
  return { x: rect.left + w.x, y: rect.top + w.y };
};
hd.positionOf = (id) => {
  const e = hd.byId.get(id);
  const p = e && e.position && e.position.getValue(hd.viewer.clock.currentTime);
  return p ? [p.x, p.y, p.z] : null;
};
hd.setTime = (t) => {
  hd.viewer.clock.currentTime = Cesium.JulianDate.addSeconds(hd.epoch, t, new Cesium.JulianDate());
};
hd.time = () => Cesium.JulianDate.secondsDifference(hd.viewer.clock.currentTime, hd.epoch);
hd.waitFrames = (n = 2) =>
  new Promise((resolve) => {
    const scene = hd.viewer.scene;
    let left = n;
    const done = scene.postRender.addEventListener(() => {
      if (--left <= 0) {
        done();
        resolve();
      }
    });
  });
// Frame times (ms between postRender events) over `ms` of wall time while the clock plays.
// Frame intervals while playing: for at least `ms` and at least `minFrames` intervals (a loaded
// machine with a software rasteriser may take seconds per frame), at most `capMs`.
hd.measureFrames = (ms = 3000, multiplier = 20, minFrames = 5, capMs = 60000) =>
  new Promise((resolve) => {
    const v = hd.viewer;
    v.clock.multiplier = multiplier;
    v.clock.shouldAnimate = true;
    const dts = [];
    let last = null;
    const start = performance.now();
    const remove = v.scene.postRender.addEventListener(() => {
      const now = performance.now();
      if (last !== null) dts.push(now - last);
      last = now;
      if ((now - start >= ms && dts.length >= minFrames) || now - start >= capMs) {
        remove();
        v.clock.shouldAnimate = false;
        const sorted = [...dts].sort((a, b) => a - b);
        const mean = dts.reduce((a, b) => a + b, 0) / Math.max(1, dts.length);
        resolve({
          frames: dts.length,
          mean_ms: mean,
          p95_ms: sorted[Math.min(sorted.length - 1, Math.floor(0.95 * sorted.length))] || 0,
        });
      }
    });
  });

hd.ready = main().catch((err) => {
  console.error('hyperdef viewer:', err);
  setStatus(`error: ${err.message || err}`, true);
  throw err;
});
