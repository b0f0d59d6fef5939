// End-to-end: a facilitator's first session in the real window (issue 2).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import {
  DOCS, By, byName, click, cli, dragTo, exported, launch, normalizedCentre, rectOf,
  Key, screenshot, startDriver, storedState, tempFolder, until,
} from './harness.mjs';
import { CUT_SELECTS } from './measures.mjs';

let server;
before(async () => {
  server = await startDriver();
});
after(() => server?.stop());

const NAMES = ['Riverside Tenants Union', 'City Council', 'Harbor Property Group'];

async function cardNamed(driver, name) {
  return driver.wait(until.elementLocated(By.css(`[data-card][aria-label=${JSON.stringify(name)}]`)), 10000);
}

test('create a session, add organizations, drag a card onto the grid, and find it there after a restart', async () => {
  const db = path.join(tempFolder(), 'powermap.db');
  let driver = await launch(server, db);
  let dropped;
  try {
    await click(driver, byName('New session', 'button'));
    const title = await driver.wait(until.elementLocated(By.css('dialog[open] input[name="title"]')), 5000);
    await title.sendKeys('Tenants coalition, first meeting');
    await driver.findElement(By.css('dialog[open] input[name="place"]')).sendKeys('Library');
    await click(driver, byName('Create session', 'button'));
    await driver.wait(until.elementLocated(By.css('[data-grid-kind="power-interest"]')), 10000);

    await click(driver, byName('Paste a list', 'button'));
    const names = await driver.wait(until.elementLocated(By.css('dialog[open] textarea[name="names"]')), 5000);
    await names.sendKeys(NAMES.join(Key.RETURN));
    await click(driver, byName('Add organizations', 'button'));
    for (const name of NAMES) await cardNamed(driver, name);

    const surface = await driver.findElement(By.css('[data-grid-kind="power-interest"]'));
    assert.equal(await surface.getAttribute('aria-label'), 'Power and interest', 'the grid is named by its title');
    const s = await rectOf(driver, surface);
    const target = { x: 0.7, y: 0.8 };
    const card = await cardNamed(driver, 'City Council');
    await dragTo(driver, card, Math.round(s.left + target.x * s.width), Math.round(s.top + (1 - target.y) * s.height));
    dropped = await driver.wait(
      until.elementLocated(By.css('[data-grid-kind="power-interest"] [data-card][aria-label="City Council"]')),
      5000,
      'the dragged card did not land on the grid',
    );
    const shown = await normalizedCentre(driver, dropped, surface);
    assert.ok(Math.abs(shown.x - target.x) < 0.01 && Math.abs(shown.y - target.y) < 0.01, `card shown at ${JSON.stringify(shown)}`);

    // Stored, not just drawn: the CLI reads the same file (the window shows a drop before
    // its write lands, so wait for the write).
    await storedState(
      driver,
      () => {
        const stored = exported(db, 'Tenants coalition, first meeting');
        const council = stored.organizations.find((o) => o.name === 'City Council');
        return stored.placements.find((p) => p.organizationId === council.id);
      },
      (p) => p !== undefined && Math.abs(p.x - 0.7) < 0.01 && Math.abs(p.y - 0.8) < 0.01,
      'the dropped card should be stored at (0.7, 0.8)',
    );
  } finally {
    await driver.quit();
  }

  driver = await launch(server, db);
  try {
    await click(driver, By.xpath(`//button[contains(., 'Tenants coalition, first meeting')]`));
    const surface = await driver.wait(until.elementLocated(By.css('[data-grid-kind="power-interest"]')), 10000);
    const card = await driver.wait(
      until.elementLocated(By.css('[data-grid-kind="power-interest"] [data-card][aria-label="City Council"]')),
      10000,
    );
    const shown = await normalizedCentre(driver, card, surface);
    assert.ok(Math.abs(shown.x - 0.7) < 0.01 && Math.abs(shown.y - 0.8) < 0.01, `after restart at ${JSON.stringify(shown)}`);
    const inTray = await driver.findElements(By.css('[data-tray] [data-card]'));
    assert.equal(inTray.length, 2, 'the two other cards still wait in the tray');
  } finally {
    await driver.quit();
  }
});

test('move a card with the keyboard, and send it to and from the tray', async () => {
  const db = path.join(tempFolder(), 'powermap.db');
  const id = cli(db, 'sample').trim();
  const before = exported(db, id);
  const org = before.organizations.find((o) => o.name === 'City Council Housing Committee');
  const grid = before.grids.find((g) => g.kind === 'power-interest');
  const start = before.placements.find((p) => p.organizationId === org.id && p.gridId === grid.id);

  const driver = await launch(server, db);
  try {
    await click(driver, By.xpath(`//button[contains(., 'Sample: Riverside')]`));
    const card = await driver.wait(
      until.elementLocated(By.css(`[data-grid-id="${grid.id}"] [data-org-id="${org.id}"]`)),
      10000,
    );
    await driver.executeScript('arguments[0].focus()', card);
    // ←, ←, ↑: each press moves the card by 0.02 and is stored at once.
    const stored = () => exported(db, id).placements.find((p) => p.organizationId === org.id && p.gridId === grid.id);
    const expected = [[-0.02, 0], [-0.04, 0], [-0.04, 0.02]];
    for (const [n, key] of ['\uE012', '\uE012', '\uE013'].entries()) {
      await card.sendKeys(key);
      const [dx, dy] = expected[n];
      await storedState(
        driver, stored,
        (now) => Math.abs(now.x - (start.x + dx)) < 1e-9 && Math.abs(now.y - (start.y + dy)) < 1e-9,
        `press ${n + 1} should leave the card at (${start.x + dx}, ${start.y + dy})`,
      );
    }
    // The card is the same element after each move, and keeps the focus for the next press.
    assert.ok(await driver.executeScript('return document.activeElement === arguments[0]', card), 'the moved card keeps the focus');

    await card.sendKeys('t');
    await driver.wait(until.elementLocated(By.css(`[data-tray] [data-org-id="${org.id}"]`)), 5000, 'T sends the card to the tray');
    // The tray shows the card before its removal is stored (issue 14): wait for the store.
    await storedState(driver, stored, (now) => now === undefined, 'the card should leave the grid in the database too');

    const inTray = await driver.findElement(By.css(`[data-tray] [data-org-id="${org.id}"]`));
    await driver.executeScript('arguments[0].focus()', inTray);
    await inTray.sendKeys('\uE007'); // Enter
    await driver.wait(until.elementLocated(By.css(`[data-grid-id="${grid.id}"] [data-org-id="${org.id}"]`)), 5000, 'Enter puts it back on the grid');
    await storedState(
      driver, stored,
      (now) => now !== undefined && Math.abs(now.x - 0.5) < 1e-9 && Math.abs(now.y - 0.5) < 1e-9,
      'Enter should store the card in the middle of the grid',
    );
  } finally {
    await driver.quit();
  }
});

test('the sample session, as a new user first sees it (README screenshot)', async () => {
  const db = path.join(tempFolder(), 'powermap.db');
  const driver = await launch(server, db, { width: 1600, height: 1000 });
  try {
    await click(driver, byName('Open the sample session', 'button'));
    await driver.wait(until.elementLocated(By.css('[data-grid-kind="power-interest"] [data-card]')), 10000);
    const cards = await driver.findElements(By.css('[data-grid-kind="power-interest"] [data-card]'));
    assert.ok(cards.length >= 10, 'the sample places about a dozen cards');
    await screenshot(driver, path.join(DOCS, 'sample-session.png'));
    assert.deepEqual(await driver.executeScript(CUT_SELECTS), [], 'a drop-down cuts its words');
    await click(driver, By.xpath(`//nav//button[normalize-space(.)='Spectrum of allies']`));
    await driver.wait(until.elementLocated(By.css('[data-grid-kind="spectrum-of-allies"] [data-card]')), 10000);
    await screenshot(driver, path.join(DOCS, 'sample-spectrum.png'));
  } finally {
    await driver.quit();
  }
});

test('resizing the window keeps every card at its normalized position, and the map fills the window', async () => {
  const db = path.join(tempFolder(), 'powermap.db');
  const id = cli(db, 'sample').trim();
  const stored = exported(db, id);
  const grid = stored.grids.find((g) => g.kind === 'power-interest');
  const driver = await launch(server, db, { width: 1000, height: 700 });
  try {
    await click(driver, By.xpath(`//button[contains(., 'Sample: Riverside')]`));
    const surface = await driver.wait(until.elementLocated(By.css(`[data-grid-id="${grid.id}"]`)), 10000);
    for (const [width, height] of [[1000, 700], [1800, 1040], [1280, 800]]) {
      await driver.manage().window().setRect({ width, height });
      await driver.wait(async () => {
        const w = await driver.executeScript('return window.innerWidth');
        return Math.abs(w - width) < 40;
      }, 5000, `the window did not resize to ${width}`);
      await driver.sleep(200);
      const s = await rectOf(driver, surface);
      const inner = await driver.executeScript('return {w: window.innerWidth, h: window.innerHeight}');
      assert.ok(s.width > inner.w * 0.55 && s.height > inner.h * 0.6, `the map fills the window at ${width}×${height}`);
      for (const placement of stored.placements.filter((p) => p.gridId === grid.id)) {
        const card = await driver.findElement(By.css(`[data-grid-id="${grid.id}"] [data-org-id="${placement.organizationId}"]`));
        const shown = await normalizedCentre(driver, card, surface);
        // Centred on its point, but slid inward as far as it would stick out of the grid.
        const c = await rectOf(driver, card);
        const half = { x: c.width / 2 / s.width, y: c.height / 2 / s.height };
        const expected = {
          x: Math.min(Math.max(placement.x, half.x), 1 - half.x),
          y: Math.min(Math.max(placement.y, half.y), 1 - half.y),
        };
        assert.ok(
          Math.abs(shown.x - expected.x) < 0.01 && Math.abs(shown.y - expected.y) < 0.01,
          `at ${width}×${height} a card is shown at ${JSON.stringify(shown)}, stored at ${placement.x}, ${placement.y}`,
        );
      }
    }
  } finally {
    await driver.quit();
  }
});

test('every card waiting in the tray shows, however long the side panel below it', async () => {
  // The sample with ten of its cards back in the tray: the side panel (tray, tools,
  // commitments) is taller than the window and scrolls as a whole; the tray is not
  // squeezed into a box of its own that hides the cards behind its scroll bar.
  const folder = tempFolder();
  const db = path.join(folder, 'powermap.db');
  const session = exported(db, cli(db, 'sample').trim());
  const grid = session.grids.find((g) => g.kind === 'power-interest');
  const waiting = session.placements.filter((p) => p.gridId === grid.id).slice(0, 10).map((p) => p.organizationId);
  session.placements = session.placements.filter((p) => p.gridId !== grid.id || !waiting.includes(p.organizationId));
  session.session.title = 'Ten cards waiting';
  const file = path.join(folder, 'waiting.json');
  writeFileSync(file, JSON.stringify(session));
  cli(db, 'import', file);
  const driver = await launch(server, db, { width: 1600, height: 1000 });
  try {
    await click(driver, By.xpath("//button[contains(., 'Ten cards waiting')]"));
    await driver.wait(until.elementLocated(By.css('[data-tray] [data-card]')), 10000);
    const { panel, tray, cards } = await driver.executeScript(`
      const box = (e) => { const r = e.getBoundingClientRect(); return { top: r.top, bottom: r.bottom }; };
      const tray = document.querySelector('[data-tray]');
      const panel = tray.parentElement;
      return {
        panel: { scroll: panel.scrollHeight, client: panel.clientHeight },
        tray: { scroll: tray.scrollHeight, client: tray.clientHeight, ...box(tray) },
        cards: [...tray.querySelectorAll('[data-card]')].map(box),
      };`);
    assert.equal(cards.length, 10);
    assert.ok(panel.scroll > panel.client, 'the side panel is longer than the window here');
    assert.ok(tray.scroll <= tray.client + 1, `the tray scrolls within itself (${tray.scroll} px in ${tray.client})`);
    for (const card of cards) assert.ok(card.top >= tray.top && card.bottom <= tray.bottom, 'a waiting card is hidden');
  } finally {
    await driver.quit();
  }
});

test('a card dropped beside the grid lands on its nearest edge, drawn whole inside it; cards at one spot fan out', async () => {
  const db = path.join(tempFolder(), 'powermap.db');
  const session = JSON.parse(cli(db, 'sample') && cli(db, 'export', 'Sample: Riverside housing-rights coalition', '--format', 'json'));
  const grid = session.grids.find((g) => g.kind === 'power-interest');
  const [first, second, third, fourth] = session.organizations;
  const driver = await launch(server, db);
  try {
    await click(driver, By.xpath(`//button[contains(., 'Sample: Riverside')]`));
    const surface = await driver.wait(until.elementLocated(By.css(`[data-grid-id="${grid.id}"]`)), 10000);
    const s = await rectOf(driver, surface);

    // Released below the grid's bottom edge: it stays on the grid, at y = 0.
    const card = await driver.findElement(By.css(`[data-grid-id="${grid.id}"] [data-org-id="${first.id}"]`));
    await dragTo(driver, card, Math.round(s.left + 0.4 * s.width), Math.round(s.top + s.height + 25));
    await driver.wait(() => {
      const p = exported(db, session.session.id).placements.find((q) => q.gridId === grid.id && q.organizationId === first.id);
      return Math.abs(p.x - 0.4) < 0.01 && p.y === 0;
    }, 5000, 'a card dropped below the grid should land on its bottom edge at the same x');

    // Released beyond the top right corner: it lands in the corner.
    const other = await driver.findElement(By.css(`[data-grid-id="${grid.id}"] [data-org-id="${fourth.id}"]`));
    await dragTo(driver, other, Math.round(s.left + s.width + 40), Math.round(s.top - 30));
    await driver.wait(() => {
      const p = exported(db, session.session.id).placements.find((q) => q.gridId === grid.id && q.organizationId === fourth.id);
      return p.x === 1 && p.y === 1;
    }, 5000, 'a card dropped beyond the top right corner should land in it');
    // Both are drawn whole inside the grid, not half over its edge: near an edge a card
    // slides inward.
    const inside = async (element) => {
      const c = await rectOf(driver, element);
      return c.left >= s.left && c.top >= s.top && c.left + c.width <= s.left + s.width && c.top + c.height <= s.top + s.height;
    };
    await driver.wait(async () => (await inside(card)) && (await inside(other)), 5000, 'the cards at the edges are drawn inside the grid');

    // Two cards sent to the same spot stay both visible.
    for (const org of [second, third]) {
      const target = Math.round(s.left + 0.5 * s.width);
      const element = await driver.findElement(By.css(`[data-grid-id="${grid.id}"] [data-org-id="${org.id}"]`));
      await dragTo(driver, element, target, Math.round(s.top + 0.5 * s.height));
    }
    await driver.wait(() => {
      const stored = exported(db, session.session.id).placements.filter((q) => q.gridId === grid.id && [second.id, third.id].includes(q.organizationId));
      return stored.every((q) => Math.abs(q.x - 0.5) < 0.01 && Math.abs(q.y - 0.5) < 0.01);
    }, 5000, 'both cards stored at the centre');
    const a = await rectOf(driver, await driver.findElement(By.css(`[data-org-id="${second.id}"]`)));
    const b = await rectOf(driver, await driver.findElement(By.css(`[data-org-id="${third.id}"]`)));
    assert.ok(Math.abs(a.left - b.left) >= 10 && Math.abs(a.top - b.top) >= 10, 'the second card is fanned out from the first');
  } finally {
    await driver.quit();
  }
});

test('rename, duplicate and delete sessions from the list (delete asks first; restore after a restart)', async () => {
  const db = path.join(tempFolder(), 'powermap.db');
  const { session } = exported(db, cli(db, 'sample').trim());
  const driver = await launch(server, db);
  try {
    // Its day in words, as the rest of the window writes days: "Nov 30, 2026".
    const day = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${session.date}T00:00:00Z`));
    const row = await driver.wait(until.elementLocated(By.xpath(`//button[contains(., 'Sample: Riverside')]`)), 5000);
    assert.match(await row.getText(), new RegExp(`${day} · ${session.place}`));
    await click(driver, By.css('button[aria-label^="Rename Sample"]'));
    const input = await driver.wait(until.elementLocated(By.css('form input[id^="rename-"]')), 5000);
    await input.clear();
    await input.sendKeys('Spring mapping', Key.RETURN);
    await driver.wait(until.elementLocated(By.xpath(`//button[contains(., 'Spring mapping')]`)), 5000);

    await click(driver, By.css('button[aria-label="Duplicate Spring mapping"]'));
    await driver.wait(until.elementLocated(By.xpath(`//button[contains(., 'Spring mapping (copy)')]`)), 5000);
    const sessions = () => cli(db, 'list').trim().split('\n');
    await storedState(driver, sessions, (list) => list.length === 2, 'the copy should be stored');
    assert.match(sessions().join('\n'), /Spring mapping$/m, 'the rename is stored');

    await click(driver, By.css('button[aria-label="Delete Spring mapping (copy)"]'));
    const confirm = await driver.wait(until.elementLocated(By.css('dialog[open]')), 5000);
    assert.match(await confirm.getText(), /will be deleted/);
    assert.equal(sessions().length, 2, 'nothing is deleted before the answer');
    await click(driver, byName('Delete session', 'button'));
    const left = await storedState(driver, sessions, (list) => list.length === 1, 'the copy should be deleted');
    assert.match(left.join('\n'), /Spring mapping$/m);

    // Deleting is undoable: the notice offers Undo, which brings the session back.
    await click(driver, By.xpath(`//*[@data-notice]//button[normalize-space(.)='Undo']`));
    await driver.wait(until.elementLocated(By.xpath(`//button[contains(., 'Spring mapping (copy)')]`)), 5000);
    await storedState(driver, sessions, (list) => list.length === 2, 'the deleted session should be back');

    // Deleted again, it waits in Recently deleted, also after a restart.
    await click(driver, By.css('button[aria-label="Delete Spring mapping (copy)"]'));
    await click(driver, byName('Delete session', 'button'));
    await storedState(driver, sessions, (list) => list.length === 1, 'the copy should be deleted again');
  } finally {
    await driver.quit();
  }
  const again = await launch(server, db);
  try {
    await click(again, By.xpath(`//*[@data-recently-deleted]/summary`));
    await click(again, By.css('button[aria-label="Restore Spring mapping (copy)"]'));
    await again.wait(until.elementLocated(By.xpath(`//ul[@aria-label='Sessions']//button[contains(., 'Spring mapping (copy)')]`)), 5000);
    await storedState(again, () => cli(db, 'list').trim().split('\n'), (list) => list.length === 2, 'the session should be restored after a restart');
    assert.equal((await again.findElements(By.css('[data-recently-deleted]'))).length, 0, 'nothing is left in Recently deleted');
  } finally {
    await again.quit();
  }
});
