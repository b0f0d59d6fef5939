// What the window says when an export left out characters no font draws: the core's notice
// (src-tauri/core/src/summary/shaping.rs) in the window's language, from the same catalogs.
import type { Unprintable } from '../generated/Unprintable';
import { type Lang, message } from './i18n.svelte';

/** How many characters the notice names; the rest are counted. */
const NAMED = 5;

/** The notice for `unprintable` in `lang`, or null when nothing was left out. */
export function unprintableNotice(lang: Lang, unprintable: Unprintable[]): string | null {
  if (unprintable.length === 0) return null;
  const listed = unprintable.slice(0, NAMED).map((u) => {
    const code = `U+${(u.character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
    return message(lang, 'export.unprintable-character', { character: u.character, code, name: u.text });
  });
  let characters = listed.join('; ');
  if (unprintable.length > listed.length) {
    characters = message(lang, 'export.unprintable-more', { list: characters, count: unprintable.length - listed.length });
  }
  return message(lang, 'export.unprintable', { characters });
}
