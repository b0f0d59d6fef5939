// Applies the backend's changes to a view's copy of a session (the window's, and the
// participants' page's). The backend says what it wrote and removed (cascades included);
// this module only files the rows where they belong, so no rule of the backend is repeated
// here.
import type { Commitment } from '../generated/Commitment';
import type { Grid } from '../generated/Grid';
import type { Organization } from '../generated/Organization';
import type { Participant } from '../generated/Participant';
import type { Placement } from '../generated/Placement';
import type { Relationship } from '../generated/Relationship';
import type { Review } from '../generated/Review';
import type { Round } from '../generated/Round';
import type { RowKey } from '../generated/RowKey';
import type { Session } from '../generated/Session';
import type { SessionChange } from '../generated/SessionChange';
import type { SessionData } from '../generated/SessionData';
import type { WrittenRow } from '../generated/WrittenRow';

/** The rows of a session a view holds, at a revision; `order` is each row's place. */
export interface SessionRows {
  session: Session;
  organizations: Organization[];
  grids: Grid[];
  placements: Placement[];
  commitments: Commitment[];
  participants: Participant[];
  reviews: Review[];
  relationships: Relationship[];
  rounds: Round[];
  order: Record<string, number>;
  revision: number;
}

/** What to do with a change: apply it, skip it (already applied), or reload (one was missed). */
export type ChangeFit = 'apply' | 'seen' | 'missed';

/** Whether `change` is the next one for `data`, one already applied, or one after a gap. */
export function fit(data: { revision: number }, change: SessionChange): ChangeFit {
  if (change.revision <= data.revision) return 'seen';
  return change.revision === data.revision + 1 ? 'apply' : 'missed';
}

/** A list's rows in place order: a row is put before the first row with a later place. */
function upsert<T extends { id: string }>(list: T[], row: T, seq: number, order: Record<string, number>) {
  order[row.id] = seq;
  const at = list.findIndex((r) => r.id === row.id);
  if (at >= 0) {
    list[at] = row;
    return;
  }
  const later = list.findIndex((r) => (order[r.id] ?? Number.MAX_SAFE_INTEGER) > seq);
  if (later < 0) list.push(row);
  else list.splice(later, 0, row);
}

function write(data: SessionRows, written: WrittenRow) {
  switch (written.table) {
    case 'session':
      data.session = written.row;
      break;
    case 'organization':
      upsert(data.organizations, written.row, written.seq, data.order);
      break;
    case 'grid':
      upsert(data.grids, written.row, written.seq, data.order);
      break;
    case 'commitment':
      upsert(data.commitments, written.row, written.seq, data.order);
      break;
    case 'participant':
      upsert(data.participants, written.row, written.seq, data.order);
      break;
    case 'review':
      upsert(data.reviews, written.row, written.seq, data.order);
      break;
    case 'relationship':
      upsert(data.relationships, written.row, written.seq, data.order);
      break;
    case 'round': {
      const at = data.rounds.findIndex((r) => r.id === written.row.id);
      if (at >= 0) data.rounds[at] = written.row;
      else data.rounds.push(written.row);
      break;
    }
    case 'placement': {
      const p = written.row;
      const at = data.placements.findIndex((q) => q.gridId === p.gridId && q.organizationId === p.organizationId);
      if (at >= 0) data.placements[at] = p;
      else data.placements.push(p);
      break;
    }
  }
}

function remove(data: SessionRows, key: RowKey) {
  switch (key.table) {
    case 'session':
      break;
    case 'organization':
      data.organizations = data.organizations.filter((o) => o.id !== key.id);
      break;
    case 'grid':
      data.grids = data.grids.filter((g) => g.id !== key.id);
      break;
    case 'commitment':
      data.commitments = data.commitments.filter((c) => c.id !== key.id);
      break;
    case 'participant':
      data.participants = data.participants.filter((p) => p.id !== key.id);
      break;
    case 'review':
      data.reviews = data.reviews.filter((r) => r.id !== key.id);
      break;
    case 'relationship':
      data.relationships = data.relationships.filter((r) => r.id !== key.id);
      break;
    case 'round':
      data.rounds = data.rounds.filter((r) => r.id !== key.id);
      break;
    case 'placement':
      data.placements = data.placements.filter(
        (p) => !(p.gridId === key.gridId && p.organizationId === key.organizationId),
      );
      break;
  }
  if (key.table !== 'placement') delete data.order[key.id];
}

/** Applies `change`'s rows (it must `fit` as 'apply') to `data` in place. */
export function applyRows(data: SessionRows, change: SessionChange) {
  for (const key of change.removed) remove(data, key);
  for (const row of change.written) write(data, row);
  data.revision = change.revision;
}

/** Applies `change` (which must `fit` as 'apply') to the window's `data` in place. */
export function applyChange(data: SessionData, change: SessionChange) {
  applyRows(data, change);
  data.history = change.history;
}
