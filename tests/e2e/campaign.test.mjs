// End-to-end: across meetings (issue 9). Start a follow-up from the session list, find the
// same cards where they stood, review last meeting's commitments from the keyboard (kept,
// carried again), move a card across a region boundary and see the arrow from last time
// and the summary's "Since last session", and see the campaign's sessions together in the list;
// draw a relationship and see it on the grid; open a Kumu map as a new session.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import {
  answerDialog, By, byName, DOCS, click, cli, countOf, dragTo, exported, Key, launch, screenshot, startDriver, storedState,
  tempFolder, until,
} from './harness.mjs';

const SAMPLE = 'Sample: Riverside housing-rights coalition';
const NEXT = `${SAMPLE} — meeting 2`;

let server;
before(async () => {
  server = await startDriver();
});
after(async () => {
  await server?.stop();
});

/** The stored follow-up, read through the CLI (the campaign's second session). */
function followUp(db) {
  const line = cli(db, 'list').trim().split('\n')[1];
  return line ? exported(db, line.split('\t')[0]) : null;
}

test('a follow-up carries the map, and last meeting’s commitments are reviewed from the keyboard', async () => {
  const db = path.join(tempFolder(), 'powermap.db');
  const sample = cli(db, 'sample').trim();
  const first = exported(db, sample);
  const open = first.commitments.filter((c) => c.status === 'open');
  assert.ok(open.length >= 2, 'the sample has open commitments to review');

  const driver = await launch(server, db);
  try {
    await click(driver, byName(`Start a follow-up of ${SAMPLE}`));
    const dialog = await driver.wait(until.elementLocated(By.css('form[data-follow-up]')), 5000);
    const date = await dialog.findElement(By.css('input[name="date"]'));
    await driver.executeScript(
      `arguments[0].value = '2026-12-10'; arguments[0].dispatchEvent(new Event('input', { bubbles: true }));`,
      date,
    );
    await click(driver, byName('Start follow-up', 'button'));

    // The new meeting opens: same cards, where they stood.
    await driver.wait(until.elementLocated(By.xpath(`//h1[normalize-space(.)=${JSON.stringify(NEXT)}]`)), 10000);
    const stored = await storedState(driver, () => followUp(db), (d) => d !== null, 'the follow-up was stored');
    assert.equal(stored.session.followsUp, sample);
    assert.equal(stored.session.date, '2026-12-10');
    assert.deepEqual(stored.organizations.map((o) => o.identity), first.organizations.map((o) => o.identity));
    assert.equal(stored.placements.length, first.placements.length, 'every card stands where it stood');
    const cards = await driver.findElements(By.css('[data-grid-kind="power-interest"] [data-card]'));
    assert.equal(cards.length, first.placements.filter((p) => p.gridId === first.grids[0].id).length);

    // Every open commitment is there to review, one row each.
    const rows = await driver.wait(async () => {
      const found = await driver.findElements(By.css('[data-review-id]'));
      return found.length === open.length ? found : null;
    }, 5000, 'a review row for every open commitment');
    await screenshot(driver, path.join(process.env.POWERMAP_SHOTS ?? tempFolder(), 'follow-up.png'));

    // K on the first row: kept; the focus moves on to the next row, where C carries it again.
    await rows[0].findElement(By.css('.action')).click();
    await driver.actions().sendKeys('k').perform();
    await driver.wait(async () => (await driver.switchTo().activeElement().getAttribute('data-review-id')) ===
      (await rows[1].getAttribute('data-review-id')), 5000, 'the focus moved to the next row');
    await driver.actions().sendKeys('c').perform();
    const reviewed = await storedState(
      driver,
      () => followUp(db),
      (d) => d.reviews[0].outcome === 'kept' && d.reviews[1].outcome === 'carried' && d.commitments.length === 1,
      'kept and carried were stored, with the carried commitment',
    );
    assert.equal(reviewed.commitments[0].action, open[1].action, 'the carried commitment says the same thing');
    assert.equal(reviewed.reviews[1].carriedAs, reviewed.commitments[0].id);
    await driver.wait(until.elementLocated(By.css(`[data-commitment-id="${reviewed.commitments[0].id}"]`)), 5000,
      'the carried commitment shows in the commitments');

    // N writes a note on the focused row; Enter saves it.
    await driver.switchTo().activeElement().sendKeys('n');
    await driver.switchTo().activeElement().sendKeys('Twelve tenants came', Key.ENTER);
    await storedState(driver, () => followUp(db), (d) => d.reviews.some((r) => r.note === 'Twelve tenants came'),
      'the note was stored');

    // Undo takes the note back; the row says so.
    await click(driver, byName('Undo'));
    await storedState(driver, () => followUp(db), (d) => d.reviews.every((r) => r.note === ''), 'the note was undone');

    // A card dragged across a region boundary: with "Last time" on, its old place shows
    // faintly with an arrow to the new one, and the summary says who moved where.
    const gridId = stored.grids[0].id;
    const informed = stored.placements.find((p) => p.gridId === gridId && p.x > 0.55 && p.y < 0.45);
    assert.ok(informed, 'the sample has a card in Keep informed');
    const organization = stored.organizations.find((o) => o.id === informed.organizationId);
    const name = organization.directlyAffected ? `${organization.name} ★` : organization.name;
    const surface = await driver.findElement(By.css(`[data-grid-id="${gridId}"]`));
    const box = await driver.executeScript(
      'const r = arguments[0].getBoundingClientRect(); return { left: r.left, top: r.top, width: r.width, height: r.height };',
      surface,
    );
    const card = await surface.findElement(By.css(`[data-org-id="${informed.organizationId}"]`));
    await dragTo(driver, card, Math.round(box.left + box.width * 0.9), Math.round(box.top + box.height * 0.1));
    await storedState(
      driver,
      () => followUp(db),
      (d) => d.placements.some((p) => p.organizationId === informed.organizationId && p.gridId === gridId && p.y > 0.5),
      'the move was stored',
    );
    await click(driver, byName('Last time', 'button'));
    await driver.wait(until.elementLocated(By.css(`[data-arrow-for="${informed.organizationId}"]`)), 5000,
      'an arrow from last time to now');
    await driver.findElement(By.css(`[data-last-time-for="${informed.organizationId}"]`));
    for (const dismiss of await driver.findElements(byName('Dismiss the message'))) await dismiss.click();
    await screenshot(driver, path.join(DOCS, 'follow-up.png'));
    await click(driver, byName('Summary', 'button'));
    const host = await driver.wait(until.elementLocated(By.css('[data-summary]')), 5000);
    const since = await driver.wait(() => driver.executeScript(
      `const root = arguments[0].shadowRoot;
       const rows = root && root.querySelectorAll('section.since-last table.movement tbody tr');
       return rows && rows.length ? [...rows].map((tr) => [...tr.children].map((td) => td.textContent)) : null;`,
      host,
    ), 5000, 'the summary has "Since last session"');
    assert.deepEqual(since, [[name, 'Keep informed', 'Manage closely']]);
    await click(driver, By.xpath(`//*[@data-summary-view]//button[normalize-space(.)='Close']`));

    // Said and done: the organization whose commitment was kept shows it.
    const keptBy = first.organizations.find((o) => o.id === open[0].organizationId);
    const keptHere = stored.organizations.find((o) => o.identity === keptBy.identity);
    await click(driver, byName('Said and done', 'button'));
    const row = await driver.wait(until.elementLocated(By.css(`[data-said-and-done] tr[data-org-id="${keptHere.id}"]`)),
      5000, 'a row for the organization that kept its word');
    const cells = await Promise.all((await row.findElements(By.css('th, td'))).map((c) => c.getText()));
    assert.equal(cells[0], keptHere.name);
    assert.match(cells[2], /^kept [1-9]\d* of \d+$/, 'the kept commitment counts');
    await screenshot(driver, path.join(process.env.POWERMAP_SHOTS ?? tempFolder(), 'said-and-done.png'));
    await click(driver, By.xpath(`//*[@data-said-and-done]//button[normalize-space(.)='Close']`));

    // The session list shows the campaign's meetings together, in order.
    await click(driver, byName('Back to all sessions'));
    await driver.wait(until.elementLocated(By.css('ul[aria-label="Sessions"] li')), 5000);
    const titles = await driver.findElements(By.css('ul[aria-label="Sessions"] li .title'));
    const text = await Promise.all(titles.map((t) => t.getText()));
    assert.deepEqual(text, [`#1 ${SAMPLE}`, `#2 ${NEXT}`]);
    await screenshot(driver, path.join(process.env.POWERMAP_SHOTS ?? tempFolder(), 'campaign-list.png'));
  } finally {
    await driver.quit();
  }
});

test('a relationship drawn from the selected card shows as a line on the grid, one label per pair', async () => {
  const db = path.join(tempFolder(), 'powermap.db');
  const sample = cli(db, 'sample').trim();
  const before = exported(db, sample);
  const mayor = before.organizations.find((o) => o.name === 'Office of the Mayor');
  const union = before.organizations.find((o) => o.name === 'Riverside Tenants Union');
  const driver = await launch(server, db);
  try {
    await click(driver, By.xpath(`//button[contains(., 'Sample: Riverside')]`));
    const card = await driver.wait(
      until.elementLocated(By.css(`[data-grid-kind="power-interest"] [data-org-id="${mayor.id}"]`)), 10000);
    await card.click();
    await click(driver, byName('+ Relationship', 'button'));
    const form = await driver.wait(until.elementLocated(By.css('form[data-relationship-form]')), 5000);
    const choose = async (name, value) => {
      const select = await form.findElement(By.css(`select[name="${name}"]`));
      await driver.executeScript(
        `arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change', { bubbles: true }));`,
        select, value,
      );
    };
    await choose('kind', 'opposes');
    await choose('direction', 'out');
    await choose('other', union.id);
    await click(driver, byName('Draw the line', 'button'));
    const stored = await storedState(
      driver,
      () => exported(db, sample),
      (d) => d.relationships.some((r) => r.fromId === mayor.id && r.toId === union.id && r.kind === 'opposes'),
      'the relationship was stored',
    );
    const drawn = stored.relationships.find((r) => r.fromId === mayor.id && r.kind === 'opposes');
    await driver.wait(until.elementLocated(By.css(`[data-relationship-id="${drawn.id}"]`)), 5000,
      'the panel lists the new line');

    // The selected card's lines only: its new line, labelled with its kind.
    const lines = await driver.findElement(By.css('select[name="showRelationships"]'));
    await driver.executeScript(
      `arguments[0].value = 'selected'; arguments[0].dispatchEvent(new Event('change', { bubbles: true }));`, lines);
    await driver.wait(until.elementLocated(By.css(`[data-relationship-line="${drawn.id}"]`)), 5000, 'the line is drawn');
    const label = await driver.findElement(By.css(`[data-relationship-label="${drawn.id}"]`)).getText();
    assert.equal(label, 'opposes');
    const grid = stored.grids.find((g) => g.kind === 'power-interest').id;
    const placed = new Set(stored.placements.filter((p) => p.gridId === grid).map((p) => p.organizationId));
    const pairsOf = (keep) => new Set(stored.relationships
      .filter((r) => placed.has(r.fromId) && placed.has(r.toId) && keep(r))
      .map((r) => [r.fromId, r.toId].sort().join(' ')));
    const mayors = pairsOf((r) => r.fromId === mayor.id || r.toId === mayor.id);
    assert.equal((await driver.findElements(By.css('[data-relationship-line]'))).length, mayors.size,
      'only the selected card’s lines');

    // All lines: one per pair of placed cards, "+N" where a pair has more.
    await driver.executeScript(
      `arguments[0].value = 'all'; arguments[0].dispatchEvent(new Event('change', { bubbles: true }));`, lines);
    const pairs = pairsOf(() => true);
    assert.ok(pairs.size > mayors.size);
    await driver.wait(async () => (await countOf(driver, '[data-relationship-line]')) === pairs.size,
      5000, 'a line per pair');
    await screenshot(driver, path.join(DOCS, 'relationships.png'));
  } finally {
    await driver.quit();
  }
});

test('a Kumu map opens as a new session from the session list, with a preview of what is skipped', async () => {
  const folder = tempFolder();
  const db = path.join(folder, 'powermap.db');
  const file = path.join(folder, 'coalition.json');
  writeFileSync(file, JSON.stringify({
    elements: [
      { id: 'a', label: 'Tenants Union', type: 'Community group' },
      { id: 'b', label: 'Harbor Property Group', type: 'Company' },
    ],
    connections: [{ from: 'b', to: 'a', type: 'Opposes' }, { from: 'a', to: 'nobody', type: 'Ally' }],
  }));
  const driver = await launch(server, db);
  try {
    await click(driver, byName('Import a map…', 'button'));
    const dialog = await driver.wait(until.elementLocated(By.css('dialog[open]')), 5000);
    await dialog.findElement(By.css('input[name="mapPath"]')).sendKeys(file);
    await dialog.findElement(By.xpath(`.//button[normalize-space(.)='Preview']`)).click();
    await answerDialog('Read this file?', 'yes');
    const preview = await driver.wait(until.elementLocated(By.css('[data-map-preview]')), 5000);
    const text = await preview.getText();
    assert.match(text, /Kumu blueprint \(JSON\): a new session “coalition” with 2 organizations and 1 relationship/);
    assert.match(text, /connection 2 .*“nobody” is not an element of the file/);
    assert.equal(cli(db, 'list'), '', 'a preview adds nothing');
    await click(driver, byName('Import as a new session', 'button'));
    await driver.wait(until.elementLocated(By.xpath(`//h1[normalize-space(.)='coalition']`)), 10000);
    await driver.wait(until.elementLocated(By.css('[data-tray] [data-card][aria-label="Harbor Property Group"]')), 5000,
      'the cards wait in the tray');
    const id = cli(db, 'list').trim().split('\t')[0];
    const stored = exported(db, id);
    assert.equal(stored.relationships.length, 1);
    assert.equal(stored.relationships[0].kind, 'opposes');
    // Issue 27: the notes say where the session came from in the window's words, not a key.
    assert.equal(stored.session.notes, 'Imported from a Kumu blueprint (JSON).');
  } finally {
    await driver.quit();
  }
});
