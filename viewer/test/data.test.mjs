// Unit tests of the viewer's CSV reading and plot helpers (no browser needed).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { coverageRows, CsvReader, LineSplitter, trackErrorRows } from '../app/data.js';
import { gapThreshold, logTicks, niceTicks, yRange } from '../app/plots.js';

test('LineSplitter joins lines cut across chunks and strips CR', () => {
  const s = new LineSplitter();
  assert.deepEqual(s.push('a,b\r\nc'), ['a,b']);
  assert.deepEqual(s.push(',d\n'), ['c,d']);
  assert.deepEqual(s.push('e'), []);
  assert.deepEqual(s.end(), ['e']);
});

test('CsvReader maps named columns, whatever the chunking', () => {
  const text = 't_s,threat_id,position_error_m\n1,bm-1,10\n2,bm-1,20\n1,hgv-1,5\n';
  for (const cut of [1, 3, 7, text.length]) {
    const rows = trackErrorRows();
    const r = new CsvReader(rows.onRow);
    for (let k = 0; k < text.length; k += cut) r.push(text.slice(k, k + cut));
    r.end();
    const s = rows.series();
    assert.deepEqual(s.map((x) => x.name), ['bm-1', 'hgv-1']);
    assert.deepEqual([...s[0].t], [1, 2]);
    assert.deepEqual([...s[0].y], [10, 20]);
  }
});

test('coverage counts distinct wide-field satellites per frame, not false alarms or radar', () => {
  const rows = coverageRows();
  const r = new CsvReader(rows.onRow);
  r.push('t_s,sensor_id,platform_id,kind,false_alarm,truth_id,mode\n');
  r.push('10,a,s1,los,0,bm-1,wide\n10,a,s2,los,0,bm-1,wide\n10,a,s2,los,0,bm-1,wide\n');
  r.push('10,a,s3,los,1,,wide\n10,r,r1,radar,0,bm-1,search\n10,a,s4,los,0,bm-1,narrow\n');
  r.push('20,a,s1,los,0,bm-1,wide\n30,a,s1,los,0,bm-1,wide\n90,a,s1,los,0,bm-1,wide\n');
  r.end();
  const [s] = rows.series();
  assert.equal(s.name, 'bm-1');
  // 10 s frames; the 60 s gap (more than twice the usual 10 s) drops to 0 on both sides.
  assert.deepEqual([...s.t], [10, 20, 30, 40, 80, 90]);
  assert.deepEqual([...s.y], [2, 1, 1, 0, 0, 1]);
});

test('plot axes: round ticks, decades, ranges and gaps', () => {
  assert.deepEqual(niceTicks(0, 1000, 5), [0, 200, 400, 600, 800, 1000]);
  assert.deepEqual(niceTicks(0, 7, 4), [0, 2, 4, 6]);
  assert.deepEqual(logTicks(3, 4000), [1, 10, 100, 1000, 10000]);
  assert.deepEqual(yRange([{ y: [3, 4000] }], true), [1, 10000]);
  const [lo, hi] = yRange([{ y: [0, 100] }], false);
  assert.equal(lo, 0);
  assert.ok(Math.abs(hi - 105) < 1e-9); // 5 % headroom
  assert.equal(gapThreshold([0, 1, 2, 3, 50]), 5); // median step 1 s
});
