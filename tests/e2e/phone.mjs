// A participant's phone for the end-to-end tests: Debian's Chromium, headless, through
// ChromeDriver (packages chromium and chromium-driver), emulating a phone's screen with a
// touch screen, so the room's page is driven by a finger as on a phone. Nothing it loads
// comes from outside 127.0.0.1 and the room's address.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Builder } from 'selenium-webdriver';
import chrome from 'selenium-webdriver/chrome.js';
import { Origin, Pointer } from 'selenium-webdriver/lib/input.js';

const CHROMIUM = process.env.POWERMAP_CHROMIUM ?? '/usr/bin/chromium';
const CHROMEDRIVER = process.env.POWERMAP_CHROMEDRIVER ?? '/usr/bin/chromedriver';

/** A phone's screen: a common size in CSS pixels, at a phone's density. */
export const PHONE = { width: 390, height: 844, pixelRatio: 2 };

/**
 * Opens a headless phone, its browser set to `language` (a BCP 47 tag, "es-MX"). Returns
 * the WebDriver session; `quit()` it (its profile folder goes with it).
 */
export async function openPhone({ language = 'en-US' } = {}) {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'powermap-phone-'));
  const options = new chrome.Options()
    .setChromeBinaryPath(CHROMIUM)
    .addArguments(
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      // Without these Chromium reaches for Google's hosts at start, which a closed
      // network refuses (and which a test must not depend on).
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${profile}`,
      // The phone's language, as its owner set it (navigator.languages).
      `--lang=${language}`,
      `--accept-lang=${language}`,
    )
    .setUserPreferences({ 'intl.accept_languages': language })
    .setMobileEmulation({
      deviceMetrics: { ...PHONE, touch: true, mobile: true },
      userAgent:
        'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Mobile Safari/537.36',
    });
  const driver = await new Builder()
    .forBrowser('chrome')
    .setChromeOptions(options)
    .setChromeService(new chrome.ServiceBuilder(CHROMEDRIVER))
    .build();
  const quit = driver.quit.bind(driver);
  driver.quit = async () => {
    try {
      await quit();
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }
  };
  return driver;
}

/**
 * Drags `element` with a finger to the viewport point (x, y) in several steps (WebDriver
 * touch pointer actions: the page sees touch pointer events, as from a phone's screen).
 */
export async function fingerDrag(driver, element, x, y) {
  const from = await driver.executeScript(
    'const r = arguments[0].getBoundingClientRect(); return {x: r.left + r.width / 2, y: r.top + r.height / 2};',
    element,
  );
  const finger = new Pointer('finger', Pointer.Type.TOUCH);
  const steps = 8;
  const moves = [];
  for (let i = 1; i <= steps; i++) {
    moves.push(
      finger.move({
        x: Math.round(from.x + ((x - from.x) * i) / steps),
        y: Math.round(from.y + ((y - from.y) * i) / steps),
        duration: 30,
        origin: Origin.VIEWPORT,
      }),
    );
  }
  await driver
    .actions({ async: true })
    .insert(
      finger,
      finger.move({ x: Math.round(from.x), y: Math.round(from.y), duration: 0, origin: Origin.VIEWPORT }),
      finger.press(),
      ...moves,
      finger.release(),
    )
    .perform();
}

/**
 * What the page's browser complained of since the last call: every message of its console
 * that tells of something refused (a Content-Security-Policy violation: a style or script
 * the room's policy forbids). A page the room serves runs within its own policy.
 */
export async function refusals(driver) {
  const logs = await driver.manage().logs().get('browser');
  return logs.map((entry) => entry.message).filter((text) => /Content Security Policy|Refused to/i.test(text));
}
