// Benchmark: frame times while a card is dragged across a grid holding 300 cards, in the
// real window. Prints the median and p95 of the intervals between animation frames
// (requestAnimationFrame timestamps gathered in the page) during a WebDriver pointer drag.
// Target: p95 under 16 ms (60 frames a second).
//
// Run: `npm run bench:drag` (after `./dev test` or `cargo build`, with a display or under
// xvfb-run).
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { By, click, cli, launch, rectOf, startDriver, tempFolder, until } from './harness.mjs';

const CARDS = Number(process.env.BENCH_CARDS ?? 300);
const STEPS = 150;

function session() {
  const organizations = Array.from({ length: CARDS }, (_, n) => ({
    id: `org-${n}`, name: `Organization ${n + 1}`, shortLabel: `Org ${n + 1}`, sector: 'ngo',
    directlyAffected: n % 4 === 0, notes: '', colour: '#457b9d',
  }));
  const grid = {
    id: 'grid-1', kind: 'power-interest', title: 'Power and interest',
    labels: { xTitle: 'Interest', xLow: 'Low', xHigh: 'High', yTitle: 'Power', yLow: 'Low', yHigh: 'High',
      regions: ['Monitor', 'Keep informed', 'Keep satisfied', 'Manage closely'] },
  };
  const placements = organizations.map((o, n) => ({
    gridId: grid.id, organizationId: o.id, x: ((n * 37) % 100) / 100, y: ((n * 61) % 97) / 97, movedBy: '', movedAt: 0,
  }));
  return {
    format: 'powermap/1',
    session: { id: 'bench', title: 'Drag benchmark', question: '', date: null, place: '', facilitator: '', notes: '',
      followsUp: null, createdAt: 0, updatedAt: 0 },
    organizations, grids: [grid], placements, commitments: [],
  };
}

const folder = tempFolder();
const db = path.join(folder, 'bench.db');
const file = path.join(folder, 'bench.json');
writeFileSync(file, JSON.stringify(session()));
cli(db, 'import', file);

const server = await startDriver();
const driver = await launch(server, db, { width: 1600, height: 1000 });
try {
  await click(driver, By.xpath(`//button[contains(., 'Drag benchmark')]`));
  await driver.wait(until.elementLocated(By.css('[data-org-id="org-0"]')), 10000);
  const cards = await driver.findElements(By.css('[data-grid-kind] [data-card]'));
  const surface = await driver.findElement(By.css('[data-grid-kind]'));
  const s = await rectOf(driver, surface);
  const card = await driver.findElement(By.css('[data-org-id="org-0"]'));
  const c = await rectOf(driver, card);
  // Each recording has its own array, so a loop left from the last one cannot mix in.
  const record = `
    const frames = [];
    window.__frames = frames;
    window.__recording = true;
    const tick = (t) => { if (!window.__recording || window.__frames !== frames) return; frames.push(t); requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  `;
  const summary = (frames) => {
    const intervals = frames.slice(1).map((t, i) => t - frames[i]).sort((a, b) => a - b);
    const at = (p) => intervals[Math.min(intervals.length - 1, Math.round((intervals.length - 1) * p))];
    return `median ${at(0.5).toFixed(1)} ms  p95 ${at(0.95).toFixed(1)} ms  max ${intervals[intervals.length - 1].toFixed(1)} ms  (${intervals.length} frames)`;
  };
  // The window's own pace with nothing moving, as a baseline for this display.
  await driver.executeScript(record);
  await driver.sleep(2000);
  const idle = await driver.executeScript('window.__recording = false; return window.__frames;');
  await driver.executeScript(record);
  const startX = Math.round(c.left + c.width / 2);
  const startY = Math.round(c.top + c.height / 2);
  let actions = driver.actions({ async: true }).move({ x: startX, y: startY }).press();
  for (let i = 1; i <= STEPS; i++) {
    const t = i / STEPS;
    actions = actions.move({
      x: Math.round(s.left + s.width * (0.1 + 0.8 * t)),
      y: Math.round(s.top + s.height * (0.5 + 0.35 * Math.sin(t * Math.PI * 2))),
      duration: 16,
    });
  }
  await actions.release().perform();
  const frames = await driver.executeScript('window.__recording = false; return window.__frames;');
  console.log(`Powermap drag benchmark — ${cards.length} cards on the grid, ${STEPS} pointer moves`);
  console.log(`frame interval, idle:           ${summary(idle)}`);
  console.log(`frame interval, during the drag: ${summary(frames)}  (target p95 < 16 ms)`);
} finally {
  await driver.quit();
  await server.stop();
}
