// Puts the backend's change labels (a key with its arguments) and actors into words. The
// one place the window's history text lives, so it can be translated as one table.
import type { Actor } from '../generated/Actor';
import type { ChangeLabel } from '../generated/ChangeLabel';
import type { Grid } from '../generated/Grid';
import type { HistoryEntry } from '../generated/HistoryEntry';
import type { RelationshipKind } from '../generated/RelationshipKind';
import type { ReviewOutcome } from '../generated/ReviewOutcome';
import type { SessionChange } from '../generated/SessionChange';
import { describePlace } from './regions';

/** What a change did, in words: "Move “City Council”". */
export function describeLabel(label: ChangeLabel): string {
  switch (label.key) {
    case 'place-card':
      return `Place “${label.organization}”`;
    case 'move-card':
      return `Move “${label.organization}”`;
    case 'move-cards':
      return `Move ${label.count} cards`;
    case 'return-to-tray':
      return `Send “${label.organization}” to the tray`;
    case 'add-organization':
      return `Add “${label.name}”`;
    case 'add-organizations':
      return `Add ${label.count} organizations`;
    case 'edit-organization':
      return `Edit “${label.name}”`;
    case 'remove-organization':
      return `Remove “${label.name}”`;
    case 'edit-session':
      return 'Edit the session details';
    case 'rename-session':
      return `Rename the session “${label.title}”`;
    case 'add-grid':
      return `Add the grid “${label.title}”`;
    case 'edit-grid':
      return `Edit the grid “${label.title}”`;
    case 'remove-grid':
      return `Remove the grid “${label.title}”`;
    case 'add-commitment':
      return `Add the commitment “${label.action}”`;
    case 'edit-commitment':
      return `Edit the commitment “${label.action}”`;
    case 'mark-commitment':
      return `Mark “${label.action}” ${label.status}`;
    case 'remove-commitment':
      return `Remove the commitment “${label.action}”`;
    case 'add-participant':
      return `Add “${label.name}” to the room`;
    case 'edit-participant':
      return `Edit “${label.name}”`;
    case 'remove-participant':
      return `Remove “${label.name}” from the room`;
    case 'add-relationship':
      return `Draw “${label.from}” ${relationshipVerb(label.kind)} “${label.to}”`;
    case 'edit-relationship':
      return `Change “${label.from}” ${relationshipVerb(label.kind)} “${label.to}”`;
    case 'remove-relationship':
      return `Remove “${label.from}” ${relationshipVerb(label.kind)} “${label.to}”`;
    case 'note-review':
      return `Note on “${label.action}”`;
    case 'review-commitment':
      return `Review “${label.action}”: ${describeOutcome(label.outcome)}`;
    case 'start-round':
      return `Start a private round on “${label.grid}”`;
    case 'reveal-round':
      return `Reveal the round on “${label.grid}”`;
    case 'edit-round':
      return `Change the round on “${label.grid}”`;
    case 'end-round':
      return `End the round on “${label.grid}”`;
    case 'recorded':
      return label.text;
  }
}

const OUTCOME_WORDS: Record<ReviewOutcome, string> = {
  pending: 'not yet reviewed',
  kept: 'kept',
  partly: 'partly kept',
  dropped: 'dropped',
  carried: 'carried again',
};

export const RELATIONSHIP_VERBS: Record<RelationshipKind, string> = {
  'works-with': 'works with',
  funds: 'funds',
  'speaks-for': 'speaks for',
  leads: 'leads',
  'member-of': 'is a member of',
  opposes: 'opposes',
};

/** A relationship kind as a verb between two names ("funds"); a kind this window does not know, as it is. */
export function relationshipVerb(kind: string): string {
  return RELATIONSHIP_VERBS[kind as RelationshipKind] ?? kind;
}

/** A review's outcome in words ("partly kept"); an outcome this window does not know, as it is. */
export function describeOutcome(outcome: string): string {
  return OUTCOME_WORDS[outcome as ReviewOutcome] ?? outcome;
}

/** Who made a change, in words; the facilitator goes unnamed (the window is theirs). */
export function describeActor(actor: Actor): string | null {
  switch (actor.kind) {
    case 'facilitator':
      return null;
    case 'participant':
      return actor.name;
    case 'cli':
      return 'command line';
    case 'import':
      return 'import';
  }
}

/** A step as the Undo and Redo buttons name it: "Move “City Council” (Amina)". */
export function describeStep(entry: HistoryEntry): string {
  const who = describeActor(entry.actor);
  return who ? `${describeLabel(entry.label)} (${who})` : describeLabel(entry.label);
}

/**
 * A change as a screen reader announces it: what was done and by whom, and for one card
 * moved, where it is now ("Undone: Move “Harbor Property Group” (Amina) — now Keep
 * satisfied, Power high, Interest low").
 */
export function announceChange(change: SessionChange, grids: Grid[], decisionBand: number): string {
  const step = describeStep({ label: change.label, actor: change.author, at: change.at });
  const done = change.action === 'undo' ? `Undone: ${step}` : change.action === 'redo' ? `Redone: ${step}` : step;
  const placed = change.written.filter((w) => w.table === 'placement');
  if (placed.length !== 1 || placed[0].table !== 'placement') return done;
  const { gridId, x, y } = placed[0].row;
  const grid = grids.find((g) => g.id === gridId);
  return grid ? `${done} — now ${describePlace(grid, x, y, decisionBand)}` : done;
}
