// Benchmark: how fast the release app starts, beside an empty Tauri v2 window built in the
// same run with the same Tauri (tests/e2e/empty-window), and how fast a session of 500
// organizations opens. Prints medians over several launches:
//   launch → session list drawn, for Powermap and for the empty window (its first frame),
//     and the ratio (target ≤ 1.3);
//   open the 500-organization session: the click → its grid drawn with every card
//     (target ≤ 150 ms);
//   launch → that grid drawn (the two added: what a facilitator waits for in the room);
//   a session created on the command line (another program writing the file) → its row
//     in the open window's list (target ≤ 300 ms; from the command's exit, so the
//     command's own start is not counted).
// "Drawn" is the User Timing mark each page sets after the frame that shows it
// (ui/src/lib/marks.ts); "launch" is the start of the app's process, read from /proc, so
// the test driver's own start is not counted.
//
// Run: `./dev bench startup` (it builds both apps in release first).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { Builder, By, Capabilities, until } from 'selenium-webdriver';

import { startDriver, tempFolder } from './harness.mjs';

const ROOT = path.resolve(import.meta.dirname, '../..');
const APP = process.env.POWERMAP_APP ?? path.join(ROOT, 'target/release/powermap');
const EMPTY = process.env.POWERMAP_EMPTY_WINDOW ?? path.join(ROOT, 'target/release/powermap-empty-window');
const LAUNCHES = Number(process.env.BENCH_LAUNCHES ?? 7);
const ORGANIZATIONS = 500;
const SESSIONS_SHOWN = 'powermap:sessions-shown';
const SESSION_SHOWN = 'powermap:session-shown';
const SESSION_READ = 'powermap:session-read';
const SESSION_BUILT = 'powermap:session-built';

function session() {
  const organizations = Array.from({ length: ORGANIZATIONS }, (_, n) => ({
    id: `org-${n}`, name: `Organization ${n + 1}`, shortLabel: `Org ${n + 1}`, sector: 'ngo',
    directlyAffected: n % 4 === 0, notes: '', colour: '#457b9d',
  }));
  const labels = { xTitle: 'Interest', xLow: 'Low', xHigh: 'High', yTitle: 'Power', yLow: 'Low', yHigh: 'High',
    regions: ['Monitor', 'Keep informed', 'Keep satisfied', 'Manage closely'] };
  const grids = [1, 2, 3].map((n) => ({ id: `grid-${n}`, kind: 'power-interest', title: `Grid ${n}`, labels }));
  const placements = grids.flatMap((grid, g) => organizations.map((o, n) => ({
    gridId: grid.id, organizationId: o.id, x: ((n * 37 + g) % 100) / 100, y: ((n * 61 + g) % 97) / 97,
    movedBy: '', movedAt: 0,
  })));
  return {
    format: 'powermap/1',
    session: { id: 'bench', title: 'Startup benchmark', question: '', date: null, place: '', facilitator: '',
      notes: '', followsUp: null, createdAt: 0, updatedAt: 0 },
    organizations, grids, placements, commitments: [],
  };
}

/** When the process `pid` started, in milliseconds since the epoch (to the kernel's tick). */
function processStart(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const startTicks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
  const ticksPerSecond = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim());
  const uptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  const bootedAt = Date.now() - uptime * 1000;
  return bootedAt + (startTicks / ticksPerSecond) * 1000;
}

/** The newest process running `binary`. */
function newestProcess(binary) {
  const found = spawnSync('pgrep', ['-n', '-f', `^${binary}( |$)`], { encoding: 'utf8' }).stdout.trim();
  if (!found) throw new Error(`no process of ${binary} is running`);
  return Number(found);
}

/** Waits for the User Timing mark `name`; returns it in epoch milliseconds. */
async function markTime(driver, name) {
  const at = await driver.wait(
    () => driver.executeScript(
      `const m = performance.getEntriesByName(arguments[0], 'mark')[0];
       return m ? performance.timeOrigin + m.startTime : null;`, name),
    20000, `the page never set the mark ${name}`);
  return at;
}

async function launch(server, binary, args) {
  const capabilities = new Capabilities();
  capabilities.setBrowserName('wry');
  capabilities.set('tauri:options', { application: binary, args });
  const driver = await new Builder().withCapabilities(capabilities).usingServer(server.url).build();
  return { driver, started: processStart(newestProcess(binary)) };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
};
const range = (values) => `${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)}`;

const folder = tempFolder();
const db = path.join(folder, 'bench.db');
const file = path.join(folder, 'bench.json');
writeFileSync(file, JSON.stringify(session()));
const imported = spawnSync(APP, ['--db', db, 'import', file], { encoding: 'utf8' });
if (imported.status !== 0) throw new Error(`import failed: ${imported.stderr}`);

const server = await startDriver();
const empty = [];
const list = [];
const open = [];
// Where the open's time goes: the click → the rows arrived (IPC and the store), → the page
// built (the script making every element), → drawn (style, layout, paint of that frame).
const read = [];
const built = [];
const drawn = [];
const followed = [];
try {
  for (let run = 0; run < LAUNCHES; run++) {
    // The empty window, then Powermap, one after the other, so both see the same machine.
    {
      const { driver, started } = await launch(server, EMPTY, []);
      empty.push((await markTime(driver, SESSIONS_SHOWN)) - started);
      await driver.quit();
    }
    {
      const { driver, started } = await launch(server, APP, ['--db', db]);
      list.push((await markTime(driver, SESSIONS_SHOWN)) - started);
      // Another program adds a session: when does its row appear in this window's list?
      await driver.executeScript(`
        const rows = () => document.querySelectorAll('ul.list > li').length;
        const before = rows();
        window.__rowAdded = null;
        new MutationObserver((_, observer) => {
          if (rows() > before) { window.__rowAdded = performance.timeOrigin + performance.now(); observer.disconnect(); }
        }).observe(document.body, { childList: true, subtree: true });`);
      const added = spawnSync(APP, ['--db', db, 'sample'], { encoding: 'utf8' });
      const exited = Date.now();
      if (added.status !== 0) throw new Error(`the command line failed: ${added.stderr}`);
      const rowAdded = await driver.wait(() => driver.executeScript('return window.__rowAdded'), 10000,
        'the session the command line created never showed in the list');
      followed.push(rowAdded - exited);
      const button = await driver.wait(until.elementLocated(By.xpath(`//button[contains(., 'Startup benchmark')]`)), 10000);
      // Clicked in the page, so the time starts at the click itself, not at the driver's call.
      const clicked = await driver.executeScript(
        'const t = performance.timeOrigin + performance.now(); arguments[0].click(); return t;', button);
      const shown = await markTime(driver, SESSION_SHOWN);
      const cards = await driver.findElements(By.css('[data-grid-kind] [data-card]'));
      if (cards.length !== ORGANIZATIONS) throw new Error(`the grid shows ${cards.length} cards, not ${ORGANIZATIONS}`);
      open.push(shown - clicked);
      const readAt = await markTime(driver, SESSION_READ);
      const builtAt = await markTime(driver, SESSION_BUILT);
      read.push(readAt - clicked);
      built.push(builtAt - readAt);
      drawn.push(shown - builtAt);
      await driver.quit();
    }
  }
} finally {
  await server.stop();
}

const ratio = median(list) / median(empty);
console.log(`Powermap startup benchmark — release builds, ${LAUNCHES} launches each (median, range in ms)`);
console.log(`empty Tauri v2 window, launch → first frame:     ${median(empty).toFixed(0)} ms  (${range(empty)})`);
console.log(`Powermap, launch → session list drawn:           ${median(list).toFixed(0)} ms  (${range(list)})`);
console.log(`ratio:                                           ${ratio.toFixed(2)}  (target ≤ 1.3)`);
console.log(`open a ${ORGANIZATIONS}-organization session, click → grid drawn: ${median(open).toFixed(0)} ms  (${range(open)}; target ≤ 150 ms)`);
console.log(`  of which: click → rows arrived ${median(read).toFixed(0)} ms, → page built ${median(built).toFixed(0)} ms, → drawn ${median(drawn).toFixed(0)} ms`);
console.log(`Powermap, launch → that grid drawn:              ${(median(list) + median(open)).toFixed(0)} ms`);
console.log(`a session created on the command line → its row in the open window: ${median(followed).toFixed(0)} ms  (${range(followed)}; target ≤ 300 ms)`);
