// Real-browser test of `hyperdef view`: starts the server on a free port, drives Debian's
// chromium (headless, SwiftShader software WebGL) with playwright-core, and checks what a person
// would: no console errors, no request leaves the server, the globe renders, picking shows
// details, the time slider and the plots move the clock and the clock moves the entities,
// report.html opens when present; then loads a 1,000-satellite, 100-threat scene, plays it and
// prints the frame times (measured, not asserted: no test asserts a time).
//
//   node --test test/browser.test.mjs
//
// Environment:
//   HYPERDEF_VIEW      command that serves a run: it gets "RUN_DIR --port P" appended and must
//                      print the URL ("http://127.0.0.1:P/"); e.g. "build/bin/hyperdef view".
//                      Default: "build/bin/hyperdef view".
//   HYPERDEF_VIEW_RUN  a run directory for the functional checks (default: a generated fixture).
//   CHROMIUM           the browser binary (default /usr/lib/chromium/chromium, /usr/bin/chromium).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

import { decodePng, pictureStats } from './png.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');

function viewCommand() {
  if (process.env.HYPERDEF_VIEW) return process.env.HYPERDEF_VIEW.split(' ').filter(Boolean);
  return [join(repo, 'build/bin/hyperdef'), 'view'];
}
function chromiumPath() {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  return existsSync('/usr/lib/chromium/chromium') ? '/usr/lib/chromium/chromium' : '/usr/bin/chromium';
}

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

// Starts the server and resolves { proc, url } once it printed its URL.
async function startServer(runDir) {
  const port = await freePort();
  const [cmd, ...args] = viewCommand();
  const proc = spawn(cmd, [...args, runDir, '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = await new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`server printed no URL in 10 s:\n${out}`)), 10000);
    const onData = (d) => {
      out += d;
      const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) {
        clearTimeout(timer);
        res(m[0]);
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', (d) => (out += d));
    proc.once('exit', (code) => rej(new Error(`server exited (${code}):\n${out}`)));
  });
  assert.equal(url, `http://127.0.0.1:${port}/`);
  return { proc, url, output: () => out };
}

// Ctrl-C: the server must stop by itself and exit 0.
function stopServer(server) {
  return new Promise((res, rej) => {
    if (server.proc.exitCode !== null) return res(server.proc.exitCode);
    const timer = setTimeout(() => {
      server.proc.kill('SIGKILL');
      rej(new Error('server ignored SIGINT for 5 s'));
    }, 5000);
    server.proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      res(code ?? signal);
    });
    server.proc.kill('SIGINT');
  });
}

function makeFixture(dir, extra = []) {
  const r = spawnSync(process.execPath, [join(here, 'make_fixture.mjs'), '--out', dir, ...extra], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

// Opens the viewer on a fresh page; collects console errors, page errors, failed requests and any
// request that leaves the server's origin.
async function openViewer(browser, url) {
  const page = await browser.newPage({ viewport: { width: 1100, height: 700 } });
  const problems = [];
  const origin = new URL(url).origin;
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    // ERR_ABORTED is the browser cancelling a request itself (seen now and then on a fetch whose
    // body was read to the end); anything else is a server or network fault.
    const why = r.failure()?.errorText;
    if (why === 'net::ERR_ABORTED') console.log(`note: ${r.url()} ${why}`);
    else problems.push(`request failed: ${r.url()} ${why}`);
  });
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:')) {
      problems.push(`request left the server: ${u}`);
    }
  });
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  const counts = await page.evaluate(() => window.hyperdef.ready);
  return { page, problems, counts };
}

async function globeStats(page) {
  const box = await page.locator('#globe canvas').first().boundingBox();
  const img = decodePng(await page.screenshot());
  // The globe area above the timeline and right of the animation dial.
  return pictureStats(img, Math.round(box.x + 180), Math.round(box.y), Math.round(box.x + box.width),
    Math.round(box.y + box.height - 60));
}

let browser;
let tmp;
const servers = [];
before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'hyperdef-viewer-test-'));
  browser = await chromium.launch({
    executablePath: chromiumPath(),
    // Software WebGL: SwiftShader through ANGLE (no GPU on test machines).
    args: ['--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist'],
  });
});
after(async () => {
  await browser?.close();
  for (const s of servers) if (s.proc.exitCode === null) s.proc.kill('SIGKILL');
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test('viewer: renders, picks, follows the clock, stays offline', { timeout: 90000 }, async () => {
  let runDir = process.env.HYPERDEF_VIEW_RUN;
  if (!runDir) {
    runDir = join(tmp, 'small');
    makeFixture(runDir);
  }
  const server = await startServer(runDir);
  servers.push(server);
  const { page, problems, counts } = await openViewer(browser, server.url);
  assert.ok(counts.threats > 0, `no threat entities: ${JSON.stringify(counts)}`);

  // A threat in flight: the middle of the first threat's availability.
  const info = await page.evaluate(() => {
    const hd = window.hyperdef;
    const e = [...hd.byId.values()].find((x) => /^threat\/[^/]+$/.test(x.id) && x.availability);
    const C = window.Cesium;
    const t0 = C.JulianDate.secondsDifference(e.availability.start, hd.epoch);
    const t1 = C.JulianDate.secondsDifference(e.availability.stop, hd.epoch);
    const stop = C.JulianDate.secondsDifference(hd.viewer.clock.stopTime, hd.epoch);
    return { id: e.id, t0, t1, stop };
  });
  const tMid = (info.t0 + info.t1) / 2;
  await page.evaluate((t) => window.hyperdef.setTime(t), tMid);
  await page.evaluate(() => window.hyperdef.waitFrames(3));

  // The globe renders: a blank or one-colour canvas has no luminance spread and few colours.
  const stats = await globeStats(page);
  console.log(`globe picture: luminance stddev ${stats.stddev.toFixed(1)}, ${stats.colours} colours`);
  assert.ok(stats.stddev > 12, `globe looks blank (stddev ${stats.stddev})`); // NE II imagery: ~40
  // A blank or single-colour canvas has a handful of colours; the imagery of a regional view
  // (the mc_small run: mostly sea) ~100, of the whole globe several hundred.
  assert.ok(stats.colours > 50, `globe looks blank (${stats.colours} colours)`);

  // Picking: click the threat's screen position; the details panel names it.
  const at = await page.evaluate((id) => window.hyperdef.screenPosition(id), info.id);
  assert.ok(at, `${info.id} is not on screen`);
  await page.mouse.click(at.x, at.y);
  await page.waitForFunction(
    (id) => document.getElementById('details-list').textContent.includes(id), info.id,
    { timeout: 10000 });
  const details = await page.locator('#details-list').innerText();
  for (const word of ['kind', 'threat', 'phase', 'speed', 'altitude']) {
    assert.ok(details.includes(word), `details lack "${word}":\n${details}`);
  }

  // The clock moves the entities: the threat (entity) and a satellite (primitive) move.
  const before = await page.evaluate((id) => {
    const hd = window.hyperdef;
    return { threat: hd.positionOf(id), screen: hd.screenPosition(id), sat: hd.sats.items[0]?.p.position.clone() };
  }, info.id);
  await page.evaluate((t) => window.hyperdef.setTime(t), tMid + 60);
  await page.evaluate(() => window.hyperdef.waitFrames(2));
  const moved = await page.evaluate((id) => {
    const hd = window.hyperdef;
    return { threat: hd.positionOf(id), screen: hd.screenPosition(id), sat: hd.sats.items[0]?.p.position.clone() };
  }, info.id);
  const dist = (a, b) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
  // 60 s of flight of any threat: well over 10 km.
  assert.ok(dist(before.threat, moved.threat) > 10e3, 'the threat did not move with the clock');
  assert.ok(Math.hypot(before.screen.x - moved.screen.x, before.screen.y - moved.screen.y) > 2,
    'the threat did not move on screen');
  if (before.sat) {
    // A low Earth orbit covers ~400 km in 60 s.
    const s = (p) => [p.x, p.y, p.z];
    assert.ok(dist(s(before.sat), s(moved.sat)) > 100e3, 'the satellite primitives did not move');
  }

  // The time slider: a click on the timeline at 3/4 of its width moves the clock there.
  const tl = await page.locator('.cesium-timeline-bar').boundingBox();
  await page.mouse.click(tl.x + 0.75 * tl.width, tl.y + tl.height / 2);
  const tSlider = await page.evaluate(() => window.hyperdef.time());
  // The timeline spans the whole clock range; 3 % slack for the widget's margins.
  assert.ok(Math.abs(tSlider - 0.75 * info.stop) < 0.03 * info.stop,
    `timeline click set t = ${tSlider}, expected ~${0.75 * info.stop}`);

  // A click on a plot moves the clock to the time under the cursor.
  const plot = await page.locator('#plot-altitude').boundingBox();
  const left = 50; // LinePlot's left margin (CSS px)
  const right = 10;
  await page.mouse.click(plot.x + left + 0.25 * (plot.width - left - right), plot.y + plot.height / 2);
  const tPlot = await page.evaluate(() => window.hyperdef.time());
  assert.ok(Math.abs(tPlot - 0.25 * info.stop) < 0.01 * info.stop,
    `plot click set t = ${tPlot}, expected ~${0.25 * info.stop}`);
  // And the plots have data (not the "no data" placeholder).
  const nSeries = await page.evaluate(() =>
    Object.fromEntries(Object.entries(window.hyperdef.plots).map(([k, p]) => [k, p.series.length])));
  assert.ok(nSeries.altitude > 0, `altitude plot empty: ${JSON.stringify(nSeries)}`);

  // Layer toggle: hiding threats hides their entities.
  await page.locator('#layer-threats').uncheck();
  assert.equal(await page.evaluate((id) => window.hyperdef.byId.get(id).show, info.id), false);
  await page.locator('#layer-threats').check();

  // report.html, when `hyperdef report` wrote one.
  const report = await page.request.get(`${server.url}run/report.html`);
  if (report.status() === 200) {
    const rp = await browser.newPage();
    const rproblems = [];
    rp.on('console', (m) => m.type() === 'error' && rproblems.push(m.text()));
    rp.on('pageerror', (e) => rproblems.push(e.message));
    await rp.goto(`${server.url}run/report.html`, { waitUntil: 'load' });
    const figures = await rp.locator('svg, canvas, img').count();
    assert.ok(figures > 0, 'report.html has no plots');
    assert.deepEqual(rproblems, []);
    await rp.close();
  } else {
    console.log('report.html absent: skipped its check');
  }

  assert.deepEqual(problems, []);
  await page.close();
  assert.equal(await stopServer(server), 0);
});

test('viewer at scale: 1,000 satellites and 100 threats', { timeout: 120000 }, async () => {
  const runDir = join(tmp, 'scale');
  console.log(makeFixture(runDir, ['--threats', '100', '--sats', '1000']));
  const server = await startServer(runDir);
  servers.push(server);
  const t0 = Date.now();
  const { page, problems, counts } = await openViewer(browser, server.url);
  const loadS = (Date.now() - t0) / 1000;
  assert.equal(counts.satellites, 1000);
  assert.ok(counts.threats >= 100, JSON.stringify(counts));
  await page.evaluate(() => window.hyperdef.setTime(300));
  const frames = await page.evaluate(() => window.hyperdef.measureFrames(6000, 20));
  const los = await page.evaluate(() => window.hyperdef.los.shown);
  console.log(
    `scale: ${counts.satellites} satellites, ${counts.threats} threat entities, ${counts.los} ` +
      `lines of sight (${los} shown); loaded in ${loadS.toFixed(1)} s; while playing: ` +
      `${frames.frames} frames, mean ${frames.mean_ms.toFixed(1)} ms, p95 ${frames.p95_ms.toFixed(1)} ms` +
      ` (software WebGL)`,
  );
  assert.ok(frames.frames >= 1, 'no frame rendered while playing');
  // With 100 tracks the ellipsoids start hidden (each costs a geometry rebuild per frame); the
  // picked track shows its own.
  const ell = await page.evaluate(() => {
    const v = window.hyperdef.viewer;
    const tracks = [];
    for (const ds of v.dataSources._dataSources)
      for (const e of ds.entities.values) if (e.id.startsWith('track/') && e.ellipsoid) tracks.push(e);
    const shown = () => tracks.filter((e) => e.ellipsoid.show.getValue()).length;
    const before = shown();
    v.selectedEntity = tracks[0];
    const after = shown();
    const picked = tracks[0].ellipsoid.show.getValue();
    v.selectedEntity = undefined;
    return { n: tracks.length, before, after, picked };
  });
  assert.ok(ell.n > 20 && ell.before === 0 && ell.after === 1 && ell.picked, JSON.stringify(ell));
  const stats = await globeStats(page);
  assert.ok(stats.stddev > 12 && stats.colours > 200, `blank at scale: ${JSON.stringify(stats)}`);
  assert.deepEqual(problems, []);
  await page.close();
  assert.equal(await stopServer(server), 0);
});
