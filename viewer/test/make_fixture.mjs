#!/usr/bin/env node
// Writes a synthetic hyperdef run directory for the viewer's tests: scene.czml following the
// scene.czml conventions (docs/outputs.md, "scene.czml"), plus the CSV files the viewer's plots
// read (truth.csv, detections.csv wide-mode rows, track_errors.csv) and a summary.json.
//
//   node test/make_fixture.mjs --out DIR [--threats 3] [--sats 24] [--duration 1200]
//
// The geometry is simple but consistent: threats fly great-circle arcs (ballistic: a parabolic
// altitude profile; every third threat a boost-glide profile), satellites are circular Walker
// orbits rotated into ECEF, a satellite "detects" a threat when the line of sight clears the
// Earth and it is among the four nearest such satellites, each threat has one confirmed track
// (truth plus a slowly varying offset), one interceptor flies at the first threat.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => {
    if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1]]);
    return acc;
  }, []),
);
const outDir = args.out;
if (!outDir) {
  console.error('usage: make_fixture.mjs --out DIR [--threats N] [--sats N] [--duration S]');
  process.exit(2);
}
const nThreats = Number(args.threats ?? 3);
const nSats = Number(args.sats ?? 24);
const duration = Number(args.duration ?? 1200);
const epochIso = '2030-01-01T00:00:00Z';
const interval = (a, b) => `${iso(a)}/${iso(b)}`;
function iso(t) {
  return new Date(Date.parse(epochIso) + t * 1000).toISOString().replace('.000Z', 'Z');
}

// WGS-84
const A = 6378137.0;
const F = 1 / 298.257223563;
const E2 = F * (2 - F);
const OMEGA_E = 7.292115e-5;
const D2R = Math.PI / 180;
function geodeticToEcef(latDeg, lonDeg, h) {
  const lat = latDeg * D2R;
  const lon = lonDeg * D2R;
  const n = A / Math.sqrt(1 - E2 * Math.sin(lat) ** 2);
  return [
    (n + h) * Math.cos(lat) * Math.cos(lon),
    (n + h) * Math.cos(lat) * Math.sin(lon),
    (n * (1 - E2) + h) * Math.sin(lat),
  ];
}
const sub = (a, b) => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const dot = (a, b) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const norm = (a) => Math.sqrt(dot(a, a));
// Does the segment p -> q clear a sphere of radius r (the Earth, shrunk a little)?
function clearsEarth(p, q, r = 6356000) {
  const d = sub(q, p);
  const t = Math.max(0, Math.min(1, -dot(p, d) / dot(d, d)));
  return norm([p[0] + t * d[0], p[1] + t * d[1], p[2] + t * d[2]]) > r;
}

// A seeded generator so the fixture is the same every time (mulberry32).
let seed = 12345;
function rand() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const PHASE_COLOR = {
  boost: [255, 140, 0, 255],
  midcourse: [255, 230, 0, 255],
  reentry: [230, 30, 30, 255],
  glide: [0, 220, 230, 255],
  dive: [200, 30, 140, 255],
};

// ---- threats ----
const STEP = 10; // s between samples
const threats = [];
for (let k = 0; k < nThreats; ++k) {
  const glide = k % 3 === 2;
  const launch = 30 + ((k * 7) % 120);
  const tof = glide ? 900 : 600 + ((k * 37) % 250);
  const from = [38 + (k % 10) * 0.6, 124 + Math.floor(k / 10) * 0.7];
  const to = [35 + ((k * 3) % 7) * 0.8, 134 + ((k * 5) % 9) * 0.9 + (glide ? 6 : 0)];
  const apogee = glide ? 80e3 : 250e3 + ((k * 13) % 10) * 20e3;
  const samples = [];
  for (let t = launch; t <= Math.min(launch + tof, duration); t += STEP) {
    const f = (t - launch) / tof;
    let alt;
    let phase;
    if (!glide) {
      alt = 4 * apogee * f * (1 - f);
      phase = f < 0.12 ? 'boost' : f < 0.8 ? 'midcourse' : 'reentry';
    } else {
      phase = f < 0.15 ? 'boost' : f < 0.85 ? 'glide' : 'dive';
      alt =
        phase === 'boost'
          ? apogee * Math.sin((f / 0.15) * (Math.PI / 2))
          : phase === 'glide'
            ? apogee - 35e3 * ((f - 0.15) / 0.7)
            : (apogee - 35e3) * (1 - (f - 0.85) / 0.15);
    }
    const lat = from[0] + (to[0] - from[0]) * f;
    const lon = from[1] + (to[1] - from[1]) * f;
    samples.push({ t, phase, lat, lon, alt: Math.max(alt, 0), r: geodeticToEcef(lat, lon, alt) });
  }
  for (let i = 0; i < samples.length; ++i) {
    const a = samples[Math.max(0, i - 1)];
    const b = samples[Math.min(samples.length - 1, i + 1)];
    const dt = b.t - a.t || 1;
    samples[i].v = sub(b.r, a.r).map((x) => x / dt);
    samples[i].speed = norm(samples[i].v);
  }
  const id = glide ? `hgv-${k + 1}` : `bm-${k + 1}`;
  threats.push({ id, cls: glide ? 'boost_glide' : 'ballistic', launch, samples });
}

// ---- satellites: Walker delta, 60 deg, 1,000 km ----
const planes = Math.max(1, Math.round(Math.sqrt(nSats / 2)));
const perPlane = Math.ceil(nSats / planes);
const rSat = A + 1000e3;
const nMotion = Math.sqrt(3.986004418e14 / rSat ** 3);
const inc = 60 * D2R;
const SAT_STEP = 60;
function satEcef(p, s, t) {
  const raan = (2 * Math.PI * p) / planes;
  const u = (2 * Math.PI * s) / perPlane + (2 * Math.PI * p) / (planes * perPlane) + nMotion * t;
  const xo = rSat * Math.cos(u);
  const yo = rSat * Math.sin(u);
  const eci = [
    xo * Math.cos(raan) - yo * Math.cos(inc) * Math.sin(raan),
    xo * Math.sin(raan) + yo * Math.cos(inc) * Math.cos(raan),
    yo * Math.sin(inc),
  ];
  const th = OMEGA_E * t;
  return [
    Math.cos(th) * eci[0] + Math.sin(th) * eci[1],
    -Math.sin(th) * eci[0] + Math.cos(th) * eci[1],
    eci[2],
  ];
}
const sats = [];
for (let i = 0; i < nSats; ++i) {
  const p = Math.floor(i / perPlane);
  const s = i % perPlane;
  sats.push({ layer: 'layer-a', id: `layer-a-p${p}-s${s}`, p, s });
}

// ---- detections: the four nearest satellites with a clear line of sight, every frame ----
const detections = []; // {t, sat, threat, r_sat, r_thr}
const losPairs = new Map(); // "sat|threat" -> [t...]
for (const th of threats) {
  for (const smp of th.samples) {
    const seen = [];
    for (const sat of sats) {
      const rs = satEcef(sat.p, sat.s, smp.t);
      const d = norm(sub(rs, smp.r));
      if (d < 5000e3 && clearsEarth(rs, smp.r)) seen.push({ sat, rs, d });
    }
    seen.sort((a, b) => a.d - b.d);
    for (const { sat, rs } of seen.slice(0, 4)) {
      detections.push({ t: smp.t, sat, threat: th, rs, rt: smp.r });
      const key = `${sat.id}|${th.id}`;
      if (!losPairs.has(key)) losPairs.set(key, { sat, threat: th, times: [] });
      losPairs.get(key).times.push(smp.t);
    }
  }
}
// Adjacent frames merged into one interval.
function mergeTimes(times, step) {
  const out = [];
  for (const t of times) {
    if (out.length && t - out[out.length - 1][1] <= step + 1e-6) out[out.length - 1][1] = t;
    else out.push([t, t]);
  }
  return out;
}
// A boolean `show` covering the whole span: true inside the intervals, false between them.
function showIntervals(merged) {
  const out = [];
  let cursor = 0;
  for (const [a, b0] of merged) {
    const b = Math.max(b0, a + 1);
    if (a > cursor) out.push({ interval: interval(cursor, a), boolean: false });
    out.push({ interval: interval(a, b), boolean: true });
    cursor = b;
  }
  if (cursor < duration) out.push({ interval: interval(cursor, duration), boolean: false });
  return out;
}

// ---- CZML ----
const czml = [
  {
    id: 'document',
    name: `synthetic fixture (${nThreats} threats, ${nSats} satellites)`,
    version: '1.0',
    clock: {
      interval: interval(0, duration),
      currentTime: iso(0),
      multiplier: 10,
      range: 'LOOP_STOP',
      step: 'SYSTEM_CLOCK_MULTIPLIER',
    },
  },
];
const flat = (samples, f) => samples.flatMap((s) => [s.t, ...f(s)]);
for (const th of threats) {
  const t0 = th.samples[0].t;
  const t1 = th.samples[th.samples.length - 1].t;
  czml.push({
    id: `threat/${th.id}`,
    name: `${th.id} (${th.cls})`,
    availability: interval(t0, t1),
    position: {
      epoch: epochIso,
      referenceFrame: 'FIXED',
      interpolationAlgorithm: 'LAGRANGE',
      interpolationDegree: 5,
      cartesian: flat(th.samples, (s) => s.r),
    },
    point: { pixelSize: 8, color: { rgba: [255, 60, 60, 255] }, outlineWidth: 1 },
    label: {
      text: th.id,
      font: '12px sans-serif',
      pixelOffset: { cartesian2: [10, -10] },
      fillColor: { rgba: [255, 255, 255, 255] },
    },
    path: {
      leadTime: 0,
      trailTime: 400,
      width: 2,
      resolution: 10,
      material: { solidColor: { color: { rgba: [255, 255, 255, 160] } } },
    },
    properties: {
      kind: 'threat',
      id: th.id,
      class: th.cls,
      phase: mergePhases(th.samples),
      speed_mps: { epoch: epochIso, number: flat(th.samples, (s) => [s.speed]) },
      altitude_m: { epoch: epochIso, number: flat(th.samples, (s) => [s.alt]) },
    },
  });
  // One static polyline per phase segment.
  let k = 0;
  for (let i = 0; i < th.samples.length; ) {
    let j = i;
    while (j + 1 < th.samples.length && th.samples[j + 1].phase === th.samples[i].phase) ++j;
    const seg = th.samples.slice(i, Math.min(j + 2, th.samples.length));
    czml.push({
      id: `threat/${th.id}/phase/${k}`,
      name: `${th.id} ${th.samples[i].phase}`,
      polyline: {
        positions: { cartesian: seg.flatMap((s) => s.r) },
        width: 3,
        arcType: 'NONE',
        material: { solidColor: { color: { rgba: PHASE_COLOR[th.samples[i].phase] } } },
      },
      properties: { kind: 'threat', id: th.id, phase: th.samples[i].phase },
    });
    ++k;
    i = j + 1;
  }
}
function mergePhases(samples) {
  const out = [];
  for (const s of samples) {
    if (out.length && out[out.length - 1].string === s.phase) out[out.length - 1].b = s.t;
    else out.push({ a: s.t, b: s.t, string: s.phase });
  }
  return out.map((p, i) => ({
    interval: interval(p.a, i + 1 < out.length ? out[i + 1].a : p.b),
    string: p.string,
  }));
}

const footprintTimes = new Map();
for (const d of detections) {
  if (!footprintTimes.has(d.sat.id)) footprintTimes.set(d.sat.id, new Set());
  footprintTimes.get(d.sat.id).add(d.t);
}
for (const sat of sats) {
  const cart = [];
  for (let t = 0; t <= duration; t += SAT_STEP) cart.push(t, ...satEcef(sat.p, sat.s, t));
  const sid = `sat/${sat.layer}/${sat.id}`;
  czml.push({
    id: sid,
    name: sat.id,
    availability: interval(0, duration),
    position: {
      epoch: epochIso,
      referenceFrame: 'FIXED',
      interpolationAlgorithm: 'LAGRANGE',
      interpolationDegree: 5,
      cartesian: cart,
    },
    point: { pixelSize: 3, color: { rgba: [120, 200, 255, 255] } },
    path: { show: nSats <= 100, width: 1, leadTime: 0, trailTime: 6000, resolution: 120 },
    properties: { kind: 'satellite', id: sat.id, layer: sat.layer },
  });
  const times = footprintTimes.get(sat.id);
  if (times) {
    czml.push({
      id: `${sid}/footprint`,
      name: `${sat.id} footprint`,
      position: { reference: `${sid}#position` },
      ellipse: {
        semiMajorAxis: 1500e3,
        semiMinorAxis: 1500e3,
        height: 0,
        fill: true,
        material: { solidColor: { color: { rgba: [120, 200, 255, 40] } } },
        show: showIntervals(mergeTimes([...times].sort((a, b) => a - b), STEP)),
      },
      properties: { kind: 'footprint', id: `${sat.id}/footprint` },
    });
  }
}
for (const { sat, threat, times } of losPairs.values()) {
  czml.push({
    id: `los/${sat.layer}/${sat.id}/${threat.id}`,
    name: `${sat.id} -> ${threat.id}`,
    polyline: {
      positions: { references: [`sat/${sat.layer}/${sat.id}#position`, `threat/${threat.id}#position`] },
      width: 1,
      arcType: 'NONE',
      material: { solidColor: { color: { rgba: [255, 255, 0, 150] } } },
      show: showIntervals(mergeTimes(times, STEP)),
    },
    properties: { kind: 'los', id: `${sat.layer}/${sat.id}/${threat.id}` },
  });
}

// Radar site and one coverage face.
const radarLL = [36.5, 129.0];
czml.push({
  id: 'radar/x-band-1',
  name: 'x-band-1',
  position: { cartographicDegrees: [radarLL[1], radarLL[0], 100] },
  point: { pixelSize: 7, color: { rgba: [0, 255, 120, 255] } },
  label: { text: 'x-band-1', font: '12px sans-serif', pixelOffset: { cartesian2: [10, 10] } },
  properties: { kind: 'radar', id: 'x-band-1' },
});
const fan = [radarLL[1], radarLL[0], 0];
for (let az = 240; az <= 360; az += 10) {
  fan.push(radarLL[1] + 10 * Math.sin(az * D2R), radarLL[0] + 8 * Math.cos(az * D2R), 0);
}
czml.push({
  id: 'radar/x-band-1/face/0',
  name: 'x-band-1 face 0',
  polygon: {
    positions: { cartographicDegrees: fan },
    material: { solidColor: { color: { rgba: [0, 255, 120, 50] } } },
    outline: true,
    outlineColor: { rgba: [0, 255, 120, 200] },
    height: 0,
  },
  properties: { kind: 'radar', id: 'x-band-1/face/0' },
});

// Tracks: confirmed 60 s after launch; estimate = truth + a slowly varying offset.
const trackErrors = [];
threats.forEach((th, k) => {
  const s = th.samples.filter((x) => x.t >= th.launch + 60);
  if (s.length < 2) return;
  const sigma = s.map((x, i) => 300 * Math.exp(-i / 20) + 30);
  const off = s.map((x, i) => [sigma[i] * Math.sin(i / 5), sigma[i] * Math.cos(i / 7), 0]);
  const tid = String(k + 1);
  czml.push({
    id: `track/${tid}`,
    name: `track ${tid}`,
    availability: interval(s[0].t, s[s.length - 1].t),
    position: {
      epoch: epochIso,
      referenceFrame: 'FIXED',
      interpolationAlgorithm: 'LAGRANGE',
      interpolationDegree: 5,
      cartesian: flat(s, (x) => {
        const i = s.indexOf(x);
        return [x.r[0] + off[i][0], x.r[1] + off[i][1], x.r[2] + off[i][2]];
      }),
    },
    point: { pixelSize: 6, color: { rgba: [255, 255, 255, 255] } },
    ellipsoid: {
      radii: { epoch: epochIso, cartesian: flat(s, (x) => Array(3).fill(3 * sigma[s.indexOf(x)])) },
      material: { solidColor: { color: { rgba: [255, 255, 255, 80] } } },
    },
    properties: {
      kind: 'track',
      id: tid,
      class: th.cls,
      class_probability: 0.9,
      sigma_position_m: { epoch: epochIso, number: flat(s, (x) => [sigma[s.indexOf(x)]]) },
      truth_id: th.id,
    },
  });
  s.forEach((x, i) => {
    trackErrors.push([x.t, th.id, tid, x.phase, norm(off[i]), 5 + sigma[i] / 20, sigma[i], 6]);
  });
});

// One impact prediction for the first ballistic track.
const bm = threats.find((t) => t.cls === 'ballistic');
if (bm) {
  const last = bm.samples[bm.samples.length - 1];
  czml.push({
    id: 'impact/1/0',
    name: 'track 1 impact prediction 0',
    availability: interval(bm.launch + 200, duration),
    position: { cartographicDegrees: [last.lon, last.lat, 0] },
    ellipse: {
      semiMajorAxis: 8000,
      semiMinorAxis: 3000,
      rotation: 0.5,
      material: { solidColor: { color: { rgba: [255, 80, 80, 90] } } },
    },
    properties: { kind: 'impact', id: '1/0', track: '1' },
  });
}

// Defended asset, battery and one interceptor at the first threat.
const assetLL = [35.2, 136.0];
czml.push({
  id: 'asset/city-1',
  name: 'city-1',
  position: { cartographicDegrees: [assetLL[1], assetLL[0], 0] },
  point: { pixelSize: 8, color: { rgba: [80, 160, 255, 255] } },
  label: { text: 'city-1', font: '12px sans-serif', pixelOffset: { cartesian2: [10, 10] } },
  ellipse: {
    semiMajorAxis: 30e3,
    semiMinorAxis: 30e3,
    material: { solidColor: { color: { rgba: [80, 160, 255, 70] } } },
  },
  properties: { kind: 'asset', id: 'city-1' },
});
czml.push({
  id: 'battery/terminal-a',
  name: 'terminal-a',
  position: { cartographicDegrees: [assetLL[1] - 0.3, assetLL[0] + 0.2, 0] },
  point: { pixelSize: 6, color: { rgba: [80, 255, 255, 255] } },
  properties: { kind: 'battery', id: 'terminal-a' },
});
if (threats.length) {
  const th = threats[0];
  const hit = th.samples[Math.floor(th.samples.length * 0.85)];
  const pad = geodeticToEcef(assetLL[0] + 0.2, assetLL[1] - 0.3, 0);
  const tl = hit.t - 100;
  const cart = [];
  for (let t = tl; t <= hit.t; t += 10) {
    const f = (t - tl) / 100;
    const loft = 1 + 0.02 * Math.sin(Math.PI * f);
    cart.push(t, ...[0, 1, 2].map((c) => (pad[c] + (hit.r[c] - pad[c]) * f) * loft));
  }
  czml.push({
    id: 'interceptor/0',
    name: 'interceptor 0 (terminal-a)',
    availability: interval(tl, hit.t),
    position: {
      epoch: epochIso,
      referenceFrame: 'FIXED',
      interpolationAlgorithm: 'LAGRANGE',
      interpolationDegree: 3,
      cartesian: cart,
    },
    point: { pixelSize: 6, color: { rgba: [80, 255, 255, 255] } },
    path: { leadTime: 0, trailTime: 200, width: 2 },
    properties: {
      kind: 'interceptor',
      id: '0',
      battery: 'terminal-a',
      track: '1',
      result: 'miss',
      miss_m: 3.3,
    },
  });
  czml.push({
    id: 'intercept/0',
    name: 'intercept 0',
    availability: interval(hit.t, duration),
    position: { cartesian: hit.r },
    point: { pixelSize: 10, color: { rgba: [255, 0, 255, 255] } },
    label: { text: 'miss 3 m', font: '12px sans-serif', pixelOffset: { cartesian2: [10, 10] } },
    properties: { kind: 'intercept', id: '0', result: 'miss', miss_m: 3.3 },
  });
}

// ---- CSV and JSON beside it ----
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'scene.czml'), JSON.stringify(czml));
const truthCols =
  'threat_id,t_s,phase,x_ecef_m,y_ecef_m,z_ecef_m,vx_ecef_mps,vy_ecef_mps,vz_ecef_mps,lat_deg,' +
  'lon_deg,alt_m,speed_mps,mach,flight_path_deg,heading_deg,dynamic_pressure_pa,load_factor_g,' +
  'heat_flux_wpm2,surface_temperature_k,mass_kg,thrust_n';
const truth = [truthCols];
for (const th of threats) {
  for (const s of th.samples) {
    truth.push(
      [th.id, s.t.toFixed(3), s.phase, ...s.r.map((x) => x.toFixed(3)), ...s.v.map((x) => x.toFixed(4)),
        s.lat.toFixed(7), s.lon.toFixed(7), s.alt.toFixed(2), s.speed.toFixed(3), (s.speed / 300).toFixed(4),
        0, 0, 0, 0, 0, 0, 1000, 0].join(','),
    );
  }
}
writeFileSync(join(outDir, 'truth.csv'), truth.join('\n') + '\n');
const detCols =
  't_s,sensor_id,platform_id,kind,false_alarm,truth_id,snr_db,sat_x_ecef_m,sat_y_ecef_m,' +
  'sat_z_ecef_m,sat_position_sigma_m,los_x_ecef,los_y_ecef,los_z_ecef,angle_sigma_rad,range_m,' +
  'az_deg,el_deg,range_rate_mps,range_sigma_m,az_el_sigma_rad,range_rate_sigma_mps,mode';
const det = [detCols];
detections.sort((a, b) => a.t - b.t);
for (const d of detections) {
  const l = sub(d.rt, d.rs);
  const n = norm(l);
  det.push(
    [d.t.toFixed(3), d.sat.layer, d.sat.id, 'los', 0, d.threat.id, (10 + rand() * 5).toFixed(2),
      ...d.rs.map((x) => x.toFixed(3)), '5.00', ...l.map((x) => (x / n).toFixed(9)), '2.000e-05',
      '', '', '', '', '', '', '', 'wide'].join(','),
  );
}
// A false alarm, which the coverage plot must not count.
det.push([100, 'layer-a', sats[0].id, 'los', 1, '', 7, 0, 0, 0, 5, 1, 0, 0, 2e-5, '', '', '', '', '', '', '', 'wide'].join(','));
writeFileSync(join(outDir, 'detections.csv'), det.join('\n') + '\n');
writeFileSync(
  join(outDir, 'track_errors.csv'),
  ['t_s,threat_id,track_id,phase,position_error_m,velocity_error_mps,position_sigma_m,nees']
    .concat(trackErrors.map((r) => r.map((x) => (typeof x === 'number' ? +x.toFixed(3) : x)).join(',')))
    .join('\n') + '\n',
);
writeFileSync(
  join(outDir, 'summary.json'),
  JSON.stringify(
    {
      hyperdef_version: 'fixture',
      scenario: { name: 'fixture', file: 'fixture', epoch_utc: epochIso, duration_s: duration, seed: 1 },
      threats: threats.map((t) => ({ id: t.id, class: t.cls, label: t.id, launch_time_s: t.launch })),
    },
    null,
    1,
  ),
);
console.log(
  `wrote ${outDir}: ${czml.length} CZML packets, ${threats.length} threats, ${sats.length} satellites, ` +
    `${losPairs.size} lines of sight, ${detections.length} detections`,
);
