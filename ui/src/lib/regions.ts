// Where a point of a grid is, in words: the region that holds it and how high it sits on
// each axis ("Manage closely, Power high, Interest very high"). Screen readers hear a card's
// place this way, and every move is announced with it. `regionAt` follows the core's
// `GridKind::region_at`; a test checks it against the table the core writes
// (generated/region-samples.json), so the two cannot drift apart.
import type { Grid } from '../generated/Grid';
import type { GridKind } from '../generated/GridKind';
import { type Lang, language, message } from './i18n.svelte';

/** The index into the grid's region names of the region holding (x, y), normalized from the bottom left. */
export function regionAt(kind: GridKind, x: number, y: number, decisionBand: number): number {
  switch (kind) {
    case 'power-interest':
      return (x >= 0.5 ? 1 : 0) + (y >= 0.5 ? 2 : 0);
    case 'power-support':
      return y >= decisionBand ? 2 : x >= 0.5 ? 1 : 0;
    case 'spectrum-of-allies': {
      if (Math.abs(x - 0.5) < 1e-9 && y <= 1e-9) return 2;
      const angle = Math.atan2(Math.max(y, 0), (x - 0.5) * 2);
      const wedge = Math.floor((Math.PI - angle) / (Math.PI / 5));
      return Math.min(4, Math.max(0, wedge));
    }
  }
}

/** How far along an axis a value sits, in words ("very high", "muy alto"). */
export function level(value: number, lang: Lang = language()): string {
  const key = (['very-low', 'low', 'middle', 'high', 'very-high'] as const)[bucket(value)];
  return message(lang, `place.${key}`);
}

/**
 * A point of `grid` in words: its region, then each axis's level ("Manage closely, Power
 * high, Interest very high"). On the spectrum of allies only the wedge counts.
 */
export function describePlace(grid: Pick<Grid, 'kind' | 'labels'>, x: number, y: number, decisionBand: number, lang: Lang = language()): string {
  const region = grid.labels.regions[regionAt(grid.kind, x, y, decisionBand)] ?? '';
  if (grid.kind === 'spectrum-of-allies') return region;
  const { xTitle, yTitle } = grid.labels;
  // A grid has a few dozen such sentences (regions × levels), said for hundreds of cards.
  const key = `${lang}\u0000${region}\u0000${yTitle}\u0000${bucket(y)}\u0000${xTitle}\u0000${bucket(x)}`;
  let said = described.get(key);
  if (said === undefined) {
    said = message(lang, 'place.describe', { region, yTitle, yLevel: level(y, lang), xTitle, xLevel: level(x, lang) });
    if (described.size >= 5000) described.clear();
    described.set(key, said);
  }
  return said;
}

/** The sentences describePlace has made, by what they depend on. */
const described = new Map<string, string>();

/** Which of level's five steps a value is in. */
function bucket(value: number) {
  return value < 0.2 ? 0 : value < 0.4 ? 1 : value < 0.6 ? 2 : value < 0.8 ? 3 : 4;
}
