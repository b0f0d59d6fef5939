// End-to-end: running the room (issue 3) — commitments, undo, group moves, the timer and
// projector mode, in the real window.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';

import {
  DOCS, By, Key, byName, click, cli, dragTo, exported, launch, rectOf, screenshot, startDriver, tempFolder, until,
} from './harness.mjs';

let server;
before(async () => {
  server = await startDriver();
});
after(() => server?.stop());

const SAMPLE = 'Sample: Riverside housing-rights coalition';

async function openSample(driver) {
  await click(driver, By.xpath(`//button[contains(., 'Sample: Riverside')]`));
  await driver.wait(until.elementLocated(By.css('[data-grid-kind="power-interest"] [data-card]')), 10000);
}

function placementOf(db, organizationId, gridId) {
  return exported(db, SAMPLE).placements.find((p) => p.organizationId === organizationId && p.gridId === gridId);
}

test('add a commitment for a card and change its status; both persist across a restart', async () => {
  const db = path.join(tempFolder(), 'powermap.db');
  cli(db, 'sample');
  const mayor = exported(db, SAMPLE).organizations.find((o) => o.name === 'Office of the Mayor');
  let driver = await launch(server, db);
  try {
    await openSample(driver);
    await click(driver, By.css(`[data-grid-kind="power-interest"] [data-org-id="${mayor.id}"]`));
    await click(driver, byName('Add commitment', 'button'));
    const action = await driver.wait(until.elementLocated(By.css('dialog[open] textarea[name="action"]')), 5000);
    await action.sendKeys('Ask for a meeting with the deputy mayor');
    await driver.findElement(By.css('dialog[open] input[name="person"]')).sendKeys('Dolores');
    await click(driver, byName('Record commitment', 'button'));
    const row = await driver.wait(
      until.elementLocated(By.xpath(`//li[@data-commitment-id][.//button[contains(., 'deputy mayor')]]`)),
      5000,
      'the new commitment shows in the card details',
    );
    const badge = await driver.findElement(By.css(`[data-grid-kind="power-interest"] [data-org-id="${mayor.id}"] .badge`));
    assert.equal(await badge.getText(), '1', 'the card shows one open commitment');
    await row.findElement(By.css('select[name="status"] option[value="done"]')).click();
    await driver.wait(() => {
      const made = exported(db, SAMPLE).commitments.find((c) => c.action.includes('deputy mayor'));
      return made?.status === 'done';
    }, 5000, 'the status change is stored');
  } finally {
    await driver.quit();
  }

  const stored = exported(db, SAMPLE).commitments.find((c) => c.action.includes('deputy mayor'));
  assert.equal(stored.organizationId, mayor.id);
  assert.equal(stored.person, 'Dolores');

  driver = await launch(server, db);
  try {
    await openSample(driver);
    const row = await driver.wait(
      until.elementLocated(By.xpath(`//li[@data-commitment-id][.//button[contains(., 'deputy mayor')]]`)),
      5000,
      'after a restart the commitment is in the session list',
    );
    assert.match(await row.getAttribute('class'), /\bdone\b/, 'and still done');
  } finally {
    await driver.quit();
  }
});

test('Ctrl+Z undoes a drag, Ctrl+Shift+Z redoes it', async () => {
  const db = path.join(tempFolder(), 'powermap.db');
  cli(db, 'sample');
  const doc = exported(db, SAMPLE);
  const grid = doc.grids.find((g) => g.kind === 'power-interest');
  const courier = doc.organizations.find((o) => o.name === 'The Riverside Courier');
  const start = placementOf(db, courier.id, grid.id);
  const driver = await launch(server, db);
  try {
    await openSample(driver);
    const surface = await driver.findElement(By.css(`[data-grid-id="${grid.id}"]`));
    const s = await rectOf(driver, surface);
    const card = await driver.findElement(By.css(`[data-grid-id="${grid.id}"] [data-org-id="${courier.id}"]`));
    await dragTo(driver, card, Math.round(s.left + 0.85 * s.width), Math.round(s.top + 0.55 * s.height));
    await driver.wait(() => Math.abs(placementOf(db, courier.id, grid.id).x - 0.85) < 0.01, 5000, 'the drag is stored');

    await driver.actions().keyDown(Key.CONTROL).sendKeys('z').keyUp(Key.CONTROL).perform();
    await driver.wait(() => {
      const p = placementOf(db, courier.id, grid.id);
      return Math.abs(p.x - start.x) < 1e-9 && Math.abs(p.y - start.y) < 1e-9;
    }, 5000, 'Ctrl+Z puts the card back where it was');
    await driver.wait(until.elementLocated(By.xpath(`//*[@data-notice][contains(., 'Undone: Move')]`)), 5000);

    await driver.actions().keyDown(Key.CONTROL).keyDown(Key.SHIFT).sendKeys('z').keyUp(Key.SHIFT).keyUp(Key.CONTROL).perform();
    await driver.wait(() => Math.abs(placementOf(db, courier.id, grid.id).x - 0.85) < 0.01, 5000, 'Ctrl+Shift+Z moves it again');
  } finally {
    await driver.quit();
  }
});

test('lasso-select three cards and move them together', async () => {
  const db = path.join(tempFolder(), 'powermap.db');
  cli(db, 'sample');
  const doc = exported(db, SAMPLE);
  const grid = doc.grids.find((g) => g.kind === 'power-interest');
  const names = ['Riverside Tenants Union', 'Eastside Renters Assembly', 'Youth Against Displacement'];
  const group = names.map((n) => doc.organizations.find((o) => o.name === n));
  const before = group.map((o) => placementOf(db, o.id, grid.id));
  const driver = await launch(server, db);
  try {
    await openSample(driver);
    const surface = await driver.findElement(By.css(`[data-grid-id="${grid.id}"]`));
    const s = await rectOf(driver, surface);
    const at = (x, y) => ({ x: Math.round(s.left + x * s.width), y: Math.round(s.top + (1 - y) * s.height) });
    const from = at(0.98, 0.05);
    const to = at(0.72, 0.41);
    await driver.actions({ async: true })
      .move(from).press()
      .move({ ...at(0.85, 0.2), duration: 50 })
      .move({ ...to, duration: 50 })
      .release().perform();
    const count = await driver.wait(until.elementLocated(By.css('[data-selection-count]')), 5000, 'three cards are selected');
    assert.match(await count.getText(), /^3 cards selected/);

    const held = await driver.findElement(By.css(`[data-grid-id="${grid.id}"] [data-org-id="${group[2].id}"]`));
    const target = at(before[2].x - 0.3, before[2].y + 0.3);
    await dragTo(driver, held, target.x, target.y);
    await driver.wait(() => {
      return group.every((o, i) => {
        const p = placementOf(db, o.id, grid.id);
        return Math.abs(p.x - (before[i].x - 0.3)) < 0.012 && Math.abs(p.y - (before[i].y + 0.3)) < 0.012;
      });
    }, 5000, 'all three moved by the same distance');
    const others = doc.organizations.filter((o) => !names.includes(o.name));
    for (const o of others) {
      const was = doc.placements.find((p) => p.organizationId === o.id && p.gridId === grid.id);
      const now = placementOf(db, o.id, grid.id);
      assert.deepEqual([now.x, now.y], [was.x, was.y], `${o.name} stayed put`);
    }
    await driver.actions().keyDown(Key.CONTROL).sendKeys('z').keyUp(Key.CONTROL).perform();
    await driver.wait(() => group.every((o, i) => placementOf(db, o.id, grid.id).x === before[i].x), 5000, 'one undo puts the whole group back');
  } finally {
    await driver.quit();
  }
});

test('the discussion timer runs, pauses and resets', async () => {
  const db = path.join(tempFolder(), 'powermap.db');
  cli(db, 'sample');
  const driver = await launch(server, db);
  try {
    await openSample(driver);
    const time = await driver.findElement(By.css('[data-timer] [data-time]'));
    assert.equal(await time.getText(), '5:00');
    await click(driver, By.css('button[aria-label="Start the timer"]'));
    await driver.wait(async () => (await time.getText()) !== '5:00', 3000, 'the timer counts down');
    await click(driver, By.css('button[aria-label="Pause the timer"]'));
    const paused = await time.getText();
    await driver.sleep(1300);
    assert.equal(await time.getText(), paused, 'a paused timer stands still');
    await click(driver, By.css('button[aria-label="Reset the timer"]'));
    assert.equal(await time.getText(), '5:00');
  } finally {
    await driver.quit();
  }
});

test('projector mode hides the editing chrome (README screenshot)', async () => {
  const db = path.join(tempFolder(), 'powermap.db');
  cli(db, 'sample');
  const driver = await launch(server, db, { width: 1600, height: 1000 });
  try {
    await openSample(driver);
    await click(driver, byName('Projector mode', 'button'));
    await driver.wait(until.elementLocated(byName('Exit projector mode', 'button')), 5000);
    assert.equal((await driver.findElements(byName('Add organization', 'button'))).length, 0, 'editing chrome is hidden');
    assert.equal((await driver.findElements(By.css('[data-timer]'))).length, 1, 'the timer stays visible');
    await driver.sleep(400);
    await screenshot(driver, path.join(DOCS, 'projector-mode.png'));
    await click(driver, byName('Exit projector mode', 'button'));
    await driver.wait(until.elementLocated(byName('Add organization', 'button')), 5000);
  } finally {
    await driver.quit();
  }
});

test('projected at 1920 × 1080, no text is smaller than 24 px; the regions’ names stay clear of the cards', async () => {
  const db = path.join(tempFolder(), 'powermap.db');
  cli(db, 'sample');
  const driver = await launch(server, db, { width: 1920, height: 1080 });
  try {
    await openSample(driver);
    await click(driver, byName('Projector mode', 'button'));
    await driver.wait(until.elementLocated(byName('Exit projector mode', 'button')), 5000);
    for (const tab of ['Power and interest', 'Spectrum of allies']) {
      await click(driver, byName(tab, 'button'));
      await driver.wait(until.elementLocated(By.css('[data-grid-id] [data-card]')), 5000);
      // Every piece of text shown, with its computed size (text for screen readers only aside).
      const small = await driver.executeScript(`
        const found = [];
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) {
          const node = walker.currentNode;
          const element = node.parentElement;
          if (!node.textContent.trim() || !element || element.closest('.visually-hidden, dialog:not([open]), [hidden]')) continue;
          const box = element.getBoundingClientRect();
          if (box.width === 0 || box.height === 0 || getComputedStyle(element).visibility === 'hidden') continue;
          const size = parseFloat(getComputedStyle(element).fontSize);
          if (size < 24) found.push(node.textContent.trim().slice(0, 40) + ' (' + size.toFixed(1) + ' px)');
        }
        return found;`);
      assert.deepEqual(small, [], `${tab}: text under 24 px in projector mode`);
      // How much of each region name the cards cover: the quadrants' names sit in their
      // outer corners, where the sample's cards leave them clear; a wedge's name moves to a
      // spot of its wedge where no card stands (the sample's foundation and chamber stand
      // where the neutral and passive-opposition names would go first).
      const covered = await driver.executeScript(`
        const cards = [...document.querySelectorAll('[data-grid-id] [data-card]')].map((c) => c.getBoundingClientRect());
        return [...document.querySelectorAll('[data-grid-id] .region')].map((label) => {
          const r = label.getBoundingClientRect();
          let area = 0;
          for (const c of cards) {
            area += Math.max(0, Math.min(r.right, c.right) - Math.max(r.left, c.left))
              * Math.max(0, Math.min(r.bottom, c.bottom) - Math.max(r.top, c.top));
          }
          return { name: label.textContent.trim(), covered: Math.round((area / (r.width * r.height)) * 100) };
        });`);
      assert.ok(covered.length > 0, 'the region names are found');
      const hidden = covered.filter((r) => r.covered > 25);
      assert.deepEqual(hidden, [], `${tab}: region names more than a quarter under cards`);
    }
    await click(driver, byName('Exit projector mode', 'button'));
  } finally {
    await driver.quit();
  }
});
