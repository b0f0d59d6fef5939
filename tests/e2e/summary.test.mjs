// End-to-end: the summary (issue 4) — the print view, exports through the window, the
// exported page printed to PDF by a browser, and organizations imported from a CSV file.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import {
  DOCS, By, Key, answerDialog, byName, click, cli, dragTo, exported, launch, poll, rectOf, startDriver, storedState, tempFolder,
  until, windowNamed, xdotool,
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

async function exportThroughTheWindow(driver, format, target, paper, lang) {
  await click(driver, By.xpath(`//header//button[normalize-space(.)='Export…']`));
  const dialog = await driver.wait(until.elementLocated(By.css('dialog[open]')), 5000);
  await dialog.findElement(By.css(`input[name="format"][value="${format}"]`)).click();
  if (paper) {
    const select = await dialog.findElement(By.css('select[name="paper"]'));
    await select.findElement(By.css(`option[value="${paper}"]`)).click();
  }
  if (lang) {
    const select = await dialog.findElement(By.css('select[name="lang"]'));
    await select.findElement(By.css(`option[value="${lang}"]`)).click();
  }
  const field = await dialog.findElement(By.css('input[name="path"]'));
  await driver.wait(async () => (await field.getAttribute('value')) !== '', 5000, 'a place to save is suggested');
  await field.clear();
  await field.sendKeys(target);
  await dialog.findElement(By.xpath(`.//button[normalize-space(.)='Export']`)).click();
  // A typed path is confirmed in a native dialog, which the page cannot answer for itself.
  await answerDialog('Save the export here?', 'yes');
  // The notice names this export's target, so an earlier export's notice cannot stand in.
  await driver.wait(
    until.elementLocated(By.xpath(`//*[@data-notice][contains(., 'Saved')][contains(., ${JSON.stringify(target)})]`)),
    10000,
    'the export reports where it saved',
  );
}

/** Prints an HTML file to PDF with headless Chromium, as a facilitator's browser would. */
function printWithChromium(html, pdf) {
  execFileSync('chromium', [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    `--user-data-dir=${path.join(path.dirname(pdf), 'chromium-profile')}`,
    '--no-pdf-header-footer', `--print-to-pdf=${pdf}`, `file://${html}`,
  ], { stdio: 'ignore', timeout: 60000 });
}

test('the print view, and HTML and CSV exported from the window, printed to PDF by a browser', async () => {
  const folder = tempFolder();
  const db = path.join(folder, 'powermap.db');
  cli(db, 'sample');
  const doc = exported(db, SAMPLE);
  const driver = await launch(server, db, { width: 1400, height: 900 });
  try {
    await openSample(driver);
    // A card moved in the room shows in the summary as what moved during the session.
    const surface = await driver.findElement(By.css('[data-grid-kind="power-interest"]'));
    const s = await rectOf(driver, surface);
    const mayor = await driver.findElement(By.css('[data-grid-kind="power-interest"] [aria-label="Office of the Mayor"]'));
    await dragTo(driver, mayor, s.left + s.width * 0.8, s.top + s.height * 0.15);
    const mayorId = doc.organizations.find((o) => o.name === 'Office of the Mayor').id;
    const gridId = doc.grids.find((g) => g.kind === 'power-interest').id;
    await driver.wait(
      () => exported(db, SAMPLE).placements.some((p) => p.organizationId === mayorId && p.gridId === gridId && p.x > 0.5),
      5000,
      'the move is stored',
    );
    await click(driver, byName('Summary', 'button'));
    const host = await driver.wait(until.elementLocated(By.css('[data-summary]')), 5000);
    const shown = await driver.wait(async () => {
      const read = await driver.executeScript(
        `const root = arguments[0].shadowRoot; if (!root || !root.querySelector('h1')) return null;
         return { title: root.querySelector('h1').textContent, grids: root.querySelectorAll('svg[data-grid-kind]').length,
                  rows: root.querySelectorAll('tr[data-commitment-id]').length };`,
        host,
      );
      return read;
    }, 5000, 'the summary is shown');
    assert.equal(shown.title, SAMPLE);
    assert.equal(shown.grids, doc.grids.length, 'every grid is drawn');
    assert.equal(shown.rows, doc.commitments.length, 'every commitment has a row');
    const moved = await driver.executeScript(
      `return [...arguments[0].shadowRoot.querySelectorAll('ul.moved li')].map((li) => li.textContent);`,
      host,
    );
    assert.deepEqual(moved, ['Office of the Mayor: Keep satisfied → Manage closely'], 'the summary says what moved');
    await click(driver, By.xpath(`//*[@data-summary-view]//button[normalize-space(.)='Close']`));

    const html = path.join(folder, 'summary.html');
    await exportThroughTheWindow(driver, 'html', html);
    const csvFolder = path.join(folder, 'tables');
    await exportThroughTheWindow(driver, 'csv', csvFolder);
    await exportThroughTheWindow(driver, 'pdf', path.join(folder, 'letter.pdf'), 'letter');
  } finally {
    await driver.quit();
  }

  const page = readFileSync(path.join(folder, 'summary.html'), 'utf8');
  for (const o of doc.organizations) assert.ok(page.includes(o.name.replace("'", '&#39;')), `the page names ${o.name}`);
  const organizations = readFileSync(path.join(folder, 'tables', 'organizations.csv'), 'utf8').trim().split('\n');
  assert.equal(organizations.length, doc.organizations.length + 1, 'a header and a row per organization');
  assert.ok(existsSync(path.join(folder, 'tables', 'commitments.csv')));
  const letter = execFileSync('pdfinfo', [path.join(folder, 'letter.pdf')], { encoding: 'utf8' });
  assert.match(letter, /Page size:\s+612 x 792 pts \(letter\)/, 'the PDF exported from the window is on the paper chosen there');

  const pdf = path.join(folder, 'summary.pdf');
  printWithChromium(path.join(folder, 'summary.html'), pdf);
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))[1]);
  assert.ok(pages >= 2 && pages <= 5, `${pages} printed pages for the sample`);
  const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  for (const o of doc.organizations) assert.ok(text.includes(o.name), `the printed page names ${o.name}`);
  for (const c of doc.commitments) assert.ok(text.includes(c.action), `the printed page lists ${c.action}`);
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', pdf, path.join(DOCS, 'summary-page-1')]);
});

test('Ctrl+P opens the system print dialog, which prints the summary alone', async () => {
  // The window's GTK sees only the "Print to File" printer (its settings name only the file
  // backend), so the test never reaches a real printer; the file lands in the working folder.
  const folder = tempFolder();
  const config = path.join(folder, 'config');
  mkdirSync(path.join(config, 'gtk-3.0'), { recursive: true });
  writeFileSync(path.join(config, 'gtk-3.0', 'settings.ini'), '[Settings]\ngtk-print-backends = file\n');
  const printing = await startDriver({ cwd: folder, env: { XDG_CONFIG_HOME: config } });
  const db = path.join(folder, 'powermap.db');
  cli(db, 'sample');
  const doc = exported(db, SAMPLE);
  const driver = await launch(printing, db);
  const printed = path.join(folder, 'output.pdf');
  try {
    await openSample(driver);
    await driver.findElement(By.css('body')).sendKeys(Key.CONTROL, 'p');
    const dialog = await windowNamed('Print');
    // The printer list has the focus: pick its one printer and print.
    xdotool('windowfocus', '--sync', dialog);
    xdotool('key', 'Down');
    xdotool('key', 'Return');
    await poll(() => existsSync(printed) && statSync(printed).size > 0, 30000, 'nothing was printed to the file');
    let size = -1;
    await poll(() => {
      const now = statSync(printed).size;
      const settled = now === size;
      size = now;
      return settled;
    }, 30000, 'the printed file kept growing');
    await driver.wait(until.elementLocated(By.css('[data-summary]')), 5000, 'the summary stays open after printing');
  } finally {
    await driver.quit();
    await printing.stop();
  }

  // WebKit sets "ffi" and the like as ligatures; NFKC spells them out again.
  const text = execFileSync('pdftotext', [printed, '-'], { encoding: 'utf8' }).normalize('NFKC').replace(/\s+/g, ' ');
  assert.ok(text.includes(SAMPLE), 'the printed pages carry the title');
  for (const o of doc.organizations) assert.ok(text.includes(o.name), `the printed pages name ${o.name}`);
  for (const c of doc.commitments) assert.ok(text.includes(c.action), `the printed pages list ${c.action}`);
  for (const chrome of ['Export…', 'Print…', 'Undo']) assert.ok(!text.includes(chrome), `the window's "${chrome}" is not printed`);
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [printed], { encoding: 'utf8' }))[1]);
  assert.ok(pages >= 2 && pages <= 5, `${pages} printed pages for the sample`);
});

test('the summary, while shown, is the window\'s dialog: the focus in it, the session behind it inert, Escape closes it', async () => {
  const db = path.join(tempFolder(), 'powermap.db');
  cli(db, 'sample');
  const driver = await launch(server, db);
  const focused = () => driver.executeScript(`const a = document.activeElement;
    return { inSummary: !!a?.closest('[data-summary-view]'), inSession: !!a?.closest('.session'), text: a?.textContent.trim() };`);
  try {
    await openSample(driver);
    await click(driver, byName('Summary', 'button'));
    await driver.wait(until.elementLocated(By.css('[data-summary]')), 5000);
    await driver.wait(async () => (await focused()).inSummary, 5000, 'the focus went into the summary');
    assert.equal((await focused()).text, 'Summary', 'it starts at its title');
    // Tab goes round the summary's own buttons, never into the session behind it.
    for (let i = 0; i < 6; i++) {
      await driver.actions().sendKeys(Key.TAB).perform();
      assert.ok(!(await focused()).inSession, 'Tab reached the session behind the summary');
    }
    // The session's own keys are not for it: P would turn projector mode on behind it.
    await driver.actions().sendKeys('p').perform();
    assert.equal(await driver.executeScript("return document.querySelectorAll('.session.projector').length"), 0);
    // Ctrl+P while it is shown prints it (the system's print dialog, cancelled here).
    await driver.actions().keyDown(Key.CONTROL).sendKeys('p').keyUp(Key.CONTROL).perform();
    await answerDialog('Print', 'no');
    await driver.actions().sendKeys(Key.ESCAPE).perform();
    await driver.wait(async () => (await driver.findElements(By.css('[data-summary-view]'))).length === 0, 5000, 'Escape closed it');
    await driver.wait(async () => (await focused()).text === 'Summary' && (await focused()).inSession, 5000,
      'the focus went back to the Summary button');
  } finally {
    await driver.quit();
  }
});

test('Choose… opens the native Save dialog, and the export goes where it was pointed', async () => {
  const folder = tempFolder();
  const db = path.join(folder, 'powermap.db');
  cli(db, 'sample');
  const target = path.join(folder, 'picked', 'for-the-coalition.md');
  mkdirSync(path.dirname(target));
  const driver = await launch(server, db);
  try {
    await openSample(driver);
    await click(driver, By.xpath(`//header//button[normalize-space(.)='Export…']`));
    const dialog = await driver.wait(until.elementLocated(By.css('dialog[open]')), 5000);
    await dialog.findElement(By.css('input[name="format"][value="md"]')).click();
    const field = await dialog.findElement(By.css('input[name="path"]'));
    await driver.wait(async () => (await field.getAttribute('value')).endsWith('.md'), 5000, 'a Markdown name is suggested');
    await dialog.findElement(By.xpath(`.//button[normalize-space(.)='Choose…']`)).click();
    const save = await windowNamed('Save the export');
    // Type a whole path into the dialog's name field, as a person may, and save.
    xdotool('windowfocus', '--sync', save);
    xdotool('key', 'ctrl+a');
    xdotool('type', '--delay', '5', target);
    xdotool('key', 'Return');
    await driver.wait(async () => (await field.getAttribute('value')) === target, 10000, 'the picked file is the export\'s target');
    await dialog.findElement(By.xpath(`.//button[normalize-space(.)='Export']`)).click();
    await driver.wait(() => existsSync(target), 10000, 'the export is written where the dialog pointed');
  } finally {
    await driver.quit();
  }
  assert.match(readFileSync(target, 'utf8'), new RegExp(`^# ${SAMPLE}`), 'the picked file holds the Markdown summary');
});

test('organizations imported from a CSV file, after a preview', async () => {
  const folder = tempFolder();
  const db = path.join(folder, 'powermap.db');
  cli(db, 'sample');
  const file = path.join(folder, 'more.csv');
  writeFileSync(file, 'name,sector,directly affected\nNeighbourhood Watch,community group,yes\nState Housing Agency,government,no\n');
  const bad = path.join(folder, 'bad.csv');
  writeFileSync(bad, 'name,sector\nGood Org,ngo\nBad Org,circus\n');
  const driver = await launch(server, db);
  try {
    await openSample(driver);
    await click(driver, byName('Import CSV…', 'button'));
    const dialog = await driver.wait(until.elementLocated(By.css('dialog[open]')), 5000);
    const field = await dialog.findElement(By.css('input[name="csvPath"]'));
    await field.sendKeys(bad);
    await dialog.findElement(By.xpath(`.//button[normalize-space(.)='Preview']`)).click();
    await answerDialog('Read this file?', 'yes');
    const problems = await driver.wait(until.elementLocated(By.css('[data-csv-preview] .problems')), 5000);
    assert.match(await problems.getText(), /Line 3:.*circus/);
    assert.equal(await dialog.findElement(By.xpath(`.//button[starts-with(normalize-space(.), 'Import')]`)).isEnabled(), false, 'a bad file cannot be imported');

    await field.clear();
    await field.sendKeys(file);
    await dialog.findElement(By.xpath(`.//button[normalize-space(.)='Preview']`)).click();
    await answerDialog('Read this file?', 'yes');
    await driver.wait(until.elementLocated(By.xpath(`//*[@data-csv-preview]//td[normalize-space(.)='State Housing Agency']`)), 5000);
    assert.equal(exported(db, SAMPLE).organizations.length, 13, 'a preview adds nothing');
    await dialog.findElement(By.xpath(`.//button[starts-with(normalize-space(.), 'Import 2')]`)).click();
    await driver.wait(until.elementLocated(By.css('[data-tray] [data-card][aria-label="Neighbourhood Watch"]')), 5000, 'the new cards wait in the tray');
    await storedState(driver, () => exported(db, SAMPLE).organizations.length, (n) => n === 15, 'the two organizations should be stored');
  } finally {
    await driver.quit();
  }
});

test('an export asks before it replaces a file, and a path the page makes up is asked about too', async () => {
  const folder = tempFolder();
  const db = path.join(folder, 'powermap.db');
  cli(db, 'sample');
  const target = path.join(folder, 'minutes.md');
  writeFileSync(target, 'The minutes of last month, kept.\n');
  const driver = await launch(server, db);
  try {
    await openSample(driver);
    await click(driver, By.xpath(`//header//button[normalize-space(.)='Export…']`));
    const dialog = await driver.wait(until.elementLocated(By.css('dialog[open]')), 5000);
    await dialog.findElement(By.css('input[name="format"][value="md"]')).click();
    const field = await dialog.findElement(By.css('input[name="path"]'));
    await driver.wait(async () => (await field.getAttribute('value')).endsWith('.md'), 5000, 'a Markdown name is suggested');
    await field.clear();
    await field.sendKeys(target);
    const exportButton = await dialog.findElement(By.xpath(`.//button[normalize-space(.)='Export']`));
    await exportButton.click();
    await answerDialog('Replace files?', 'no');
    await driver.wait(until.elementLocated(By.xpath(`//dialog[@open]//*[contains(., 'not saved')]`)), 5000, 'the window says nothing was saved');
    assert.equal(readFileSync(target, 'utf8'), 'The minutes of last month, kept.\n', 'the file is as it was');

    await exportButton.click();
    await answerDialog('Replace files?', 'yes');
    await driver.wait(() => readFileSync(target, 'utf8').startsWith(`# ${SAMPLE}`), 10000, 'the file is replaced once the person agreed');

    // A script in the page cannot pick a path: the backend asks the person.
    const made = path.join(folder, 'made-up.html');
    const answer = driver.executeAsyncScript(
      `const done = arguments[arguments.length - 1];
       window.__TAURI_INTERNALS__.invoke('export_session', { sessionId: arguments[0], format: 'html', path: arguments[1] })
         .then(() => done('written'), (e) => done(e.code));`,
      exported(db, SAMPLE).session.id, made,
    );
    await answerDialog('Save the export here?', 'no');
    assert.equal(await answer, 'conflict', 'the made-up path is refused when the person says no');
    assert.ok(!existsSync(made), 'and nothing is written there');
  } finally {
    await driver.quit();
  }
});

test('a PDF exported from the window prints every script, and says which character no font draws', async () => {
  const folder = tempFolder();
  const db = path.join(folder, 'powermap.db');
  cli(db, 'sample');
  // The sample's organizations renamed into the scripts of a coalition's members; one name
  // has U+0378, which no font draws.
  const names = {
    'Riverside Tenants Union': 'جمعية سكان الحي',
    'Office of the Mayor': '北京市民协会',
    'Riverside Chamber of Commerce': 'किसान संघर्ष समिति',
    'Housing Justice Legal Aid': 'ועד השכונה',
    'Harbor Property Group': '東京の市民ネットワーク 🏠',
    'Riverside Community Foundation': 'Unión Sur \u0378',
  };
  let json = cli(db, 'export', SAMPLE, '--format', 'json');
  for (const [from, to] of Object.entries(names)) json = json.replaceAll(JSON.stringify(from), JSON.stringify(to));
  const file = path.join(folder, 'world.json');
  writeFileSync(file, json.replace(JSON.stringify(SAMPLE), JSON.stringify('Coalición — 连 — تحالف')));
  const worldDb = path.join(folder, 'world.db');
  cli(worldDb, 'import', file);
  const driver = await launch(server, worldDb, { width: 1400, height: 900 });
  const target = path.join(folder, 'world.pdf');
  try {
    await click(driver, By.xpath(`//button[contains(., 'Coalición')]`));
    await driver.wait(until.elementLocated(By.css('[data-grid-kind="power-interest"] [data-card]')), 10000);
    // In French: the summary's own words are the language chosen in the dialog.
    await exportThroughTheWindow(driver, 'pdf', target, undefined, 'fr');
    const notice = await driver.findElement(By.css('[data-notice]'));
    assert.equal(await notice.getAttribute('data-notice'), 'warning', 'a notice that stays until dismissed');
    assert.match(await notice.getText(), /No font on this computer draws “.” \(U\+0378\) in “Unión Sur/);
  } finally {
    await driver.quit();
  }
  // pdftotext marks right-to-left words with embedding controls, which draw nothing.
  const text = execFileSync('pdftotext', [target, '-'], { encoding: 'utf8' }).replace(/[\u202a-\u202e]/g, '');
  assert.equal(text.split('\n')[0], 'Coalición — 连 — تحالف', 'the title reads back as typed');
  const flat = text.replace(/\s+/g, ' ');
  for (const name of ['北京市民协会', '東京の市民ネットワーク 🏠', 'किसान संघर्ष समिति', 'Unión Sur']) {
    assert.ok(flat.includes(name), `the PDF reads back ${name}: ${flat}`);
  }
  for (const word of ['Engagements', 'Participants :', 'Organisations']) assert.ok(flat.includes(word), `the French summary says ${word}`);
  assert.ok(!text.includes('\u0378'), 'the character no font draws is left out, not printed as a box');
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', target, path.join(DOCS, 'summary-every-script')]);
});
