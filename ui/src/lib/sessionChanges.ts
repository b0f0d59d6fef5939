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

/** The lists of rows a change can touch. */
type ListName = 'organizations' | 'grids' | 'commitments' | 'participants' | 'reviews' | 'relationships' | 'rounds' | 'placements';

/**
 * The next copy of a session's rows, made as a change is applied: the lists and the order
 * it touches are copied once, before their first change; every other list, and every row
 * not rewritten, stays the very same object. So a view holding the rows as plain
 * (not deeply reactive) state sees what changed by identity, and the copy it held before
 * is never changed under it.
 */
class Draft<T extends SessionRows> {
  readonly rows: T;
  private readonly copied = new Set<ListName>();
  private orderCopied = false;

  constructor(rows: T) {
    this.rows = { ...rows };
  }

  /** The list `name`, copied before its first change. */
  list<K extends ListName>(name: K): T[K] {
    if (!this.copied.has(name)) {
      this.copied.add(name);
      this.rows[name] = [...this.rows[name]] as T[K];
    }
    return this.rows[name];
  }

  /** The rows' places, copied before their first change. */
  order(): Record<string, number> {
    if (!this.orderCopied) {
      this.orderCopied = true;
      this.rows.order = { ...this.rows.order };
    }
    return this.rows.order;
  }

  /** Puts `row` in the list `name` in place order: before the first row with a later place. */
  upsert<K extends Exclude<ListName, 'rounds' | 'placements'>>(name: K, row: T[K][number], seq: number) {
    const list = this.list(name) as { id: string }[];
    const order = this.order();
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

  /** Takes the rows for which `gone` holds out of the list `name`. */
  drop<K extends ListName>(name: K, gone: (row: T[K][number]) => boolean) {
    const list = this.list(name) as T[K][number][];
    const kept = list.filter((row) => !gone(row));
    list.length = 0;
    list.push(...kept);
  }
}

function write<T extends SessionRows>(draft: Draft<T>, written: WrittenRow) {
  switch (written.table) {
    case 'session':
      draft.rows.session = written.row;
      break;
    case 'organization':
      draft.upsert('organizations', written.row, written.seq);
      break;
    case 'grid':
      draft.upsert('grids', written.row, written.seq);
      break;
    case 'commitment':
      draft.upsert('commitments', written.row, written.seq);
      break;
    case 'participant':
      draft.upsert('participants', written.row, written.seq);
      break;
    case 'review':
      draft.upsert('reviews', written.row, written.seq);
      break;
    case 'relationship':
      draft.upsert('relationships', written.row, written.seq);
      break;
    case 'round': {
      const rounds = draft.list('rounds');
      const at = rounds.findIndex((r) => r.id === written.row.id);
      if (at >= 0) rounds[at] = written.row;
      else rounds.push(written.row);
      break;
    }
    case 'placement': {
      const p = written.row;
      const placements = draft.list('placements');
      const at = placements.findIndex((q) => q.gridId === p.gridId && q.organizationId === p.organizationId);
      if (at >= 0) placements[at] = p;
      else placements.push(p);
      break;
    }
  }
}

function remove<T extends SessionRows>(draft: Draft<T>, key: RowKey) {
  switch (key.table) {
    case 'session':
      return;
    case 'organization':
      draft.drop('organizations', (o) => o.id === key.id);
      break;
    case 'grid':
      draft.drop('grids', (g) => g.id === key.id);
      break;
    case 'commitment':
      draft.drop('commitments', (c) => c.id === key.id);
      break;
    case 'participant':
      draft.drop('participants', (p) => p.id === key.id);
      break;
    case 'review':
      draft.drop('reviews', (r) => r.id === key.id);
      break;
    case 'relationship':
      draft.drop('relationships', (r) => r.id === key.id);
      break;
    case 'round':
      draft.drop('rounds', (r) => r.id === key.id);
      break;
    case 'placement':
      draft.drop('placements', (p) => p.gridId === key.gridId && p.organizationId === key.organizationId);
      return;
  }
  delete draft.order()[key.id];
}

/** `data` with `change`'s rows applied (it must `fit` as 'apply'); `data` itself is left as it was. */
export function applyRows<T extends SessionRows>(data: T, change: SessionChange): T {
  const draft = new Draft(data);
  for (const key of change.removed) remove(draft, key);
  for (const row of change.written) write(draft, row);
  draft.rows.revision = change.revision;
  return draft.rows;
}

/** The window's `data` with `change` applied (it must `fit` as 'apply'); `data` itself is left as it was. */
export function applyChange(data: SessionData, change: SessionChange): SessionData {
  const next = applyRows(data, change);
  next.history = change.history;
  return next;
}
