// End-to-end: the window in French and Spanish (issue 12). A window on a French desktop
// speaks French from its first screen; Settings switches it to Spanish at once, the menu's
// native dialogs too, and the choice outlives the run. The words are read from the same
// catalogs the window draws with, so the test follows their wording.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import {
  DOCS, ROOT, By, byName, click, dragTo, exported, launch, rectOf, Key, answerDialog,
  screenshot, startDriver, storedState, tempFolder, until,
} from './harness.mjs';
import { CUT_SELECTS } from './measures.mjs';

const catalog = (lang) => JSON.parse(readFileSync(path.join(ROOT, 'locales', `${lang}.json`), 'utf8'));
const fr = catalog('fr');
const es = catalog('es');

/** `template` with its `{name}` placeholders filled from `args`. */
const fill = (template, args) => template.replace(/\{(\w+)\}/g, (_, name) => String(args[name]));

/** Builds a session through the window in its language: title, organizations, two cards placed. */
async function buildSession(driver, words, { title, names, grid }) {
  await click(driver, byName(words['window.sessions.new'], 'button'));
  const titleField = await driver.wait(until.elementLocated(By.css('dialog[open] input[name="title"]')), 5000);
  await titleField.sendKeys(title);
  await click(driver, byName(words['window.sessions.create'], 'button'));
  const surface = await driver.wait(until.elementLocated(By.css(`[data-grid-kind="power-interest"]`)), 10000);
  assert.equal(await surface.getAttribute('aria-label'), grid, 'the first grid is named in the window’s language');

  await click(driver, byName(words['window.organization-panel.paste'], 'button'));
  const list = await driver.wait(until.elementLocated(By.css('dialog[open] textarea[name="names"]')), 5000);
  await list.sendKeys(names.join(Key.RETURN));
  await click(driver, byName(words['window.paste-list.submit'], 'button'));
  const s = await rectOf(driver, surface);
  const spots = [{ x: 0.78, y: 0.8 }, { x: 0.25, y: 0.3 }];
  for (const [i, spot] of spots.entries()) {
    const card = await driver.wait(until.elementLocated(By.css(`[data-tray] [data-card][aria-label=${JSON.stringify(names[i])}]`)), 5000);
    await dragTo(driver, card, Math.round(s.left + spot.x * s.width), Math.round(s.top + (1 - spot.y) * s.height));
    await driver.wait(until.elementLocated(By.css(`[data-grid-kind="power-interest"] [data-card][aria-label=${JSON.stringify(names[i])}]`)), 5000);
  }
  // The notice that the organizations were added, read and put away.
  await click(driver, By.css(`button[aria-label=${JSON.stringify(words['window.notice.dismiss'])}]`));
  return surface;
}

test('a French desktop gets a French window; Settings turns it Spanish at once, and the choice is kept', async () => {
  const folder = tempFolder();
  const db = path.join(folder, 'powermap.db');
  const config = path.join(folder, 'config');
  const server = await startDriver({ env: { LC_ALL: 'fr_FR.UTF-8', LANGUAGE: 'fr', XDG_CONFIG_HOME: config } });
  try {
    let driver = await launch(server, db);
    try {
      assert.equal(await driver.executeScript('return document.documentElement.lang'), 'fr');
      await driver.findElement(By.xpath(`//h2[normalize-space(.)=${JSON.stringify(fr['window.sessions.none'])}]`));
      const title = 'Coalition pour le logement, première réunion';
      const names = ['Union des locataires de Belleville', 'Mairie du 20e', 'Foncière du Nord-Est'];
      await buildSession(driver, fr, { title, names, grid: fr['grid.power-interest.title'] });
      // Stored, then undo named in French.
      await storedState(driver, () => exported(db, title), (s) => s.placements.length === 2, 'the two cards were not stored');
      const undo = await driver.findElement(byName(fr['window.common.undo'], 'button'));
      const moved = fill(fr['label.place-card'], { organization: names[1] });
      assert.equal(await undo.getAttribute('title'), fill(fr['window.session.undo-step'], { step: moved }));
      await screenshot(driver, path.join(process.env.POWERMAP_SHOTS ?? DOCS, 'window-fr.png'));
      assert.deepEqual(await driver.executeScript(CUT_SELECTS), [], 'a drop-down cuts its words');

      // Settings: Spanish, at once, without a new start.
      await click(driver, byName(fr['window.settings.open'], 'button'));
      const dialog = await driver.wait(until.elementLocated(By.css('dialog[open]')), 5000);
      const desktop = fill(fr['window.settings.follow-desktop'], { language: 'Français' });
      await driver.wait(until.elementLocated(By.xpath(`//dialog[@open]//label[normalize-space(.)=${JSON.stringify(desktop)}]`)), 5000);
      assert.equal(await dialog.findElement(By.css('input[value="desktop"]')).isSelected(), true, 'nothing chosen yet');
      await dialog.findElement(By.css('input[value="es"]')).click();
      await driver.wait(until.elementLocated(By.xpath(`//dialog[@open]//h2[normalize-space(.)=${JSON.stringify(es['window.settings.title'])}]`)), 5000);
      await screenshot(driver, path.join(process.env.POWERMAP_SHOTS ?? tempFolder(), 'settings-es.png'));
      assert.equal(await driver.executeScript('return document.documentElement.lang'), 'es');
      await storedState(
        driver,
        () => JSON.parse(readFileSync(path.join(config, 'org.powermap.app', 'settings.json'), 'utf8')),
        (kept) => kept.language === 'es',
        'the choice was not kept',
      );
      await click(driver, byName(es['window.common.close'], 'button'));
      const undoEs = await driver.findElement(byName(es['window.common.undo'], 'button'));
      assert.equal(
        await undoEs.getAttribute('title'),
        fill(es['window.session.undo-step'], { step: fill(es['label.place-card'], { organization: names[1] }) }),
        'the undo label follows the new language',
      );
      assert.equal(
        await driver.switchTo().activeElement().getAttribute('aria-label'),
        es['window.settings.open'],
        'the focus went back to the button that opened Settings (now in Spanish)',
      );
    } finally {
      await driver.quit();
    }

    // The next run, still on a French desktop, speaks Spanish: the choice was kept.
    driver = await launch(server, db);
    try {
      assert.equal(await driver.executeScript('return document.documentElement.lang'), 'es');
      await driver.findElement(byName(es['window.sessions.new'], 'button'));
      const title = 'Coalición por la vivienda digna, primera reunión';
      const names = ['Sindicato de Inquilinas de Lavapiés', 'Ayuntamiento de Madrid', 'Fondo Inmobiliario Sur'];
      await buildSession(driver, es, { title, names, grid: es['grid.power-interest.title'] });
      await screenshot(driver, path.join(process.env.POWERMAP_SHOTS ?? DOCS, 'window-es.png'));
      assert.deepEqual(await driver.executeScript(CUT_SELECTS), [], 'a drop-down cuts its words');

      // A native dialog in Spanish, and the backend's answer too: a map file typed, then not read.
      const file = path.join(folder, 'mapa.json');
      writeFileSync(file, JSON.stringify({ elements: [{ id: 'a', label: 'Vecinas' }], connections: [] }));
      await click(driver, By.css(`button[aria-label=${JSON.stringify(es['window.session.back-to-sessions'])}]`));
      await click(driver, byName(es['window.sessions.import-map'], 'button'));
      const dialog = await driver.wait(until.elementLocated(By.css('dialog[open]')), 5000);
      await dialog.findElement(By.css('input[name="mapPath"]')).sendKeys(file);
      await dialog.findElement(By.xpath(`.//button[normalize-space(.)=${JSON.stringify(es['window.import-map.preview'])}]`)).click();
      await answerDialog(es['dialog.read-title'], 'no');
      const refusal = await driver.wait(until.elementLocated(By.css('dialog[open] [role="alert"]')), 5000);
      assert.equal(await refusal.getText(), es['error.file.not-read'], 'the refusal is said in Spanish');
      await click(driver, byName(es['window.common.cancel'], 'button'));

      // Back to the desktop's language: French again.
      await click(driver, byName(es['window.settings.open'], 'button'));
      const settings = await driver.wait(until.elementLocated(By.css('dialog[open]')), 5000);
      await settings.findElement(By.css('input[value="desktop"]')).click();
      await driver.wait(until.elementLocated(By.xpath(`//dialog[@open]//h2[normalize-space(.)=${JSON.stringify(fr['window.settings.title'])}]`)), 5000);
      await click(driver, byName(fr['window.common.close'], 'button'));
      await driver.findElement(byName(fr['window.sessions.new'], 'button'));
    } finally {
      await driver.quit();
    }
  } finally {
    await server.stop();
  }
});
