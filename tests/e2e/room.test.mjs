// End-to-end: the room (issue 10). The window lets the room join and shows the address,
// the code and a QR code; a device on the network joins over HTTP and moves a card; the
// projector shows it, credited to the participant; Stop ends the room. A phone (headless
// Chromium emulating a touch screen) opens the participants' page, joins, drags a card with
// a finger, and follows the facilitator's moves and undo.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { after, before, test } from 'node:test';

import {
  By, byName, cardCentre, click, cli, countOf, DOCS, dragTo, exported, launch, rectOf, screenshot, startDriver,
  storedState, tempFolder, until,
} from './harness.mjs';
import { CONTRAST, TARGETS } from './measures.mjs';
import { fingerDrag, openPhone, refusals } from './phone.mjs';

const SAMPLE = 'Sample: Riverside housing-rights coalition';

let server;
before(async () => {
  server = await startDriver();
});
after(async () => {
  await server?.stop();
});

test('the window lets the room join; a device joins and moves a card, and the projector shows it', async () => {
  const { db, grid, mayor } = sample();
  const driver = await launch(server, db);
  try {
    let { url, code } = await letTheRoomJoin(driver);
    assert.match(url, /^http:\/\/[\d.]+:\d+\/$/);
    assert.match(code, /^\d{6}$/);
    const qr = await driver.findElement(By.css('[data-room] svg.qr path')).getAttribute('d');
    assert.ok(qr.length > 1000, 'a QR code of the address');
    await screenshot(driver, path.join(DOCS, 'room-join.png'));

    // The facilitator may choose another of the computer's addresses: the room moves there.
    await click(driver, By.xpath("//summary[normalize-space(.)='Another address of this computer']"));
    await driver.findElement(By.css('details input[name="address"]')).sendKeys('127.0.0.1');
    await click(driver, byName('Use this address', 'button'));
    await driver.wait(async () => (await driver.findElement(By.css('[data-room-url]')).getText()).startsWith('http://127.0.0.1:'),
      5000, 'the room moved to the address chosen');
    url = await driver.findElement(By.css('[data-room-url]')).getText();
    code = await driver.findElement(By.css('[data-room-code]')).getText();

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

    // Someone guesses the code from many addresses: after 100 wrong codes in all the code
    // changes at once, the dialog shows the new one and the window says why.
    const wrong = code === '000000' ? '111111' : '000000';
    for (let n = 0; n < 100; n++) {
      assert.equal(await joinFrom(url, `127.0.0.${10 + (n % 10)}`, { code: wrong, name: 'Guess' }), 403, `guess ${n}`);
    }
    await driver.wait(async () => (await driver.findElement(By.css('[data-room-code]')).getText()) !== code, 5000,
      'the dialog shows the new code');
    const newCode = await driver.findElement(By.css('[data-room-code]')).getText();
    assert.match(newCode, /^\d{6}$/);
    await driver.findElement(By.css('[data-room-code-changed]'));
    const door = await driver.findElement(By.css('[data-room-door]')).getText();
    assert.match(door, /Wrong codes:?\s*100/, door);
    await driver.wait(until.elementLocated(By.xpath(`//*[contains(., 'The room code changed to ${newCode}')]`)), 5000,
      'the window says the code changed, and why');
    assert.equal(await joinFrom(url, '127.0.0.30', { code, name: 'Late' }), 403, 'the old code opens nothing');
    code = newCode;
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
    // Dolores was on the session's list: her phone takes her place (no second Dolores).
    assert.equal(stored.participants.filter((p) => p.name === 'Dolores').length, 1, 'one Dolores');
    await driver.findElement(By.xpath(`//button[normalize-space(.)='People (4)']`));

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

test('a phone joins from the page, drags a card with a finger, and follows the facilitator’s moves and undo', async () => {
  const { db, grid, mayor, council } = sample();
  const driver = await launch(server, db);
  let phone;
  try {
    const { url, code } = await letTheRoomJoin(driver);
    await click(driver, byName('Hide', 'button'));

    // The participant opens the address, types the code and a name, and joins.
    phone = await joinOnPhone(url, code, 'Amina', path.join(DOCS, 'room-phone-join.png'));
    await phone.findElement(By.css('[data-room-page="live"] [data-grid-kind="power-interest"]'));
    // The phone's page is read as the window is: every text WCAG AA against what lies under
    // it, every control at least 44 × 44 px (the grid's cards, smaller to fit a phone's
    // grid, aside).
    // The page runs within the room's Content-Security-Policy, the contrast measure too.
    assert.deepEqual(await refusals(phone), [], 'the joined page breaks its Content-Security-Policy');
    const lowContrast = await phone.executeScript(CONTRAST);
    await click(phone, byName('Spectrum of allies', 'button'));
    await phone.wait(until.elementLocated(By.css('[data-room-page="live"] [data-grid-kind="spectrum-of-allies"] [data-card]')), 5000);
    assert.deepEqual(await refusals(phone), [], 'the spectrum breaks the page’s Content-Security-Policy');
    lowContrast.push(...(await phone.executeScript(CONTRAST)));
    assert.deepEqual(await refusals(phone), [], 'the measure ran within the page’s policy');
    assert.deepEqual(lowContrast.map((f) => `“${f.text}” ${f.ratio}:1 (needs ${f.needed}:1)`), [], 'the phone’s texts below WCAG AA');
    const small = (await phone.executeScript(TARGETS)).filter((t) => !t.card);

    await click(phone, byName('Power and interest', 'button'));
    await phone.wait(until.elementLocated(By.css(`[data-room-page="live"] [data-grid-id="${grid.id}"] [data-card]`)), 5000);
    // The grid's cards, drawn small, take a touch 22 px above, below and beside their
    // middle (inside the grid): whatever a finger lands on there is a card (this one, or
    // one drawn over it).
    const missed = await phone.executeScript(`
      const grid = document.querySelector('[data-room-page="live"] [data-grid-id]').getBoundingClientRect();
      const inside = ([px, py]) => px > grid.left && px < grid.right && py > grid.top && py < grid.bottom;
      return [...document.querySelectorAll('[data-room-page="live"] [data-grid-id] [data-card]')].flatMap((card) => {
        const r = card.getBoundingClientRect();
        const [x, y] = [r.left + r.width / 2, r.top + r.height / 2];
        return [[x, y - 21], [x, y + 21], [x - 21, y], [x + 21, y]]
          .filter(inside)
          .filter(([px, py]) => !document.elementFromPoint(px, py)?.closest('[data-card]'))
          .map(([px, py]) => {
            const hit = document.elementFromPoint(px, py);
            return card.getAttribute('aria-label') + ' at ' + Math.round(px - x) + ',' + Math.round(py - y)
              + ' (' + (hit ? hit.tagName.toLowerCase() + '.' + [...hit.classList].join('.') : 'nothing') + ')';
          });
      });`);
    assert.deepEqual(missed, [], 'a touch within 22 px of a card’s middle lands on a card');
    assert.deepEqual(small.map((t) => `${t.tag} “${t.what}” ${t.width} × ${t.height}`), [], 'the phone’s controls under 44 × 44 px');
    await driver.wait(until.elementLocated(By.xpath(`//button[normalize-space(.)='People (5)']`)), 5000,
      'the window counts the participant');

    // A finger drags the mayor's card to the lower right; the projector shows it there.
    const surface = await phone.findElement(By.css(`[data-grid-id="${grid.id}"]`));
    const box = await rectOf(phone, surface);
    const card = await phone.findElement(By.css(`[data-grid-id="${grid.id}"] [data-org-id="${mayor.id}"]`));
    await fingerDrag(phone, card, box.left + box.width * 0.85, box.top + box.height * (1 - 0.2));
    await shownAt(driver, grid.id, mayor.id, { x: 0.85, y: 0.2 }, 'the projector shows the phone’s move');
    const stored = await storedState(driver, () => exported(db, SAMPLE),
      (d) => d.placements.find((p) => p.gridId === grid.id && p.organizationId === mayor.id).movedBy === 'Amina',
      'the move is stored as Amina’s');
    const placed = stored.placements.find((p) => p.gridId === grid.id && p.organizationId === mayor.id);
    assert.ok(Math.abs(placed.x - 0.85) < 0.03 && Math.abs(placed.y - 0.2) < 0.03, JSON.stringify(placed));
    assert.match(await driver.findElement(By.css('button[aria-label="Undo"]')).getAttribute('title'), /Amina/,
      'the window’s undo names the participant');
    // On the phone too, a card says where it is in words (its description, for a screen reader).
    const place = /^Office of the Mayor — Keep informed, Power (very )?low, Interest very high$/;
    await phone.wait(async () => place.test(await phone.findElement(By.css(`[data-grid-id="${grid.id}"] [data-org-id="${mayor.id}"]`)).getAttribute('title')),
      5000, 'the phone’s card describes its place');

    // The facilitator moves the council's card: the phone follows; then undoes: it goes back.
    const before = await cardCentre(phone, grid.id, council.id);
    const windowSurface = await driver.findElement(By.css(`[data-grid-id="${grid.id}"]`));
    const windowBox = await rectOf(driver, windowSurface);
    await dragTo(driver, await driver.findElement(By.css(`[data-grid-id="${grid.id}"] [data-org-id="${council.id}"]`)),
      windowBox.left + windowBox.width * 0.1, windowBox.top + windowBox.height * (1 - 0.1));
    await shownAt(phone, grid.id, council.id, { x: 0.1, y: 0.1 }, 'the phone shows the facilitator’s move');
    await phone.wait(until.elementLocated(By.xpath(`//*[@role='status' and contains(., 'Facilitator')]`)), 5000,
      'the phone says who moved what');
    await click(driver, By.css('button[aria-label="Undo"]'));
    await shownAt(phone, grid.id, council.id, before, 'the phone shows the facilitator’s undo');
    await screenshot(phone, path.join(DOCS, 'room-phone.png'));

    // The phone's connections drop (as when it sleeps, or walks out of the Wi-Fi's reach:
    // the kernel aborts them); the facilitator moves a card meanwhile. The phone reconnects
    // by itself and catches up: without reconnecting, it would never hear of the move.
    const room = new URL(url);
    execFileSync('ss', ['-K', 'dst', room.hostname, 'dport', '=', room.port]);
    await dragTo(driver, await driver.findElement(By.css(`[data-grid-id="${grid.id}"] [data-org-id="${council.id}"]`)),
      windowBox.left + windowBox.width * 0.9, windowBox.top + windowBox.height * (1 - 0.9));
    await shownAt(phone, grid.id, council.id, { x: 0.9, y: 0.9 }, 'the phone catches up after its connection dropped');
    await phone.wait(until.elementLocated(By.xpath(`//*[@role='status' and normalize-space(.)='Live']`)), 5000,
      'the phone is live again');

    // A reload (as after the phone slept and the browser dropped the page) keeps the seat.
    await phone.navigate().refresh();
    await phone.wait(until.elementLocated(By.css('[data-room-page="live"] [data-grid-kind="power-interest"]')), 10000,
      'the phone is back in the room without joining again');
    await shownAt(phone, grid.id, mayor.id, { x: 0.85, y: 0.2 }, 'the phone reads the session anew');
    assert.equal(exported(db, SAMPLE).participants.filter((p) => p.name === 'Amina').length, 1, 'still one Amina');

    // The room stops: the phone says the seat is gone once it tries again.
    await click(driver, By.xpath(`//button[starts-with(normalize-space(.), 'Room ')]`));
    await click(driver, byName('Stop the room', 'button'));
    await phone.wait(until.elementLocated(By.css('[data-room-page="live"] [role="status"].offline')), 5000,
      'the phone shows it lost the room');
  } finally {
    await phone?.quit();
    await driver.quit();
  }
});

test('a phone set to Spanish shows the room in Spanish', async () => {
  const { db, grid, mayor } = sample();
  const driver = await launch(server, db);
  let phone;
  try {
    const { url, code } = await letTheRoomJoin(driver);
    await click(driver, byName('Hide', 'button'));
    phone = await openPhone({ language: 'es-MX' });
    await phone.get(url);
    await phone.wait(until.elementLocated(By.xpath(`//h1[normalize-space(.)='Entrar en la sala']`)), 10000, 'the join page in Spanish');
    assert.equal(await phone.executeScript('return document.documentElement.lang'), 'es');
    // A wrong code is refused in Spanish too (the room's refusal, known by its code). The
    // address brought the right one: it is typed over.
    const field = await phone.findElement(By.css('input[name="code"]'));
    await field.clear();
    await field.sendKeys(code === '000000' ? '111111' : '000000');
    await phone.findElement(By.css('input[name="name"]')).sendKeys('Lupita');
    await click(phone, byName('Entrar', 'button'));
    await phone.wait(until.elementLocated(By.xpath(`//*[@role='alert' and starts-with(normalize-space(.), 'Ese no es el código')]`)), 5000);
    await field.clear();
    await field.sendKeys(code);
    await click(phone, byName('Entrar', 'button'));
    await phone.wait(until.elementLocated(By.css('[data-room-page="live"] [data-grid-id]')), 10000);
    await phone.wait(until.elementLocated(By.xpath(`//*[@role='status' and normalize-space(.)='En directo']`)), 5000);
    await phone.findElement(By.xpath(`//label[contains(., 'Lupita habla por')]`));
    // A card says its place with the phone's words around the grid's own names.
    const title = await phone.findElement(By.css(`[data-grid-id="${grid.id}"] [data-org-id="${mayor.id}"]`)).getAttribute('title');
    assert.match(title, /^Office of the Mayor — Keep satisfied, Power: nivel (muy )?alto, Interest: nivel (muy )?bajo$/, title);
    // What the facilitator does is told in Spanish.
    const surface = await driver.findElement(By.css(`[data-grid-id="${grid.id}"]`));
    const box = await rectOf(driver, surface);
    await dragTo(driver, await driver.findElement(By.css(`[data-grid-id="${grid.id}"] [data-org-id="${mayor.id}"]`)),
      box.left + box.width * 0.8, box.top + box.height * 0.2);
    await phone.wait(until.elementLocated(By.xpath(`//*[@role='status' and contains(., 'Facilitación — Mover «Office of the Mayor»')]`)), 5000,
      'the phone says who moved what, in Spanish');
    await screenshot(phone, path.join(DOCS, 'room-phone-es.png'));
  } finally {
    await phone?.quit();
    await driver.quit();
  }
});

/** `POST /api/join` with `body` from the loopback address `from` (one of many devices); the status. */
function joinFrom(url, from, body) {
  const text = JSON.stringify(body);
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const request = http.request({
      host: target.hostname, port: target.port, path: '/api/join', method: 'POST', localAddress: from,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) },
    }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode));
    });
    request.on('error', reject);
    request.end(text);
  });
}

/** The sample in a new database: its file, its power and interest grid, and two of its cards. */
function sample() {
  const db = path.join(tempFolder(), 'powermap.db');
  cli(db, 'sample');
  const doc = exported(db, SAMPLE);
  return {
    db,
    grid: doc.grids.find((g) => g.kind === 'power-interest'),
    mayor: doc.organizations.find((o) => o.name === 'Office of the Mayor'),
    council: doc.organizations.find((o) => o.name === 'City Council Housing Committee'),
  };
}

/** Opens the sample and lets the room join; returns the address and the code shown. */
async function letTheRoomJoin(driver) {
  await click(driver, By.xpath(`//button[contains(., 'Sample: Riverside')]`));
  await driver.wait(until.elementLocated(By.css('[data-grid-kind="power-interest"] [data-card]')), 10000);
  await click(driver, byName('Let the room join', 'button'));
  const url = await (await driver.wait(until.elementLocated(By.css('[data-room-url]')), 5000)).getText();
  const code = await driver.findElement(By.css('[data-room-code]')).getText();
  return { url, code };
}

/**
 * Opens the room's address on a new phone, types the code and `name` and joins (a
 * screenshot of the filled form to `shot`, if given); returns the phone once it shows a grid.
 */
async function joinOnPhone(url, code, name, shot) {
  const phone = await openPhone();
  try {
    await phone.get(url);
    await (await phone.wait(until.elementLocated(By.css('input[name="code"]')), 10000)).sendKeys(code);
    await phone.findElement(By.css('input[name="name"]')).sendKeys(name);
    if (shot) await screenshot(phone, shot);
    await click(phone, byName('Join', 'button'));
    await phone.wait(until.elementLocated(By.css('[data-room-page="live"] [data-grid-id]')), 10000,
      `${name}'s phone shows the session`);
    return phone;
  } catch (error) {
    await phone.quit();
    throw error;
  }
}

/** Waits until the card is shown at `at` (normalized) on the grid, within 3 %. */
async function shownAt(driver, gridId, organizationId, at, message) {
  let last;
  await driver.wait(async () => {
    last = await cardCentre(driver, gridId, organizationId);
    return last !== null && Math.abs(last.x - at.x) < 0.03 && Math.abs(last.y - at.y) < 0.03;
  }, 5000).catch((error) => {
    throw new Error(`${message}: the card is shown at ${JSON.stringify(last)}, not ${JSON.stringify(at)}`, { cause: error });
  });
}

test('a private round: two phones place cards alone, the projector counts, then reveals the spread and agrees', async () => {
  const { db, grid, mayor, council } = sample();
  const driver = await launch(server, db, { width: 1600, height: 1000 });
  const phones = [];
  try {
    const { url, code } = await letTheRoomJoin(driver);
    await click(driver, byName('Hide', 'button'));
    for (const name of ['Amina', 'Tom']) phones.push(await joinOnPhone(url, code, name));
    const [amina, tom] = phones;

    // The facilitator starts a round on two chosen cards.
    await click(driver, byName('Private round…', 'button'));
    const form = await driver.wait(until.elementLocated(By.css('[data-round-start]')), 5000);
    await form.findElement(By.css('input[name="which"][value="chosen"]')).click();
    await form.findElement(By.css(`[data-choose="${mayor.id}"]`)).click();
    await form.findElement(By.css(`[data-choose="${council.id}"]`)).click();
    await click(driver, byName('Start the round', 'button'));
    await driver.wait(until.elementLocated(By.css('[data-round="open"]')), 5000, 'the projector shows the round');

    // Each phone places the two cards alone: Amina puts the mayor high and right, Tom low and left.
    const answers = [
      [amina, { [mayor.id]: [0.9, 0.9], [council.id]: [0.3, 0.7] }],
      [tom, { [mayor.id]: [0.1, 0.1], [council.id]: [0.3, 0.75] }],
    ];
    for (const [phone, where] of answers) {
      await phone.wait(until.elementLocated(By.css('[data-private-round]')), 5000, 'the phone shows the round');
      const surface = await phone.findElement(By.css(`[data-grid-id="${grid.id}"]`));
      for (const [id, [x, y]] of Object.entries(where)) {
        const card = await phone.findElement(By.css(`[data-tray] [data-org-id="${id}"]`));
        await phone.executeScript('arguments[0].scrollIntoView({block: "end"})', card);
        const box = await rectOf(phone, surface);
        await fingerDrag(phone, card, box.left + box.width * x, box.top + box.height * (1 - y));
        await shownAt(phone, grid.id, id, { x, y }, 'the phone shows its own answer');
      }
      await phone.wait(until.elementLocated(By.xpath(`//*[@role='status' and contains(., '2 of 2 placed')]`)), 5000);
    }
    await screenshot(tom, path.join(DOCS, 'round-phone.png'));
    await driver.wait(until.elementLocated(By.css('[data-round-answered="2"]')), 5000,
      'the projector counts two answers, and shows nothing else of them');
    assert.equal((await driver.findElements(By.css('[data-round-answer]'))).length, 0, 'no answer is drawn before the reveal');
    assert.equal(await cardCentre(amina, grid.id, mayor.id).then((c) => Math.round(c.x * 10)), 9,
      'Amina sees her own answer, not Tom’s');
    const placedBefore = exported(db, SAMPLE).placements.find((p) => p.gridId === grid.id && p.organizationId === mayor.id);

    // Reveal: the mayor, on whom the room split, comes first with both answers and the median.
    await click(driver, byName('Reveal the answers', 'button'));
    await driver.wait(until.elementLocated(By.css(`[data-round-focus="${mayor.id}"]`)), 5000, 'the most disputed card first');
    assert.equal((await driver.findElements(By.css('[data-round-answer]'))).length, 2, 'every answer as a dot');
    await driver.findElement(By.css('[data-round-median]'));
    const order = await driver.findElements(By.css('[data-round-card]'));
    assert.equal(await order[0].getAttribute('data-round-card'), mayor.id);
    await screenshot(driver, path.join(DOCS, 'round-reveal.png'));
    await amina.wait(until.elementLocated(By.css('[data-room-page="live"] [data-grid-id]')), 5000);
    assert.equal((await amina.findElements(By.css('[data-private-round]'))).length, 0, 'the phones leave the round');

    // The facilitator agrees on the median: the card is placed there, on the projector and the phones.
    await click(driver, byName('Agree: place at the median', 'button'));
    await shownAt(driver, grid.id, mayor.id, { x: 0.5, y: 0.5 }, 'the projector places the card at the median');
    await shownAt(amina, grid.id, mayor.id, { x: 0.5, y: 0.5 }, 'the phones too');
    const stored = await storedState(driver, () => exported(db, SAMPLE),
      (d) => d.placements.find((p) => p.gridId === grid.id && p.organizationId === mayor.id).x === 0.5,
      'the agreed place is stored');
    assert.notDeepEqual(placedBefore, stored.placements.find((p) => p.gridId === grid.id && p.organizationId === mayor.id));

    // The summary says where the room disagreed.
    const markdown = cli(db, 'export', SAMPLE, '--format', 'md');
    assert.match(markdown, /## Where the room disagreed/);
    assert.match(markdown, /Office of the Mayor \| 2 \|/);
    await click(driver, byName('End the round', 'button'));
    await driver.wait(async () => (await countOf(driver, '[data-round]')) === 0, 5000,
      'the round bar goes once the round ends');
  } finally {
    for (const phone of phones) await phone.quit();
    await driver.quit();
  }
});
