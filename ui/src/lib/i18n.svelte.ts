// The words of Powermap's messages in English, Spanish and French: the same catalogs the
// core reads (locales/{en,es,fr}.json at the repository's root), rendered the same way — a
// string with `{name}` placeholders, or plural forms (`one`, `other`) chosen by `count`.
// The window's language is state: every `t()` in a template reads it, so choosing another
// language redraws the window's words at once. English is part of the page; another
// language's catalog is read the first time it is spoken (each is ~60 kB of script the
// window would otherwise load and run before its first drawing).
import en from '../../../locales/en.json';

import type { Lang } from '../generated/Lang';

export type { Lang };
type Message = string | Record<string, string>;
type Catalog = Record<string, Message>;

const CATALOGS: Partial<Record<Lang, Catalog>> = { en };
const LATER: Record<Exclude<Lang, 'en'>, () => Promise<{ default: Catalog }>> = {
  es: () => import('../../../locales/es.json'),
  fr: () => import('../../../locales/fr.json'),
};

/** The languages Powermap speaks, each named in itself, as someone looking for theirs reads a list. */
export const LANGUAGES: readonly { lang: Lang; name: string }[] = [
  { lang: 'en', name: 'English' },
  { lang: 'es', name: 'Español' },
  { lang: 'fr', name: 'Français' },
];

/** A key of the catalogs (English has them all): a misspelt key does not type-check. */
export type MessageKey = keyof typeof en;

const speaking = $state<{ lang: Lang }>({ lang: 'en' });

/** The language the window speaks (the desktop's, or the one chosen in Settings). */
export function language(): Lang {
  return speaking.lang;
}

/** Reads the catalog of `lang`, once; until it has arrived, `message` says its words in English. */
export async function loadLanguage(lang: Lang): Promise<void> {
  if (CATALOGS[lang] || lang === 'en') return;
  CATALOGS[lang] = (await LATER[lang]()).default;
}

/** Makes the window speak `lang` (once its catalog is read): every word drawn with `t()` follows. */
export async function speak(lang: Lang) {
  await loadLanguage(lang);
  speaking.lang = lang;
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
}

/** The words of `key` in the window's language, with `args` put in. */
export function t(key: MessageKey, args: Record<string, string | number> = {}): string {
  return message(speaking.lang, key, args);
}

/**
 * The first of a browser's languages (`navigator.languages`: "es-MX", "fr") that Powermap
 * speaks; English when none is.
 */
export function languageOf(tags: readonly string[]): Lang {
  for (const tag of tags) {
    const code = tag.split(/[-_]/)[0].toLowerCase();
    if (code === 'en' || code === 'es' || code === 'fr') return code;
  }
  return 'en';
}

/** The keys that start with `prefix`, without it, in the catalogs' order. */
export function catalogKeys(prefix: string): string[] {
  return Object.keys(en)
    .filter((key) => key.startsWith(prefix))
    .map((key) => key.slice(prefix.length));
}

/** Whether the catalogs have `key` (in English, which has them all). */
export function known(key: string): boolean {
  return key in en;
}

/** The plural form for `n` things: French counts 0 and 1 as one. */
function plural(lang: Lang, n: number): string {
  const one = lang === 'fr' ? n <= 1 : n === 1;
  return one ? 'one' : 'other';
}

/**
 * The words of `key` in `lang` with `args` put in (a `count` also picks the plural form); a
 * key the language lacks (or a language not read yet, see `loadLanguage`) is said in
 * English, one English lacks too as it is.
 */
export function message(lang: Lang, key: string, args: Record<string, string | number> = {}): string {
  let found = CATALOGS[lang]?.[key];
  let speaking = lang;
  if (found === undefined) {
    found = (en as Catalog)[key];
    speaking = 'en';
  }
  if (found === undefined) return key;
  const template =
    typeof found === 'string' ? found : (found[plural(speaking, Number(args.count ?? 0))] ?? found.other ?? '');
  return fill(template, args);
}

/**
 * `template` with each `{name}` replaced by its argument (an unknown name stays as it is). An
 * argument that ends a sentence takes the place of the template's full stop after it, as the
 * core does.
 */
function fill(template: string, args: Record<string, string | number>): string {
  let out = '';
  let rest = template;
  for (let match = /\{([^{}]*)\}/.exec(rest); match; match = /\{([^{}]*)\}/.exec(rest)) {
    out += rest.slice(0, match.index) + (match[1] in args ? String(args[match[1]]) : match[0]);
    rest = rest.slice(match.index + match[0].length);
    if (out.endsWith('.') && rest.startsWith('.')) rest = rest.slice(1);
  }
  return out + rest;
}

/**
 * A day written `YYYY-MM-DD` as the window's language writes it ("November 29, 2026",
 * "29 de noviembre de 2026"); the text as it is if it is not such a day.
 */
export function formatDay(iso: string, style: 'long' | 'medium' = 'long'): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return iso;
  const day = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return new Intl.DateTimeFormat(speaking.lang, { dateStyle: style, timeZone: 'UTC' }).format(day);
}

/** A moment (a Date, milliseconds or an ISO timestamp) in the window's language: day and time. */
export function formatMoment(when: Date | number | string, options: Intl.DateTimeFormatOptions = {}): string {
  const date = when instanceof Date ? when : new Date(when);
  if (Number.isNaN(date.getTime())) return String(when);
  return new Intl.DateTimeFormat(speaking.lang, { dateStyle: 'medium', timeStyle: 'short', ...options }).format(date);
}

/** What marks a message's bold words (never typed by a person: a control character). */
export const MARK = '\u0001';

/** `words`, marked to be drawn in bold when put into a message drawn by `Emphasized`. */
export function bold(words: string | number): string {
  return `${MARK}${words}${MARK}`;
}
