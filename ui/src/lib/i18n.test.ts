import { describe, expect, it } from 'vitest';

import { languageOf, message } from './i18n.svelte';

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

  it('picks the plural form as each language counts', () => {
    const round = (lang: 'en' | 'fr', count: number) => message(lang, 'room.round-help', { count });
    expect(round('en', 1)).toMatch(/^Place the card /);
    expect(round('en', 0)).toMatch(/^Place the cards /);
    expect(round('fr', 0)).toMatch(/^Placez la carte /);
  });
});
