import { beforeAll, describe, expect, it } from 'vitest';

import type { Actor } from '../generated/Actor';
import type { ChangeLabel } from '../generated/ChangeLabel';
import samples from '../generated/label-samples.json';
import { describeActor, describeLabel } from './changeLabels';
import { type Lang, loadLanguage } from './i18n.svelte';

// Spanish and French are read when first spoken, as in the window.
beforeAll(() => Promise.all([loadLanguage('es'), loadLanguage('fr')]));

type Sample = { lang: Lang; text: string; label?: ChangeLabel; actor?: Actor };

describe('change labels', () => {
  it('read in every language exactly as the core says them', () => {
    const all = samples as Sample[];
    expect(all.filter((s) => s.label).length).toBeGreaterThan(90);
    for (const sample of all) {
      if (sample.label) expect(describeLabel(sample.label, sample.lang)).toBe(sample.text);
      // The window leaves the facilitator unnamed (the window is theirs).
      if (sample.actor && sample.actor.kind !== 'facilitator') {
        expect(describeActor(sample.actor, sample.lang)).toBe(sample.text);
      }
    }
  });
});
