import { beforeAll, describe, expect, it } from 'vitest';

import samples from '../generated/notice-samples.json';
import type { Unprintable } from '../generated/Unprintable';
import { unprintableNotice } from './exportNotice';
import { type Lang, loadLanguage } from './i18n.svelte';

// Spanish and French are read when first spoken, as in the window.
beforeAll(() => Promise.all([loadLanguage('es'), loadLanguage('fr')]));

describe('the notice of characters no font draws', () => {
  it('says exactly what the core says, in every language', () => {
    expect(samples.length).toBe(9);
    for (const sample of samples as { lang: Lang; unprintable: Unprintable[]; text: string }[]) {
      expect(unprintableNotice(sample.lang, sample.unprintable)).toBe(sample.text);
    }
  });

  it('says nothing when nothing was left out', () => {
    expect(unprintableNotice('en', [])).toBeNull();
  });
});
