// End-to-end: the room (issue 10, first step). The window lets the room join and shows the
// address, the code and a QR code; a device on the network joins over HTTP and moves a
// card; the projector shows it, credited to the participant; Stop ends the room.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';

import {
  By, byName, cardCentre, click, cli, DOCS, exported, launch, screenshot, startDriver, tempFolder, until,
} from './harness.mjs';

const SAMPLE = 'Sample: Riverside housing-rights coalition';

let server;
before(async () => {
  server = await startDriver();
});
after(async () => {
  await server?.stop();
});

test('the window lets the room join; a device joins and moves a card, and the projector shows it', async () => {
  const db = path.join(tempFolder(), 'powermap.db');
  cli(db, 'sample');
  const doc = exported(db, SAMPLE);
  const grid = doc.grids.find((g) => g.kind === 'power-interest');
  const mayor = doc.organizations.find((o) => o.name === 'Office of the Mayor');
  const driver = await launch(server, db);
  try {
    await click(driver, By.xpath(`//button[contains(., 'Sample: Riverside')]`));
    await driver.wait(until.elementLocated(By.css('[data-grid-kind="power-interest"] [data-card]')), 10000);
    await click(driver, byName('Let the room join', 'button'));
    const url = await (await driver.wait(until.elementLocated(By.css('[data-room-url]')), 5000)).getText();
    const code = await driver.findElement(By.css('[data-room-code]')).getText();
    assert.match(url, /^http:\/\/[\d.]+:\d+\/$/);
    assert.match(code, /^\d{6}$/);
    const qr = await driver.findElement(By.css('[data-room] svg.qr path')).getAttribute('d');
    assert.ok(qr.length > 1000, 'a QR code of the address');
    await screenshot(driver, path.join(DOCS, 'room-join.png'));

    // A device joins and moves the mayor's card.
    const joined = await fetch(`${url}api/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code, name: 'Dolores' }),
    });
    assert.equal(joined.status, 200);
    const { token } = await joined.json();
    const moved = await fetch(`${url}api/placements`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ gridId: grid.id, organizationId: mayor.id, x: 0.9, y: 0.15 }),
    });
    assert.equal(moved.status, 200);
    await driver.wait(until.elementLocated(By.xpath(`//*[@data-room]//*[contains(., '1 joined')]`)), 5000,
      'the dialog counts the device');
    await click(driver, byName('Hide', 'button'));
    let last;
    await driver.wait(async () => {
      last = await cardCentre(driver, grid.id, mayor.id);
      return last !== null && Math.abs(last.x - 0.9) < 0.01 && Math.abs(last.y - 0.15) < 0.01;
    }, 5000, 'the projector shows the device’s move').catch((error) => {
      throw new Error(`the card is shown at ${JSON.stringify(last)}`, { cause: error });
    });
    const stored = exported(db, SAMPLE);
    assert.equal(stored.placements.find((p) => p.gridId === grid.id && p.organizationId === mayor.id).movedBy, 'Dolores');
    await driver.wait(until.elementLocated(By.xpath(`//button[normalize-space(.)='People (5)']`)), 5000,
      'the device’s participant is in the room');

    // Stop: the room ends, and the device's requests find no one.
    await click(driver, By.xpath(`//button[starts-with(normalize-space(.), 'Room ')]`));
    await click(driver, byName('Stop the room', 'button'));
    await driver.wait(until.elementLocated(byName('Let the room join', 'button')), 5000);
    await assert.rejects(fetch(`${url}api/session`, { headers: { authorization: `Bearer ${token}` } }),
      'nothing answers once the room is stopped');
  } finally {
    await driver.quit();
  }
});
