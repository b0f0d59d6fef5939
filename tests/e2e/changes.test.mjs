// End-to-end: one stream of changes (issue 8). What the command line or a second window
// does to the open session shows in the window, without reopening it; undo says whose step
// it takes back; removing an organization leaves no trace of it on its participants.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';

import {
  By, byName, cardCentre, click, cli, countOf, dragTo, exported, Key, launch, rectOf, startDriver, storedState,
  tempFolder, until,
} from './harness.mjs';

const SAMPLE = 'Sample: Riverside housing-rights coalition';
const PEOPLE = By.xpath(`//button[starts-with(normalize-space(.), 'People (')]`);

let server;
let second;
before(async () => {
  server = await startDriver();
  second = await startDriver();
});
after(async () => {
  await server?.stop();
  await second?.stop();
});

async function openSample(driver) {
  await click(driver, By.xpath(`//button[contains(., 'Sample: Riverside')]`));
  await driver.wait(until.elementLocated(By.css('[data-grid-kind="power-interest"] [data-card]')), 10000);
}

/**
 * Waits until the card of `organizationId` is shown at (x, y) on the grid `gridId`. The
 * card's place is measured in the page in one go, so a card redrawn by a change cannot go
 * stale between finding and measuring it.
 */
async function shownAt(driver, gridId, organizationId, x, y, message) {
  const measure = () => cardCentre(driver, gridId, organizationId);
  let last;
  try {
    await driver.wait(async () => {
      last = await measure();
      return last !== null && Math.abs(last.x - x) < 0.01 && Math.abs(last.y - y) < 0.01;
    }, 5000);
  } catch (error) {
    throw new Error(`${message} (the card is shown at ${JSON.stringify(last)})`, { cause: error });
  }
}

test('an undo on the command line shows in the open window, naming whose step it was', async () => {
  const db = path.join(tempFolder(), 'powermap.db');
  cli(db, 'sample');
  const doc = exported(db, SAMPLE);
  const grid = doc.grids.find((g) => g.kind === 'power-interest');
  const mayor = doc.organizations.find((o) => o.name === 'Office of the Mayor');
  const start = doc.placements.find((p) => p.gridId === grid.id && p.organizationId === mayor.id);
  const driver = await launch(server, db);
  try {
    await openSample(driver);
    // Amina moves the card, from the window.
    await click(driver, PEOPLE);
    const name = await driver.wait(until.elementLocated(By.css('dialog[open] input[name="participantName"]')), 5000);
    await name.sendKeys('Amina');
    await click(driver, byName('Add person', 'button'));
    await driver.wait(until.elementLocated(By.xpath(`//dialog[@open]//li[contains(., 'Amina')]`)), 5000);
    await click(driver, By.xpath(`//dialog[@open]//button[normalize-space(.)='Done']`));
    const movingAs = await driver.wait(until.elementLocated(By.css('select[name="movingAs"]')), 5000);
    await movingAs.findElement(By.css('option[value="Amina"]')).click();

    const surface = await driver.findElement(By.css(`[data-grid-id="${grid.id}"]`));
    const s = await rectOf(driver, surface);
    const card = await driver.findElement(By.css(`[data-grid-id="${grid.id}"] [data-org-id="${mayor.id}"]`));
    await dragTo(driver, card, Math.round(s.left + 0.85 * s.width), Math.round(s.top + 0.15 * s.height));
    await storedState(
      driver,
      () => exported(db, SAMPLE).placements.find((p) => p.gridId === grid.id && p.organizationId === mayor.id),
      (p) => Math.abs(p.x - 0.85) < 0.01 && p.movedBy === 'Amina',
      'the move should be stored as Amina\'s',
    );
    const undo = await driver.findElement(By.css('button[aria-label="Undo"]'));
    assert.equal(await undo.getAttribute('title'), 'Undo: Move “Office of the Mayor” (Amina)', 'the button names whose step it is');

    // Another program takes the step back; the window follows without being reopened.
    assert.equal(cli(db, 'undo', SAMPLE), 'Undone: Move “Office of the Mayor” (Amina)\n');
    await shownAt(driver, grid.id, mayor.id, start.x, start.y, 'the card should go back where it was in the window');
    await driver.wait(
      async () => (await undo.getAttribute('title')) !== 'Undo: Move “Office of the Mayor” (Amina)',
      5000,
      'the Undo button should no longer offer the step the command line undid',
    );
    const redo = await driver.findElement(By.css('button[aria-label="Redo"]'));
    assert.equal(await redo.getAttribute('title'), 'Redo: Move “Office of the Mayor” (Amina)');

    // And the window's redo, made after the outside change, builds on it.
    await redo.click();
    await shownAt(driver, grid.id, mayor.id, 0.85, 0.85, 'redo in the window moves it again');
    await storedState(
      driver,
      () => exported(db, SAMPLE).placements.find((p) => p.gridId === grid.id && p.organizationId === mayor.id),
      (p) => Math.abs(p.x - 0.85) < 0.01,
      'the redo should be stored',
    );
  } finally {
    await driver.quit();
  }
});

test('a second window on the same file sees the first window\'s move', async () => {
  const db = path.join(tempFolder(), 'powermap.db');
  cli(db, 'sample');
  const doc = exported(db, SAMPLE);
  const grid = doc.grids.find((g) => g.kind === 'power-interest');
  const courier = doc.organizations.find((o) => o.name === 'The Riverside Courier');
  const first = await launch(server, db, { width: 1200, height: 800 });
  let other;
  try {
    other = await launch(second, db, { width: 1200, height: 800 });
    await openSample(first);
    await openSample(other);
    const surface = await first.findElement(By.css(`[data-grid-id="${grid.id}"]`));
    const s = await rectOf(first, surface);
    const card = await first.findElement(By.css(`[data-grid-id="${grid.id}"] [data-org-id="${courier.id}"]`));
    await dragTo(first, card, Math.round(s.left + 0.3 * s.width), Math.round(s.top + 0.3 * s.height));
    await shownAt(other, grid.id, courier.id, 0.3, 0.7, 'the second window should show the card where the first put it');

    // The second window's undo takes back the first window's step.
    await click(other, By.css('button[aria-label="Undo"]'));
    const start = doc.placements.find((p) => p.gridId === grid.id && p.organizationId === courier.id);
    await shownAt(first, grid.id, courier.id, start.x, start.y, 'the first window should show the undo made in the second');
  } finally {
    await other?.quit();
    await first.quit();
  }
});

test('removing an organization leaves no trace of it on the people who spoke for it', async () => {
  const db = path.join(tempFolder(), 'powermap.db');
  cli(db, 'sample');
  const doc = exported(db, SAMPLE);
  const union = doc.organizations.find((o) => o.name === 'Riverside Tenants Union');
  const driver = await launch(server, db);
  try {
    await openSample(driver);
    await click(driver, PEOPLE);
    await driver.wait(until.elementLocated(By.css('dialog[open] input[name="participantName"]')), 5000).then((f) => f.sendKeys('Rosa'));
    await driver.findElement(By.css(`dialog[open] select[name="participantOrganization"] option[value="${union.id}"]`)).click();
    await click(driver, byName('Add person', 'button'));
    await storedState(
      driver,
      () => exported(db, SAMPLE).participants.find((p) => p.name === 'Rosa'),
      (rosa) => rosa?.organizationId === union.id,
      'Rosa should be stored as speaking for the Tenants Union',
    );
    const added = await driver.wait(until.elementLocated(By.xpath(`//dialog[@open]//li[contains(., 'Rosa')]`)), 5000);
    assert.match(await added.getText(), /Rosa · Riverside Tenants Union/);
    await click(driver, By.xpath(`//dialog[@open]//button[normalize-space(.)='Done']`));

    await click(driver, By.css(`[data-grid-kind="power-interest"] [data-org-id="${union.id}"]`));
    await click(driver, byName('Remove…', 'button'));
    await click(driver, By.xpath(`//dialog[@open]//button[normalize-space(.)='Remove organization']`));
    await driver.wait(async () => (await countOf(driver, `[data-org-id="${union.id}"]`)) === 0, 5000, 'the card goes');

    await click(driver, PEOPLE);
    const row = await driver.wait(until.elementLocated(By.xpath(`//dialog[@open]//li[contains(., 'Rosa')]`)), 5000);
    assert.equal((await row.findElement(By.css('span')).getText()).trim(), 'Rosa', 'Rosa stays, speaking for nobody, with no dangling “·”');
  } finally {
    await driver.quit();
  }
});

test('saving a form keeps what someone else changed meanwhile in the fields the person did not touch', async () => {
  const db = path.join(tempFolder(), 'powermap.db');
  cli(db, 'sample');
  const doc = exported(db, SAMPLE);
  const mayor = doc.organizations.find((o) => o.name === 'Office of the Mayor');
  const driver = await launch(server, db);
  try {
    await openSample(driver);
    await click(driver, By.css(`[data-grid-kind="power-interest"] [data-org-id="${mayor.id}"]`));
    const notes = await driver.wait(until.elementLocated(By.css('textarea[name="notes"]')), 5000);
    // A first edit, saved: the notes.
    await notes.clear();
    await notes.sendKeys('Promised a meeting in May');
    await click(driver, byName('Save changes', 'button'));
    await storedState(driver, () => exported(db, SAMPLE).organizations.find((o) => o.id === mayor.id).notes,
      (n) => n === 'Promised a meeting in May', 'the notes should be stored');
    const undoTitle = async () => (await driver.findElement(By.css('button[aria-label="Undo"]'))).getAttribute('title');
    const edited = 'Edit “Office of the Mayor”';
    await driver.wait(async () => (await undoTitle()).includes(edited), 5000, 'the window offers to undo the edit');
    // The facilitator starts a second edit (the short label) and, before it is saved, the
    // notes' edit is undone on the command line.
    const label = await driver.findElement(By.css('input[name="shortLabel"]'));
    await label.clear();
    await label.sendKeys('Mayor');
    cli(db, 'undo', SAMPLE);
    await storedState(driver, () => exported(db, SAMPLE).organizations.find((o) => o.id === mayor.id).notes,
      (n) => n === mayor.notes, 'the undo should be stored');
    // The window has caught up with the undo (its undo button names the step before).
    await driver.wait(async () => !(await undoTitle()).includes(edited), 5000,
      'the window should have caught up with the undo on the command line');
    await click(driver, byName('Save changes', 'button'));
    const saved = await storedState(driver, () => exported(db, SAMPLE).organizations.find((o) => o.id === mayor.id),
      (o) => o.shortLabel === 'Mayor', 'the short label should be stored');
    assert.equal(saved.notes, mayor.notes, 'the notes the command line restored were not written back from the stale form');
  } finally {
    await driver.quit();
  }
});

test('an organization\'s contact is shown under its name, edited in its form and stored', async () => {
  const db = path.join(tempFolder(), 'powermap.db');
  cli(db, 'sample');
  const parish = exported(db, SAMPLE).organizations.find((o) => o.name === 'St. Brigid\'s Parish');
  assert.equal(parish.contact, 'Fr. Tomás Reyes', 'the sample knows someone there');
  const driver = await launch(server, db);
  try {
    await openSample(driver);
    await click(driver, By.css(`[data-grid-kind="power-interest"] [data-org-id="${parish.id}"]`));
    const shown = await driver.wait(until.elementLocated(By.css('[data-contact]')), 5000);
    assert.equal(await shown.getText(), 'Contact: Fr. Tomás Reyes');
    const contact = await driver.findElement(By.css('input[name="contact"]'));
    await contact.clear();
    await contact.sendKeys('Sister Ana, social ministry');
    await click(driver, byName('Save changes', 'button'));
    await storedState(driver, () => exported(db, SAMPLE).organizations.find((o) => o.id === parish.id).contact,
      (c) => c === 'Sister Ana, social ministry', 'the contact should be stored');
    await driver.wait(async () => (await driver.findElement(By.css('[data-contact]')).getText()) === 'Contact: Sister Ana, social ministry',
      5000, 'the panel shows the new contact');
  } finally {
    await driver.quit();
  }
});

test('the session list follows the command line and a second window without a click', async () => {
  const db = path.join(tempFolder(), 'powermap.db');
  const sample = cli(db, 'sample').trim();
  const first = await launch(server, db, { width: 1200, height: 800 });
  let other;
  const titleOf = (driver, id) => driver.findElement(By.css(`li[data-session-id="${id}"] .title`)).getText();
  try {
    await first.wait(until.elementLocated(By.css(`li[data-session-id="${sample}"]`)), 10000);
    // A session created on the command line appears in the open window's list.
    const next = cli(db, 'follow-up', sample, '--title', 'Riverside, second meeting').trim();
    const row = await first.wait(
      until.elementLocated(By.css(`li[data-session-id="${next}"]`)),
      5000,
      'the session the command line created should appear in the list',
    );
    assert.match(await row.getText(), /Riverside, second meeting/);

    // A second Powermap renames it and then deletes the first: this window's list follows.
    other = await launch(second, db, { width: 1200, height: 800 });
    await click(other, By.css(`li[data-session-id="${next}"] button[aria-label^="Rename"]`));
    const input = await other.wait(until.elementLocated(By.css(`input#rename-${next}`)), 5000);
    await input.clear();
    await input.sendKeys('Riverside, renamed elsewhere', Key.RETURN);
    await first.wait(
      async () => (await titleOf(first, next)).includes('Riverside, renamed elsewhere'),
      5000,
      'the rename in the second window should show in the first',
    );
    assert.match(await titleOf(other, next), /Riverside, renamed elsewhere/, 'and in the window that renamed it');
    await click(other, By.css(`li[data-session-id="${sample}"] button[aria-label^="Delete"]`));
    await click(other, By.xpath(`//dialog[@open]//button[contains(., 'Delete')]`));
    await first.wait(
      async () => (await countOf(first, `ul.list > li[data-session-id="${sample}"]`)) === 0,
      5000,
      'the session deleted in the second window should leave the first one\'s list',
    );
  } finally {
    await other?.quit();
    await first.quit();
  }
});
