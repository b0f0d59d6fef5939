// The installable packages (.deb and .rpm, made by the Tauri bundler): each is unpacked as
// a package manager would lay it out, its metadata read by the distribution's own tools,
// and the packaged binary's command line run from the unpacked tree.
//
// `./dev test` bundles the debug build it tested (`tauri bundle --debug`); `./dev package`
// builds the release packages and runs this on them. POWERMAP_BUNDLES names the folder
// the bundler wrote (target/debug/bundle by default).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BUNDLES = path.resolve(ROOT, process.env.POWERMAP_BUNDLES ?? 'target/debug/bundle');
const ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512];

const folders = [];
after(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));
function tempFolder() {
  const folder = mkdtempSync(path.join(tmpdir(), 'powermap-package-'));
  folders.push(folder);
  return folder;
}

/** The one file the bundler made in `kind`'s folder with that extension. */
function bundle(kind, extension) {
  const folder = path.join(BUNDLES, kind);
  const found = readdirSync(folder).filter((name) => name.endsWith(extension));
  assert.equal(found.length, 1, `one .${extension} in ${folder}, found ${found.join(', ') || 'none'}`);
  return path.join(folder, found[0]);
}

const run = (command, args, options = {}) => execFileSync(command, args, { encoding: 'utf8', ...options });

/** The width and height of a PNG file, from its IHDR chunk. */
function pngSize(file) {
  const bytes = readFileSync(file);
  assert.equal(bytes.toString('latin1', 1, 4), 'PNG', `${file} is a PNG`);
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

/** What both packages must hold once unpacked under `tree`. */
function checkTree(tree) {
  const binary = path.join(tree, 'usr/bin/powermap');
  assert.ok(statSync(binary).mode & 0o111, 'the binary is executable and on the PATH (/usr/bin/powermap)');

  const desktop = path.join(tree, 'usr/share/applications/Powermap.desktop');
  run('desktop-file-validate', [desktop]);
  const entry = readFileSync(desktop, 'utf8');
  for (const line of ['Name=Powermap', 'Exec=powermap', 'Icon=powermap', 'Type=Application', 'Terminal=false']) {
    assert.ok(entry.split('\n').includes(line), `the desktop entry says ${line}:\n${entry}`);
  }

  for (const size of ICON_SIZES) {
    const icon = path.join(tree, `usr/share/icons/hicolor/${size}x${size}/apps/powermap.png`);
    assert.deepEqual(pngSize(icon), [size, size], `the ${size} px icon is ${size} × ${size}`);
  }

  // The packaged command line works without a display: a session made, listed, exported.
  const db = path.join(tempFolder(), 'powermap.db');
  const env = { ...process.env, DISPLAY: '', WAYLAND_DISPLAY: '' };
  const id = run(binary, ['--db', db, 'sample'], { env }).trim();
  assert.match(id, /^[0-9a-f-]{8,}$/i, 'sample prints the new session id');
  assert.match(run(binary, ['--db', db, 'list'], { env }), /Riverside housing-rights coalition/);
  const markdown = run(binary, ['--db', db, 'export', id, '--format', 'md'], { env });
  assert.match(markdown, /Office of the Mayor/, 'the export names the sample organizations');
  assert.match(run(binary, ['--version'], { env }), /^powermap \d+\.\d+\.\d+/);
  const wrong = spawnSync(binary, ['--db', db, 'frobnicate'], { env, encoding: 'utf8' });
  assert.equal(wrong.status, 64, 'an unknown command is a usage error (64), not the window');
}

test('the .deb depends on WebKitGTK, GTK and a font, and its binary runs unpacked', () => {
  const deb = bundle('deb', 'deb');
  assert.equal(run('dpkg-deb', ['--field', deb, 'Package']).trim(), 'powermap');
  const depends = run('dpkg-deb', ['--field', deb, 'Depends']).split(',').map((d) => d.trim());
  for (const needed of ['libwebkit2gtk-4.1-0', 'libgtk-3-0', 'fonts-dejavu-core']) {
    assert.ok(depends.includes(needed), `the .deb depends on ${needed} (it says ${depends.join(', ')})`);
  }
  // The faces the PDF and pictures set other scripts and emoji in (see summary/fonts.rs).
  const recommends = run('dpkg-deb', ['--field', deb, 'Recommends']).split(',').map((d) => d.trim());
  for (const wanted of ['fonts-noto-core', 'fonts-noto-cjk', 'fonts-symbola']) {
    assert.ok(recommends.includes(wanted), `the .deb recommends ${wanted} (it says ${recommends.join(', ')})`);
  }
  const tree = tempFolder();
  run('dpkg-deb', ['--extract', deb, tree]);
  checkTree(tree);
});

test('the .rpm requires WebKitGTK, GTK and a font, and its binary runs unpacked', () => {
  const rpm = bundle('rpm', 'rpm');
  assert.equal(run('rpm', ['-qp', '--queryformat', '%{NAME}', rpm]), 'powermap');
  const requires = run('rpm', ['-qpR', rpm]).split('\n').map((r) => r.trim());
  for (const needed of ['libwebkit2gtk-4.1.so.0()(64bit)', 'libgtk-3.so.0()(64bit)', 'dejavu-sans-fonts']) {
    assert.ok(requires.includes(needed), `the .rpm requires ${needed} (it says ${requires.join(', ')})`);
  }
  const tree = tempFolder();
  run('sh', ['-c', 'rpm2cpio "$1" | cpio --quiet --extract --make-directories --preserve-modification-time', 'sh', rpm], { cwd: tree });
  checkTree(tree);
});
