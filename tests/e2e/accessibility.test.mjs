// End-to-end: what a screen reader finds and hears in the real window, read from its
// accessibility tree through AT-SPI (tests/e2e/atspi.py, as Orca reads it), and where the
// keyboard focus goes when a dialog closes.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import {
  By, Key, byName, click, cli, countOf, dragTo, exported, launch, rectOf, startDriver, storedState, tempFolder, until,
} from './harness.mjs';
import { CONTRAST, TARGETS } from './measures.mjs';

const SAMPLE = 'Sample: Riverside housing-rights coalition';
const LEVEL = '(very low|low|middle|high|very high)';

let server;
before(async () => {
  // The other tests run without the accessibility bridge (NO_AT_BRIDGE=1); these need it.
  server = await startDriver({ env: { NO_AT_BRIDGE: '0' } });
});
after(() => server?.stop());

/** The window's accessible objects (role, name, description, a live region's text). */
function accessibleTree() {
  const run = spawnSync('/usr/bin/python3', [path.join(import.meta.dirname, 'atspi.py')], { encoding: 'utf8', timeout: 30000 });
  if (run.status !== 0) throw new Error(`atspi.py failed: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

async function openSample(driver) {
  await click(driver, By.xpath(`//button[contains(., 'Sample: Riverside')]`));
  await driver.wait(until.elementLocated(By.css('[data-grid-kind="power-interest"] [data-card]')), 10000);
}

test('a screen reader finds each card by name with its place in words, and hears every move', async () => {
  const db = path.join(tempFolder(), 'powermap.db');
  cli(db, 'sample');
  const session = exported(db, SAMPLE);
  const grid = session.grids.find((g) => g.kind === 'power-interest');
  const mayor = session.organizations.find((o) => o.name === 'Office of the Mayor');
  const driver = await launch(server, db);
  try {
    await openSample(driver);

    // Every card of the grid shown: a toggle button named as the organization, described
    // by its place (the region, then power and interest in words).
    let tree;
    await driver.wait(() => {
      tree = accessibleTree();
      return tree.some((o) => o.role === 'toggle button' && o.name === mayor.name);
    }, 10000, 'the cards reach the accessibility tree');
    const placed = session.placements.filter((p) => p.gridId === grid.id);
    for (const placement of placed) {
      const organization = session.organizations.find((o) => o.id === placement.organizationId);
      const card = tree.find((o) => o.role === 'toggle button' && o.name === organization.name);
      assert.ok(card, `${organization.name} is in the tree as a toggle button`);
      const region = grid.labels.regions[(placement.x >= 0.5 ? 1 : 0) + (placement.y >= 0.5 ? 2 : 0)];
      assert.match(
        card.description,
        new RegExp(`${region}, Power ${LEVEL}, Interest ${LEVEL}`),
        `${organization.name}'s description says where it is`,
      );
    }
    const surface = tree.find((o) => o.role === 'landmark' && o.name === grid.title);
    assert.ok(surface, 'the grid is a landmark named by its title');
    assert.match(surface.description, new RegExp(`${placed.length} cards placed`), 'the grid says how many cards it holds');

    // The mayor dragged into the top right corner: the live region says so, with the place.
    const s = await rectOf(driver, await driver.findElement(By.css(`[data-grid-id="${grid.id}"]`)));
    const card = await driver.findElement(By.css(`[data-grid-id="${grid.id}"] [data-org-id="${mayor.id}"]`));
    await dragTo(driver, card, Math.round(s.left + 0.9 * s.width), Math.round(s.top + 0.1 * s.height));
    const moved = `Move “${mayor.name}” — now Manage closely, Power very high, Interest very high`;
    const said = (text) => () => {
      tree = accessibleTree();
      return tree.some((o) => o.role.startsWith('status') && o.text === text);
    };
    await driver.wait(said(moved), 10000, `the live region says "${moved}"`).catch(() => {
      throw new Error(`the live region does not say "${moved}": ${JSON.stringify(tree.filter((o) => o.role.startsWith('status')))}`);
    });
    const after = tree.find((o) => o.role === 'toggle button' && o.name === mayor.name);
    assert.match(after.description, /Manage closely, Power very high, Interest very high/, 'the card describes its new place');

    // Undo from the keyboard: heard too, with where the card is back.
    await driver.findElement(By.css('body')).sendKeys(Key.chord(Key.CONTROL, 'z'));
    const before = session.placements.find((p) => p.gridId === grid.id && p.organizationId === mayor.id);
    const region = grid.labels.regions[(before.x >= 0.5 ? 1 : 0) + (before.y >= 0.5 ? 2 : 0)];
    await driver.wait(() => {
      tree = accessibleTree();
      return tree.some((o) => o.role.startsWith('status') && o.text.startsWith(`Undone: Move “${mayor.name}” — now ${region}, `));
    }, 10000, 'the undo is heard with the place the card is back at');
  } finally {
    await driver.quit();
  }
});

test('closing a dialog gives the focus back to what opened it; a focused card removed leaves it in the map', async () => {
  const db = path.join(tempFolder(), 'powermap.db');
  cli(db, 'sample');
  const driver = await launch(server, db);
  try {
    await openSample(driver);
    const focusedName = () => driver.executeScript(
      'const e = document.activeElement; return e ? (e.getAttribute("aria-label") || e.textContent.trim()) : null;',
    );
    // Closed with Escape.
    const details = await click(driver, byName('Session details', 'button'));
    await driver.wait(until.elementLocated(By.css('dialog[open]')), 5000);
    await driver.actions().sendKeys(Key.ESCAPE).perform();
    await driver.wait(async () => (await countOf(driver, 'dialog[open]')) === 0, 5000, 'Escape closes the dialog');
    await driver.wait(async () => (await focusedName()) === 'Session details', 5000, 'the focus is back on Session details');
    assert.ok(await driver.executeScript('return document.activeElement === arguments[0]', details));

    // Closed with its own button (Done).
    await click(driver, By.xpath(`//button[starts-with(normalize-space(.), 'People (')]`));
    await click(driver, By.xpath('//dialog[@open]//button[normalize-space(.)="Done"]'));
    await driver.wait(async () => (await focusedName())?.startsWith('People ('), 5000, 'the focus is back on People');

    // The organization removed from its panel: the button that asked is gone with it, and
    // the focus goes to the map, not out of the page.
    const mayor = exported(db, SAMPLE).organizations.find((o) => o.name === 'Office of the Mayor');
    await click(driver, By.css(`[data-grid-kind="power-interest"] [data-org-id="${mayor.id}"]`));
    await click(driver, byName('Remove…', 'button'));
    await click(driver, byName('Remove organization', 'button'));
    await driver.wait(async () => (await countOf(driver, `[data-org-id="${mayor.id}"]`)) === 0, 5000, 'the card is removed');
    await driver.wait(
      () => driver.executeScript('return document.activeElement?.matches("main.map") ?? false'),
      5000,
      'the focus is on the map, not lost to the page’s body',
    );
  } finally {
    await driver.quit();
  }
});

test('every text has WCAG AA contrast in the light and dark themes, projected or not', async () => {
  const db = path.join(tempFolder(), 'powermap.db');
  cli(db, 'sample');
  const session = exported(db, SAMPLE);
  const driver = await launch(server, db, { width: 1600, height: 1000 });
  try {
    await openSample(driver);
    const failures = [];
    for (const theme of ['light', 'dark']) {
      // The window remembers its theme between runs (in its settings file, which this test
      // file's windows share): switched only when it is the other one.
      const current = await driver.executeScript('return document.documentElement.dataset.theme');
      if (current !== theme) await click(driver, byName(theme === 'dark' ? 'Dark theme' : 'Light theme', 'button'));
      await driver.wait(async () => (await driver.executeScript('return document.documentElement.dataset.theme')) === theme, 5000);
      for (const projector of [false, true]) {
        if (projector) await click(driver, byName('Projector mode', 'button'));
        for (const grid of session.grids) {
          await click(driver, byName(grid.title, 'button'));
          await driver.wait(until.elementLocated(By.css(`[data-grid-id="${grid.id}"] [data-card]`)), 5000);
          const found = await driver.executeScript(CONTRAST);
          failures.push(...found.map((f) => ({ theme, projector, grid: grid.title, ...f })));
        }
        if (projector) await click(driver, byName('Exit projector mode', 'button'));
      }
    }
    // The theme is remembered for the next window (and the next test): back to light.
    await click(driver, byName('Light theme', 'button'));
    await driver.wait(async () => (await driver.executeScript('return document.documentElement.dataset.theme')) === 'light', 5000);
    assert.deepEqual(
      failures.map((f) => `${f.theme}${f.projector ? ' projected' : ''}, ${f.grid}: “${f.text}” ${f.ratio}:1 (needs ${f.needed}:1) fg ${JSON.stringify(f.fg)} bg ${JSON.stringify(f.bg)}`),
      [],
      'texts below WCAG AA contrast',
    );
  } finally {
    await driver.quit();
  }
});

test('every touch target is at least 44 × 44 px', async () => {
  const db = path.join(tempFolder(), 'powermap.db');
  cli(db, 'sample');
  const session = exported(db, SAMPLE);
  const driver = await launch(server, db, { width: 1280, height: 800 });
  try {
    const small = [];
    small.push(...(await driver.executeScript(TARGETS)).map((t) => ({ screen: 'sessions', ...t })));
    await openSample(driver);
    for (const grid of session.grids) {
      await click(driver, byName(grid.title, 'button'));
      await driver.wait(until.elementLocated(By.css(`[data-grid-id="${grid.id}"] [data-card]`)), 5000);
      small.push(...(await driver.executeScript(TARGETS)).map((t) => ({ screen: grid.title, ...t })));
    }
    await click(driver, byName('Session details', 'button'));
    await driver.wait(until.elementLocated(By.css('dialog[open]')), 5000);
    small.push(...(await driver.executeScript(TARGETS)).map((t) => ({ screen: 'Session details', ...t })));
    assert.deepEqual(small.map((t) => `${t.screen}: ${t.tag} “${t.what}” ${t.width} × ${t.height}`), [], 'targets smaller than 44 × 44 px');
  } finally {
    await driver.quit();
  }
});

test('the theme follows the desktop’s until one is chosen, and the choice is kept in the settings file', async () => {
  const db = path.join(tempFolder(), 'powermap.db');
  cli(db, 'sample');
  const config = tempFolder();
  const file = path.join(config, 'org.powermap.app', 'settings.json');
  // A desktop that prefers dark colours (GTK's theme, which the web view reads).
  const own = await startDriver({ env: { XDG_CONFIG_HOME: config, GTK_THEME: 'Adwaita:dark' } });
  const theme = (driver) => driver.executeScript('return document.documentElement.dataset.theme');
  const kept = () => JSON.parse(readFileSync(file, 'utf8')).theme;
  try {
    let driver = await launch(own, db);
    try {
      assert.equal(await theme(driver), 'dark', 'nothing chosen: the desktop’s');
      await openSample(driver);
      await click(driver, byName('Light theme', 'button'));
      await driver.wait(async () => (await theme(driver)) === 'light', 5000, 'the window turned light');
      await storedState(driver, kept, (chosen) => chosen === 'light', 'the theme was not kept in the settings file');
    } finally {
      await driver.quit();
    }
    // The next run starts light, the choice over the desktop's; Settings goes back to it.
    driver = await launch(own, db);
    try {
      assert.equal(await theme(driver), 'light');
      await click(driver, byName('Settings', 'button'));
      const follow = await driver.wait(until.elementLocated(By.css('dialog[open] input[name="theme"][value="desktop"]')), 5000);
      assert.equal(await follow.findElement(By.xpath('..')).getText(), 'The desktop’s (Dark)');
      await follow.click();
      await driver.wait(async () => (await theme(driver)) === 'dark', 5000, 'the window follows the desktop again');
      await storedState(driver, kept, (chosen) => chosen === null, 'following the desktop was not kept');
    } finally {
      await driver.quit();
    }
  } finally {
    await own.stop();
  }
});

test('a dark theme kept by an earlier version in the web storage moves into the settings file once', async () => {
  const db = path.join(tempFolder(), 'powermap.db');
  cli(db, 'sample');
  const config = tempFolder();
  const data = tempFolder();
  const file = path.join(config, 'org.powermap.app', 'settings.json');
  // Where WebKit keeps the window's web storage (an SQLite file of its own).
  const storage = path.join(data, 'org.powermap.app', 'localstorage', 'tauri_localhost_0.localstorage');
  // Read while WebKit writes it: a moment's lock is waited for (sqlite3's .timeout), and a
  // file not made yet or still locked is 'not yet', polled again.
  const former = () => {
    if (!existsSync(storage)) return 'no storage yet';
    try {
      return execFileSync('sqlite3', ['-cmd', '.timeout 2000', storage, "SELECT count(*) FROM ItemTable WHERE key = 'powermap.theme';"],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
    } catch (error) {
      return `not read: ${String(error.stderr ?? error.message).trim()}`;
    }
  };
  const own = await startDriver({ env: { XDG_CONFIG_HOME: config, XDG_DATA_HOME: data } });
  const theme = (driver) => driver.executeScript('return document.documentElement.dataset.theme');
  try {
    // What an earlier version left: the theme in the web storage, nothing in the settings.
    let driver = await launch(own, db);
    try {
      assert.equal(await theme(driver), 'light', 'a light desktop, nothing chosen');
      await driver.executeScript("localStorage.setItem('powermap.theme', 'dark')");
      await storedState(driver, former, (count) => count === '1', 'WebKit did not store the item');
    } finally {
      await driver.quit();
    }
    assert.ok(!existsSync(file) || JSON.parse(readFileSync(file, 'utf8')).theme == null, 'no theme in the settings yet');
    driver = await launch(own, db);
    try {
      await driver.wait(async () => (await theme(driver)) === 'dark', 5000, 'the former dark theme was not taken over');
      await storedState(driver, () => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).theme : null),
        (chosen) => chosen === 'dark', 'the former theme was not kept in the settings file');
      assert.equal(await driver.executeScript("return localStorage.getItem('powermap.theme')"), null, 'the web storage still has it');
    } finally {
      await driver.quit();
    }
  } finally {
    await own.stop();
  }
});
