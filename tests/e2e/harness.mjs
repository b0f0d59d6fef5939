// Drives the real Powermap window: tauri-driver starts WebKitWebDriver, which starts the
// app binary (target/debug/powermap) with its own database file. Needs a display (Xvfb in
// CI; the test script starts one). No part of the app is mocked.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { Builder, By, Capabilities, Key, until } from 'selenium-webdriver';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const APP = process.env.POWERMAP_APP ?? path.join(ROOT, 'target/debug/powermap');
/**
 * Where the end-to-end run writes the screenshots the README shows: a temporary folder, so
 * running the tests leaves the tree as it was; `./dev screenshots` sets
 * POWERMAP_SCREENSHOTS to docs/screenshots to make the README's pictures anew.
 */
export const DOCS = process.env.POWERMAP_SCREENSHOTS
  ? path.resolve(process.env.POWERMAP_SCREENSHOTS)
  : mkdtempSync(path.join(os.tmpdir(), 'powermap-screenshots-'));

/** A new empty folder for one test's files. */
export function tempFolder() {
  return mkdtempSync(path.join(os.tmpdir(), 'powermap-e2e-'));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.on('connect', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`tauri-driver did not listen on port ${port} within ${timeoutMs} ms`);
}

/**
 * Starts tauri-driver on free ports; returns {url, stop}. The driver, WebKitWebDriver and
 * the windows it opens run in a process group of their own, which `stop` ends as a whole
 * (and so does this process's exit), so no window or helper outlives the test file.
 * `cwd` and `env` are the windows' working folder and extra environment.
 */
export async function startDriver({ cwd, env } = {}) {
  const port = await freePort();
  const nativePort = await freePort();
  const driver = spawn('tauri-driver', ['--port', String(port), '--native-port', String(nativePort)], {
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
    cwd,
    // GTK's own dialogs (print, save) in English whatever the desktop's language, so the
    // tests find them by their titles; a light desktop (the window follows the desktop's
    // theme until one is chosen); and settings and web storage of their own (the window's
    // language and theme), never the person's who runs the tests nor another test file's.
    // The windows are X11 windows even on a Wayland desktop, so xdotool's input reaches them.
    env: {
      ...process.env, LC_ALL: 'C.UTF-8', LANGUAGE: 'en', GTK_THEME: 'Adwaita', GDK_BACKEND: 'x11',
      XDG_CONFIG_HOME: tempFolder(), XDG_DATA_HOME: tempFolder(), ...env,
    },
  });
  const exited = new Promise((resolve) => driver.once('exit', resolve));
  const killGroup = (signal) => {
    try {
      process.kill(-driver.pid, signal);
    } catch {
      // The group is already gone.
    }
  };
  const onExit = () => killGroup('SIGKILL');
  process.once('exit', onExit);
  await waitForPort(port, 15000);
  return {
    url: `http://127.0.0.1:${port}/`,
    stop: async () => {
      process.off('exit', onExit);
      killGroup('SIGTERM');
      const late = setTimeout(() => killGroup('SIGKILL'), 3000);
      await exited;
      clearTimeout(late);
      // WebKitWebDriver and a window still closing may outlive the driver by a moment.
      await new Promise((r) => setTimeout(r, 200));
      killGroup('SIGKILL');
    },
  };
}

/**
 * Opens the app window on the database at `db` and waits until the first screen shows.
 * Returns the WebDriver session.
 */
export async function launch(server, db, { width = 1400, height = 900 } = {}) {
  const capabilities = new Capabilities();
  capabilities.setBrowserName('wry');
  capabilities.set('tauri:options', { application: APP, args: ['--db', db] });
  const driver = namingFailures(await new Builder().withCapabilities(capabilities).usingServer(server.url).build());
  await driver.manage().window().setRect({ x: 0, y: 0, width, height });
  await driver.wait(until.elementLocated(By.css('main')), 15000, 'the first screen did not appear');
  return driver;
}

/**
 * Makes every WebDriver command that fails say which it was: its name, and a script's first
 * words. Element calls (getAttribute, isDisplayed) run scripts inside WebKitWebDriver too, and
 * an error such as "Could not parse script result" does not otherwise say whose it was.
 */
function namingFailures(driver) {
  const execute = driver.execute.bind(driver);
  driver.execute = async (command) => {
    try {
      return await execute(command);
    } catch (error) {
      const script = command.getParameter('script');
      const words = typeof script === 'string' ? `: ${script.replace(/\s+/g, ' ').trim().slice(0, 120)}` : '';
      error.message = `${error.message} [in ${command.getName()}${words}]`;
      throw error;
    }
  };
  return driver;
}

/** Runs the CLI of the same binary on `db`; returns stdout, throws with stderr on failure. */
export function cli(db, ...args) {
  // English whatever this machine's language: the tests read the words.
  const run = spawnSync(APP, ['--db', db, ...args], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C.UTF-8' } });
  if (run.status !== 0) throw new Error(`powermap ${args.join(' ')} failed: ${run.stderr}`);
  return run.stdout;
}

/** The stored session as the JSON interchange document, read through the CLI. */
export function exported(db, session) {
  return JSON.parse(cli(db, 'export', session, '--format', 'json'));
}

/**
 * Waits until the stored state satisfies `check`, reading it with `read` (usually through
 * the CLI) again and again; never reads it once right after an action, because the window
 * may show a change before its write has landed. On timeout it fails with `message` and the
 * last state read, so a failure says what was stored instead.
 */
export async function storedState(driver, read, check, message, timeoutMs = 5000) {
  let last;
  try {
    await driver.wait(() => {
      last = read();
      return check(last);
    }, timeoutMs);
  } catch (error) {
    if (error?.name !== 'TimeoutError') throw error;
    throw new Error(`${message} (after ${timeoutMs} ms the stored state was ${JSON.stringify(last)})`, { cause: error });
  }
  return last;
}

/** The button, link or field whose visible text or aria-label is `name`. */
export function byName(name, tag = '*') {
  const quoted = JSON.stringify(name);
  return By.xpath(`//${tag}[normalize-space(.)=${quoted} or @aria-label=${quoted}]`);
}

/** Clicks the element found by `locator` once it is visible. */
export async function click(driver, locator) {
  const element = await driver.wait(until.elementLocated(locator), 10000);
  await driver.wait(until.elementIsVisible(element), 10000);
  await element.click();
  return element;
}

/**
 * How many elements match `selector`, counted in the page in one go: WebKitWebDriver's
 * findElements can throw StaleElementReference when a match is being taken away meanwhile.
 */
export function countOf(driver, selector) {
  return driver.executeScript('return document.querySelectorAll(arguments[0]).length', selector);
}

/** The screen rectangle of an element, in CSS pixels of the viewport. */
export function rectOf(driver, element) {
  return driver.executeScript(
    'const r = arguments[0].getBoundingClientRect(); return {left: r.left, top: r.top, width: r.width, height: r.height};',
    element,
  );
}

/** Where a card's centre sits on a grid surface, as normalized (x from left, y from bottom). */
export async function normalizedCentre(driver, card, surface) {
  const c = await rectOf(driver, card);
  const s = await rectOf(driver, surface);
  return {
    x: (c.left + c.width / 2 - s.left) / s.width,
    y: 1 - (c.top + c.height / 2 - s.top) / s.height,
  };
}

/**
 * Where the card of `organizationId` sits on the grid `gridId`, normalized, measured in the
 * page in one go (so a card redrawn by a change cannot go stale between finding and
 * measuring it); null while it is not shown.
 */
export function cardCentre(driver, gridId, organizationId) {
  return driver.executeScript(
    `const surface = document.querySelector(arguments[0]);
     const card = surface && surface.querySelector(arguments[1]);
     if (!card) return null;
     const s = surface.getBoundingClientRect(), c = card.getBoundingClientRect();
     return { x: (c.left + c.width / 2 - s.left) / s.width, y: 1 - (c.top + c.height / 2 - s.top) / s.height };`,
    `[data-grid-id="${gridId}"]`,
    `[data-org-id="${organizationId}"]`,
  );
}

/**
 * Drags `element` with the mouse to the viewport point (x, y) in several steps, as a hand
 * would, using WebDriver pointer actions.
 */
export async function dragTo(driver, element, x, y) {
  const from = await rectOf(driver, element);
  const startX = Math.round(from.left + from.width / 2);
  const startY = Math.round(from.top + from.height / 2);
  let actions = driver.actions({ async: true }).move({ x: startX, y: startY }).press();
  const steps = 8;
  for (let i = 1; i <= steps; i++) {
    const px = Math.round(startX + ((x - startX) * i) / steps);
    const py = Math.round(startY + ((y - startY) * i) / steps);
    actions = actions.move({ x: px, y: py, duration: 30 });
  }
  await actions.release().perform();
}

/** Saves a screenshot of the window to `file`. */
export async function screenshot(driver, file) {
  const { writeFileSync, mkdirSync } = await import('node:fs');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, Buffer.from(await driver.takeScreenshot(), 'base64'));
}

/** Runs xdotool (X11 input as a person's, through XTEST) on the test's display. */
export function xdotool(...args) {
  return execFileSync('xdotool', args, { encoding: 'utf8' }).trim();
}

/** Calls `what` every 200 ms until it returns something truthy; fails with `message`. */
export async function poll(what, timeoutMs, message) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = what();
    if (found) return found;
    if (Date.now() > deadline) throw new Error(message);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** `text` as a regular expression that matches it exactly (xdotool searches by pattern). */
const exactly = (text) => `^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;

/**
 * The X window named `name` (a whole-name match), once it shows: mapped, not only made (a
 * window found between the two cannot take the focus yet — X answers BadMatch).
 */
export function windowNamed(name, timeoutMs = 10000) {
  return poll(() => {
    try {
      return xdotool('search', '--onlyvisible', '--name', exactly(name)).split('\n')[0];
    } catch {
      return null;
    }
  }, timeoutMs, `no window "${name}" opened`);
}

/**
 * Answers the app's native question titled `title` (a GTK message dialog the backend
 * opens, see src-tauri/src/commands/files.rs) as a person would, from the keyboard:
 * 'yes' presses its first button (Save, Replace, Read it), 'no' presses Escape (Cancel).
 * Waits until the dialog has gone.
 */
export async function answerDialog(title, answer) {
  const dialog = await windowNamed(title);
  xdotool('windowfocus', '--sync', dialog);
  xdotool('key', answer === 'yes' ? 'Return' : 'Escape');
  await poll(() => {
    try {
      xdotool('search', '--name', exactly(title));
      return false;
    } catch {
      return true;
    }
  }, 10000, `the dialog "${title}" did not close`);
}

export { By, Key, until };
