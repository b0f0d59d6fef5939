// End-to-end: the summary (issue 4) — the print view, exports through the window, the
// exported page printed to PDF by a browser, and organizations imported from a CSV file.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { DOCS, By, byName, click, cli, exported, launch, startDriver, tempFolder, until } from './harness.mjs';

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

async function exportThroughTheWindow(driver, format, target) {
  await click(driver, By.xpath(`//header//button[normalize-space(.)='Export…']`));
  const dialog = await driver.wait(until.elementLocated(By.css('dialog[open]')), 5000);
  await dialog.findElement(By.css(`input[name="format"][value="${format}"]`)).click();
  const field = await dialog.findElement(By.css('input[name="path"]'));
  await driver.wait(async () => (await field.getAttribute('value')) !== '', 5000, 'a place to save is suggested');
  await field.clear();
  await field.sendKeys(target);
  await dialog.findElement(By.xpath(`.//button[normalize-space(.)='Export']`)).click();
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
    await click(driver, By.xpath(`//*[@data-summary-view]//button[normalize-space(.)='Close']`));

    const html = path.join(folder, 'summary.html');
    await exportThroughTheWindow(driver, 'html', html);
    const csvFolder = path.join(folder, 'tables');
    await exportThroughTheWindow(driver, 'csv', csvFolder);
  } finally {
    await driver.quit();
  }

  const page = readFileSync(path.join(folder, 'summary.html'), 'utf8');
  for (const o of doc.organizations) assert.ok(page.includes(o.name.replace("'", '&#39;')), `the page names ${o.name}`);
  const organizations = readFileSync(path.join(folder, 'tables', 'organizations.csv'), 'utf8').trim().split('\n');
  assert.equal(organizations.length, doc.organizations.length + 1, 'a header and a row per organization');
  assert.ok(existsSync(path.join(folder, 'tables', 'commitments.csv')));

  const pdf = path.join(folder, 'summary.pdf');
  printWithChromium(path.join(folder, 'summary.html'), pdf);
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))[1]);
  assert.ok(pages >= 2 && pages <= 5, `${pages} printed pages for the sample`);
  const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  for (const o of doc.organizations) assert.ok(text.includes(o.name), `the printed page names ${o.name}`);
  for (const c of doc.commitments) assert.ok(text.includes(c.action), `the printed page lists ${c.action}`);
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', pdf, path.join(DOCS, 'summary-page-1')]);
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
    const problems = await driver.wait(until.elementLocated(By.css('[data-csv-preview] .problems')), 5000);
    assert.match(await problems.getText(), /Line 3:.*circus/);
    assert.equal(await dialog.findElement(By.xpath(`.//button[starts-with(normalize-space(.), 'Import')]`)).isEnabled(), false, 'a bad file cannot be imported');

    await field.clear();
    await field.sendKeys(file);
    await dialog.findElement(By.xpath(`.//button[normalize-space(.)='Preview']`)).click();
    await driver.wait(until.elementLocated(By.xpath(`//*[@data-csv-preview]//td[normalize-space(.)='State Housing Agency']`)), 5000);
    assert.equal(exported(db, SAMPLE).organizations.length, 13, 'a preview adds nothing');
    await dialog.findElement(By.xpath(`.//button[starts-with(normalize-space(.), 'Import 2')]`)).click();
    await driver.wait(until.elementLocated(By.css('[data-tray] [data-card][aria-label="Neighbourhood Watch"]')), 5000, 'the new cards wait in the tray');
    assert.equal(exported(db, SAMPLE).organizations.length, 15);
  } finally {
    await driver.quit();
  }
});
