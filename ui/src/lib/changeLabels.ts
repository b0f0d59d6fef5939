// Puts the backend's change labels (a key with its arguments) and actors into words, from
// the catalogs the core reads too (lib/i18n.svelte.ts).
import type { Actor } from '../generated/Actor';
import type { ChangeLabel } from '../generated/ChangeLabel';
import type { Grid } from '../generated/Grid';
import type { HistoryEntry } from '../generated/HistoryEntry';
import type { RelationshipKind } from '../generated/RelationshipKind';
import type { SessionChange } from '../generated/SessionChange';
import { catalogKeys, known, language, message, type Lang } from './i18n.svelte';
import { describePlace } from './regions';

/** What a change did, in words: "Move “City Council”" (in the window's language). */
export function describeLabel(label: ChangeLabel, lang: Lang = language()): string {
  if (label.key === 'recorded') return label.text;
  // Every argument by name, a status, an outcome and a relationship kind put into words
  // too — as the core's ChangeLabel::describe_in does, from the same catalogs.
  const args: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(label)) {
    if (name === 'key') continue;
    const words = WORDS[name] ? `${WORDS[name]}.${value}` : null;
    args[name] = words && known(words) ? message(lang, words) : value;
  }
  return message(lang, `label.${label.key}`, args);
}

/** The arguments whose values are put into words, by the catalog prefix of their words. */
const WORDS: Record<string, string> = { status: 'status', outcome: 'outcome', kind: 'relationship' };

/** Every relationship kind, in the order the catalogs name them. */
export const RELATIONSHIP_KINDS = catalogKeys('relationship.') as RelationshipKind[];

/** A relationship kind as a verb between two names ("funds"); a kind this window does not know, as it is. */
export function relationshipVerb(kind: string, lang: Lang = language()): string {
  return known(`relationship.${kind}`) ? message(lang, `relationship.${kind}`) : kind;
}

/** A review's outcome in words ("partly kept"); an outcome this window does not know, as it is. */
export function describeOutcome(outcome: string, lang: Lang = language()): string {
  return known(`outcome.${outcome}`) ? message(lang, `outcome.${outcome}`) : outcome;
}

/** Who made a change, in words; the facilitator goes unnamed (the window is theirs). */
export function describeActor(actor: Actor, lang: Lang = language()): string | null {
  switch (actor.kind) {
    case 'facilitator':
      return null;
    case 'participant':
      return actor.name;
    case 'laptop':
      return actor.person ? message(lang, 'actor.person-on-laptop', { person: actor.person, laptop: actor.laptop }) : actor.laptop;
    default:
      return message(lang, `actor.${actor.kind}`);
  }
}

/** A step as the Undo and Redo buttons name it: "Move “City Council” (Amina)". */
export function describeStep(entry: HistoryEntry, lang: Lang = language()): string {
  const who = describeActor(entry.actor, lang);
  return who ? `${describeLabel(entry.label, lang)} (${who})` : describeLabel(entry.label, lang);
}

/**
 * A change as a screen reader announces it: what was done and by whom, and for one card
 * moved, where it is now ("Undone: Move “Harbor Property Group” (Amina) — now Keep
 * satisfied, Power high, Interest low").
 */
export function announceChange(change: SessionChange, grids: Grid[], decisionBand: number, lang: Lang = language()): string {
  const step = describeStep({ label: change.label, actor: change.author, at: change.at }, lang);
  const done =
    change.action === 'undo'
      ? message(lang, 'window.state.undone', { step })
      : change.action === 'redo'
        ? message(lang, 'window.state.redone', { step })
        : step;
  const placed = change.written.filter((w) => w.table === 'placement');
  if (placed.length !== 1 || placed[0].table !== 'placement') return done;
  const { gridId, x, y } = placed[0].row;
  const grid = grids.find((g) => g.id === gridId);
  return grid ? message(lang, 'window.state.now-at', { done, place: describePlace(grid, x, y, decisionBand, lang) }) : done;
}
