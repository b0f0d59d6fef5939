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
  upsert<K extends Exclude<ListName, 'placements'>>(name: K, row: T[K][number], seq: number) {
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

/** Where each table's rows are kept in a view's copy of a session: one line a table. */
const LISTS = {
  organization: 'organizations',
  grid: 'grids',
  placement: 'placements',
  commitment: 'commitments',
  participant: 'participants',
  review: 'reviews',
  relationship: 'relationships',
  round: 'rounds',
} as const satisfies Record<Exclude<WrittenRow['table'], 'session'>, ListName>;

/** Whether two placements are the same card's place on the same grid (their key). */
function samePlace(a: Placement, b: { gridId: string; organizationId: string }) {
  return a.gridId === b.gridId && a.organizationId === b.organizationId;
}

function write<T extends SessionRows>(draft: Draft<T>, written: WrittenRow) {
  if (written.table === 'session') {
    draft.rows.session = written.row;
  } else if (written.table === 'placement') {
    const placements = draft.list('placements');
    const at = placements.findIndex((q) => samePlace(q, written.row));
    if (at >= 0) placements[at] = written.row;
    else placements.push(written.row);
  } else {
    // A row without a place of its own (a round) goes after the others.
    const seq = 'seq' in written ? written.seq : Number.MAX_SAFE_INTEGER;
    draft.upsert(LISTS[written.table], written.row as never, seq);
  }
}

function remove<T extends SessionRows>(draft: Draft<T>, key: RowKey) {
  if (key.table === 'session') return;
  if (key.table === 'placement') {
    draft.drop('placements', (p) => samePlace(p, key));
    return;
  }
  draft.drop(LISTS[key.table], (row: { id: string }) => row.id === key.id);
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
