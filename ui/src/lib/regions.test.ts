import { beforeAll, describe, expect, it } from 'vitest';

import type { Grid } from '../generated/Grid';
import type { GridKind } from '../generated/GridKind';
import table from '../generated/region-samples.json';
import { loadLanguage } from './i18n.svelte';
import { describePlace, level, regionAt } from './regions';

// Spanish and French are read when first spoken, as in the window.
beforeAll(() => Promise.all([loadLanguage('es'), loadLanguage('fr')]));

describe('regionAt', () => {
  it('puts every sampled point in the region the core puts it in', () => {
    const samples = table.samples as Record<GridKind, [number, number, number][]>;
    expect(Object.keys(samples).sort()).toEqual(['power-interest', 'power-support', 'spectrum-of-allies']);
    for (const [kind, points] of Object.entries(samples) as [GridKind, [number, number, number][]][]) {
      expect(points.length).toBeGreaterThan(1000);
      const wrong = points.filter(([x, y, region]) => regionAt(kind, x, y, table.decisionBand) !== region);
      expect(wrong, `${kind}: points in another region than the core's`).toEqual([]);
    }
  });
});

describe('describePlace', () => {
  const grid = (kind: GridKind, regions: string[]): Grid => ({
    id: 'g',
    identity: 'g',
    kind,
    title: 'Grid',
    labels: { xTitle: 'Interest', xLow: 'Low', xHigh: 'High', yTitle: 'Power', yLow: 'Low', yHigh: 'High', regions },
  });

  it('names the region and each axis’s level', () => {
    const g = grid('power-interest', ['Monitor', 'Keep informed', 'Keep satisfied', 'Manage closely']);
    expect(describePlace(g, 0.9, 0.7, 0.8)).toBe('Manage closely, Power high, Interest very high');
    expect(describePlace(g, 0.1, 0.3, 0.8)).toBe('Monitor, Power low, Interest very low');
    expect(describePlace(g, 0.5, 0.5, 0.8)).toBe('Manage closely, Power middle, Interest middle');
  });

  it('gives only the wedge on the spectrum of allies', () => {
    const g = grid('spectrum-of-allies', ['Active allies', 'Passive allies', 'Neutral', 'Passive opposition', 'Active opposition']);
    expect(describePlace(g, 0.05, 0.1, 0.8)).toBe('Active allies');
    expect(describePlace(g, 0.5, 0.9, 0.8)).toBe('Neutral');
  });

  it('puts the levels in fifths', () => {
    expect([0, 0.19, 0.2, 0.5, 0.79, 0.8, 1].map((v) => level(v))).toEqual([
      'very low', 'very low', 'low', 'middle', 'high', 'very high', 'very high',
    ]);
  });

  it('says a place in Spanish and French on a grid named in that language', () => {
    const es = grid('power-interest', ['Monitorear', 'Mantener informados', 'Mantener satisfechos', 'Gestionar de cerca']);
    es.labels.xTitle = 'Interés';
    es.labels.yTitle = 'Poder';
    expect(describePlace(es, 0.9, 0.7, 0.8, 'es')).toBe('Gestionar de cerca, Poder: nivel alto, Interés: nivel muy alto');
    expect(level(0.1, 'fr')).toBe('très faible');
    // The level agrees with whatever the axis is called ("Position", feminine, on the power map).
    const fr = grid('power-support', ['Opposés', 'Favorables', 'Cibles', 'Décideurs']);
    fr.labels.xTitle = 'Position';
    fr.labels.yTitle = 'Influence';
    expect(describePlace(fr, 0.9, 0.5, 0.8, 'fr')).toMatch(/, Influence\u00a0: niveau moyen, Position\u00a0: niveau très élevé$/);
  });
});
