import { describe, expect, it } from 'vitest';

import { formatDay, formatMoment, language, languageOf, loadLanguage, message, speak, t } from './i18n.svelte';

describe('a language read when first spoken', () => {
  it('is said in English until its catalog has arrived', async () => {
    expect(message('es', 'window.common.cancel')).toBe('Cancel');
    await loadLanguage('es');
    expect(message('es', 'window.common.cancel')).toBe('Cancelar');
  });
});

describe('the language of a browser', () => {
  it('is the first of its languages Powermap speaks', () => {
    expect(languageOf(['es-MX', 'en-US'])).toBe('es');
    expect(languageOf(['de-DE', 'fr-CA', 'es'])).toBe('fr');
    expect(languageOf(['EN_gb'])).toBe('en');
  });

  it('is English when it speaks none of them', () => {
    expect(languageOf(['de', 'ja'])).toBe('en');
    expect(languageOf([])).toBe('en');
  });

  it('picks the plural form as each language counts', async () => {
    await loadLanguage('fr');
    const round = (lang: 'en' | 'fr', count: number) => message(lang, 'room.round-help', { count });
    expect(round('en', 1)).toMatch(/^Place the card /);
    expect(round('en', 0)).toMatch(/^Place the cards /);
    expect(round('fr', 0)).toMatch(/^Placez la carte /);
  });
});

describe('the window speaking a language', () => {
  it('says every word in the language it was last told to speak', async () => {
    await speak('es');
    expect(language()).toBe('es');
    expect(t('window.common.cancel')).toBe('Cancelar');
    await speak('fr');
    expect(t('window.common.cancel')).toBe('Annuler');
    expect(t('window.paste-list.added', { count: 0 })).toBe('0 organisation ajoutée au bac.');
    await speak('en');
    expect(t('window.paste-list.added', { count: 0 })).toBe('Added 0 organizations to the tray.');
  });

  it('writes days and moments as each language does', async () => {
    await speak('es');
    expect(formatDay('2026-11-29')).toBe('29 de noviembre de 2026');
    await speak('fr');
    expect(formatDay('2026-03-01')).toBe('1 mars 2026');
    expect(formatMoment(Date.UTC(2026, 2, 1, 12), { timeZone: 'UTC' })).toBe('1 mars 2026, 12:00');
    await speak('en');
    expect(formatDay('2026-11-29')).toBe('November 29, 2026');
    expect(formatDay('not a day')).toBe('not a day');
  });
});

describe('a message with a sentence put in', () => {
  it('keeps one full stop where the sentence ends before the template’s', () => {
    const reason = 'The organization name cannot be empty.';
    expect(message('en', 'error.import.refused', { reason })).toBe(
      'This file cannot be imported: The organization name cannot be empty. Nothing was added.',
    );
    expect(message('en', 'error.import.refused', { reason: 'it is not valid JSON' })).toBe(
      'This file cannot be imported: it is not valid JSON. Nothing was added.',
    );
  });
});
