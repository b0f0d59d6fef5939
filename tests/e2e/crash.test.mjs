// End-to-end: the window killed (SIGKILL, as a power cut or a crash would) in the middle
// of a burst of drags, then opened again: the file passes SQLite's integrity check, every
// move that had been stored before the burst's last drag is there, and the window shows it.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { APP, By, click, cli, dragTo, exported, launch, rectOf, startDriver, storedState, tempFolder, until } from './harness.mjs';

let server;
before(async () => {
  server = await startDriver();
});
after(() => server?.stop());

const SAMPLE = 'Sample: Riverside housing-rights coalition';

/** The app's process for the database `db` (the newest, if several). */
function windowProcess(db) {
  const found = spawnSync('pgrep', ['-n', '-f', `${APP} --db ${db}`], { encoding: 'utf8' }).stdout.trim();
  assert.ok(found, `no window is running on ${db}`);
  return Number(found);
}

test('the window killed during a burst of drags opens again with every stored move and an intact file', async () => {
  const folder = tempFolder();
  const db = path.join(folder, 'powermap.db');
  cli(db, 'sample');
  const doc = exported(db, SAMPLE);
  const grid = doc.grids.find((g) => g.kind === 'power-interest');
  const names = doc.placements
    .filter((p) => p.gridId === grid.id)
    .slice(0, 6)
    .map((p) => doc.organizations.find((o) => o.id === p.organizationId));
  const target = (n) => ({ x: 0.08 + 0.16 * n, y: 0.12 });
  const driver = await launch(server, db, { width: 1400, height: 900 });
  try {
    await click(driver, By.xpath(`//button[contains(., 'Sample: Riverside')]`));
    const surface = await driver.wait(until.elementLocated(By.css('[data-grid-kind="power-interest"]')), 10000);
    const s = await rectOf(driver, surface);
    const drag = async (n) => {
      const card = await driver.findElement(By.css(`[data-grid-kind="power-interest"] [data-org-id="${names[n].id}"]`));
      const { x, y } = target(n);
      await dragTo(driver, card, s.left + s.width * x, s.top + s.height * (1 - y));
    };
    // The first moves of the burst, until they are stored.
    for (let n = 0; n < 4; n++) await drag(n);
    const placed = (d, n) => d.placements.find((p) => p.gridId === grid.id && p.organizationId === names[n].id);
    const near = (p, n) => Math.abs(p.x - target(n).x) < 0.03 && Math.abs(p.y - target(n).y) < 0.03;
    await storedState(driver, () => exported(db, SAMPLE), (d) => [0, 1, 2, 3].every((n) => near(placed(d, n), n)),
      'the first four moves should be stored');
    // The rest of the burst, and the power goes in the middle of it.
    await drag(4);
    const pid = windowProcess(db);
    const last = drag(5).catch(() => undefined);
    process.kill(pid, 'SIGKILL');
    await last;
  } finally {
    await driver.quit().catch(() => undefined);
  }

  const check = execFileSync('sqlite3', [db, 'PRAGMA integrity_check;'], { encoding: 'utf8' }).trim();
  assert.equal(check, 'ok', 'SQLite finds the file intact');
  const after = exported(db, SAMPLE);
  for (let n = 0; n < 4; n++) {
    const p = after.placements.find((q) => q.gridId === grid.id && q.organizationId === names[n].id);
    assert.ok(Math.abs(p.x - target(n).x) < 0.03 && Math.abs(p.y - target(n).y) < 0.03, `${names[n].name} is where it was dropped`);
  }

  const again = await launch(server, db, { width: 1400, height: 900 });
  try {
    await click(again, By.xpath(`//button[contains(., 'Sample: Riverside')]`));
    const card = await again.wait(until.elementLocated(By.css(`[data-grid-kind="power-interest"] [data-org-id="${names[0].id}"]`)), 10000);
    const surface = await again.findElement(By.css('[data-grid-kind="power-interest"]'));
    const [c, s] = [await rectOf(again, card), await rectOf(again, surface)];
    const x = (c.left + c.width / 2 - s.left) / s.width;
    assert.ok(Math.abs(x - target(0).x) < 0.05, `the reopened window shows ${names[0].name} where it was dropped (x ${x.toFixed(3)})`);
  } finally {
    await again.quit();
  }
});
