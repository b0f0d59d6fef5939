// The open session: its data, the grid shown, the selected cards, and the writes to it; the
// notice on screen; what the window learns once at the start (the core's facts, where the
// data lives). Components read it and call its methods; the methods call the backend
// through api.ts. The open session changes only by the backend's changes (`receive`), from
// this window's calls and from everyone else's alike.
import { tick } from 'svelte';

import { api, ApiError, toApiError } from '../api';
import type { Changed } from '../generated/Changed';
import type { Facts } from '../generated/Facts';
import type { CommitmentFields } from '../generated/CommitmentFields';
import type { GridKind } from '../generated/GridKind';
import type { GridLabels } from '../generated/GridLabels';
import type { Organization } from '../generated/Organization';
import type { OrganizationFields } from '../generated/OrganizationFields';
import type { ParticipantFields } from '../generated/ParticipantFields';
import type { Placement } from '../generated/Placement';
import type { RelationshipFields } from '../generated/RelationshipFields';
import type { ReviewFields } from '../generated/ReviewFields';
import type { SessionData } from '../generated/SessionData';
import type { SessionFields } from '../generated/SessionFields';
import type { SessionChange } from '../generated/SessionChange';
import type { SyncReport } from '../generated/SyncReport';
import { announceChange, describeStep } from '../lib/changeLabels';
import { t } from '../lib/i18n.svelte';
import { markDrawn, SESSION_BUILT, SESSION_READ, SESSION_SHOWN } from '../lib/marks';
import { applyChange, fit } from '../lib/sessionChanges';
// The session list and the open session lean on each other: closing a session, or failing
// to read it, shows the list read anew; the list, read anew, closes a session that left it.
import { sessions } from './sessions.svelte';
import { view } from './view.svelte';

export interface Notice {
  /** Information fades; a warning (done, but something to know) and an error stay. */
  kind: 'error' | 'warning' | 'info';
  text: string;
  /** A button beside the message, such as Undo after a deletion. */
  action?: { label: string; run: () => Promise<void> };
}

/** Codes after which the open session is reloaded: something changed under the window. */
const STALE: ReadonlyArray<ApiError['code']> = ['not_found'];

class Workshop {
  /** The open session, or null on the session list. Plain state, not deeply reactive: a
   * change makes a new copy (lib/sessionChanges.ts), in which every row it did not touch is
   * the same object as before, so what reads a row is told of a change only to its list. */
  data = $state.raw<SessionData | null>(null);
  /** The grid shown in the open session. */
  gridId = $state<string | null>(null);
  /** The selected cards (shift-click or lasso adds); one selected card shows its details. */
  selection = $state<string[]>([]);
  /** Who is moving cards now: a participant's name, or '' for the facilitator. */
  movingAs = $state('');
  /** A message for the person, shown until dismissed or replaced. */
  notice = $state<Notice | null>(null);
  /** The last change to the open session in words, for screen readers (a live region). */
  announcement = $state('');
  /** Why the database could not be opened; the window shows only this. */
  fatal = $state<ApiError | null>(null);
  /** Where the data lives. */
  databasePath = $state('');
  /** The core's rules the window draws or offers (decision band, export formats). */
  facts = $state<Facts | null>(null);

  get grid() {
    return this.data?.grids.find((g) => g.id === this.gridId) ?? null;
  }

  /** The one selected card, whose details are shown (null when none or several). */
  get selectedId(): string | null {
    return this.selection.length === 1 ? this.selection[0] : null;
  }

  set selectedId(id: string | null) {
    this.selection = id ? [id] : [];
  }

  get selected(): Organization | null {
    return this.data?.organizations.find((o) => o.id === this.selectedId) ?? null;
  }

  /** Adds a card to the selection, or takes it out (shift-click). */
  toggleSelected(id: string) {
    this.selection = this.selection.includes(id)
      ? this.selection.filter((s) => s !== id)
      : [...this.selection, id];
  }

  /** Open commitments per organization id (worked out once per change, not per card). */
  readonly openCommitments: Map<string, number> = $derived.by(() => {
    const counts = new Map<string, number>();
    for (const c of this.data?.commitments ?? []) {
      if (c.status === 'open' && c.organizationId) counts.set(c.organizationId, (counts.get(c.organizationId) ?? 0) + 1);
    }
    return counts;
  });

  /** In a follow-up, where each card stood at the end of last time on the grid shown. */
  readonly lastTimeHere: Map<string, Placement> = $derived.by(() => {
    const here = new Map<string, Placement>();
    for (const p of this.data?.lastTime?.placements ?? []) {
      if (p.gridId === this.gridId) here.set(p.organizationId, p);
    }
    return here;
  });

  /** Shows `thrown` to the person; reloads the session if it went stale. */
  report(thrown: unknown) {
    const error = toApiError(thrown);
    if (error.code === 'not_a_database' || error.code === 'newer_database') {
      this.fatal = error;
      return;
    }
    this.notice = { kind: 'error', text: error.message };
    if (STALE.includes(error.code) && this.data) void this.reload();
  }

  inform(text: string) {
    this.notice = { kind: 'info', text };
  }

  /** After an undo or redo in a shared campaign that left fields as another laptop set them
   * since: says so, and stays until read. */
  private keptElsewhere(change: SessionChange) {
    if (change.keptElsewhere) this.warn(t('window.state.kept-elsewhere', { count: change.keptElsewhere }));
  }

  /** After the window synced its shared campaigns: a folder out of reach, or files in it
   * that were skipped, said once each (what came in arrives as changes). */
  synced(reports: SyncReport[]) {
    const failed = reports.find((r) => r.failed);
    const skipped = reports.flatMap((r) => r.skipped);
    const back = reports.find((r) => r.recovered);
    if (failed?.failed) {
      this.warn(t('window.sync.failed', { title: failed.title, reason: failed.failed }));
      this.syncFailure = this.notice?.text ?? null;
    } else if (skipped.length > 0) {
      this.warn(t('window.sync.skipped', { files: skipped.join('; ') }));
    } else if (back && this.notice !== null && this.notice.text === this.syncFailure) {
      // The warning that the folder was out of reach no longer holds.
      this.inform(t('window.sync.back', { title: back.title }));
    }
  }

  /** The warning last shown that a shared folder could not be synced. */
  private syncFailure: string | null = null;

  /** Something done with a caveat the facilitator must read: it stays until dismissed. */
  warn(text: string) {
    this.notice = { kind: 'warning', text };
  }

  async start() {
    try {
      // Asked together: each answer is a round trip, and the session list waits for all.
      const [facts, info] = await Promise.all([api.facts(), api.databaseInfo(), sessions.refresh()]);
      this.facts = facts;
      this.databasePath = info.path;
    } catch (thrown) {
      this.report(thrown);
    }
  }

  async openSession(id: string) {
    const data = await api.loadSession(id);
    performance.mark(SESSION_READ);
    this.data = data;
    this.gridId = data.grids[0]?.id ?? null;
    this.selectedId = null;
    void tick().then(() => {
      performance.mark(SESSION_BUILT);
      markDrawn(SESSION_SHOWN);
    });
  }

  /** Reads the open session anew (after a missed change, or an error saying it changed). */
  async reload() {
    if (!this.data) return;
    try {
      const data = await api.loadSession(this.data.session.id);
      // Changes applied while it was read are newer than what was read.
      if (this.data && data.session.id === this.data.session.id && data.revision < this.data.revision) return;
      this.data = data;
      this.tidy();
    } catch (thrown) {
      this.data = null;
      this.notice = { kind: 'error', text: toApiError(thrown).message };
      await sessions.refresh().catch(() => undefined);
    }
  }

  async closeSession() {
    this.data = null;
    this.gridId = null;
    this.selectedId = null;
    view.projector = false;
    await sessions.refresh();
  }

  /**
   * Takes in a change to a session, from this window's own calls or from the event every
   * window receives (another window, the room, the command line): applied once, in revision
   * order; a gap means a change was missed, and the missed ones are read from the change log.
   * On the session list, a change to any session reorders it.
   */
  receive(change: SessionChange) {
    const data = this.data;
    if (!data) {
      void sessions.changed();
      return;
    }
    if (change.sessionId !== data.session.id) return;
    switch (fit(data, change)) {
      case 'seen':
        return;
      case 'missed':
        void this.catchUp();
        return;
      case 'apply':
        this.data = applyChange(data, change);
        this.tidy();
        this.announcement = announceChange(change, data.grids, this.facts?.decisionBand ?? 1);
    }
  }

  /** Applies the open session's changes since this window's revision from the change log
   * (or reads it anew if they are no longer kept). */
  private async catchUp() {
    const data = this.data;
    if (!data) return;
    try {
      const changes = await api.changesSince(data.session.id, data.revision);
      if (changes === null) await this.reload();
      else for (const change of changes) this.receive(change);
    } catch (thrown) {
      this.report(thrown);
    }
  }

  /** Applies the change a call of this window made, and gives back the call's value. */
  applied<T>(changed: Changed<T>): T {
    this.receive(changed.change);
    return changed.value;
  }

  /** Keeps what the window points at (grid shown, selection, who moves cards) among what exists. */
  private tidy() {
    const data = this.data;
    if (!data) return;
    if (!data.grids.some((g) => g.id === this.gridId)) this.gridId = data.grids[0]?.id ?? null;
    if (this.selection.some((id) => !data.organizations.some((o) => o.id === id))) {
      this.selection = this.selection.filter((id) => data.organizations.some((o) => o.id === id));
    }
    if (this.movingAs && !data.participants.some((p) => p.name === this.movingAs)) this.movingAs = '';
  }

  /** Undoes the newest change of the open session, whoever made it, and says what it was. */
  async undo() {
    if (!this.data?.history.undo) return;
    try {
      const change = await api.undo(this.data.session.id);
      this.receive(change);
      this.inform(t('window.state.undone', { step: describeStep({ label: change.label, actor: change.author, at: change.at }) }));
      this.keptElsewhere(change);
    } catch (thrown) {
      this.report(thrown);
    }
  }

  async redo() {
    if (!this.data?.history.redo) return;
    try {
      const change = await api.redo(this.data.session.id);
      this.receive(change);
      this.inform(t('window.state.redone', { step: describeStep({ label: change.label, actor: change.author, at: change.at }) }));
      this.keptElsewhere(change);
    } catch (thrown) {
      this.report(thrown);
    }
  }

  // The session ------------------------------------------------------------------------

  async updateSession(fields: SessionFields) {
    if (!this.data) return;
    this.applied(await api.updateSession(this.data.session.id, fields));
  }

  // Organizations ----------------------------------------------------------------------

  async addOrganization(fields: OrganizationFields) {
    if (!this.data) return;
    const organization = this.applied(await api.addOrganization(this.data.session.id, fields));
    this.selectedId = organization.id;
    return organization;
  }

  async addOrganizationsFromList(names: string) {
    if (!this.data) return [];
    return this.applied(await api.addOrganizationsFromList(this.data.session.id, names));
  }

  async importOrganizationsCsv(path: string) {
    if (!this.data) return [];
    return this.applied(await api.importOrganizationsCsv(this.data.session.id, path));
  }

  async updateOrganization(id: string, fields: OrganizationFields) {
    this.applied(await api.updateOrganization(id, fields));
  }

  async removeOrganization(id: string) {
    this.applied(await api.removeOrganization(id));
  }

  // Grids ------------------------------------------------------------------------------

  async addGrid(kind: GridKind, title: string) {
    if (!this.data) return;
    const grid = this.applied(await api.addGrid(this.data.session.id, kind, title));
    this.gridId = grid.id;
  }

  async updateGrid(id: string, title: string, labels: GridLabels) {
    this.applied(await api.updateGrid(id, title, labels));
  }

  async removeGrid(id: string) {
    this.applied(await api.removeGrid(id));
  }

  // Commitments and their reviews ------------------------------------------------------

  async addCommitment(fields: CommitmentFields) {
    if (!this.data) return;
    return this.applied(await api.addCommitment(this.data.session.id, fields));
  }

  async updateCommitment(id: string, fields: CommitmentFields) {
    this.applied(await api.updateCommitment(id, fields));
  }

  async removeCommitment(id: string) {
    this.applied(await api.removeCommitment(id));
  }

  async reviewCommitment(id: string, fields: ReviewFields) {
    this.applied(await api.reviewCommitment(id, fields));
  }

  // Relationships ----------------------------------------------------------------------

  async addRelationship(fields: RelationshipFields) {
    if (!this.data) return;
    return this.applied(await api.addRelationship(this.data.session.id, fields));
  }

  async updateRelationship(id: string, fields: RelationshipFields) {
    this.applied(await api.updateRelationship(id, fields));
  }

  async removeRelationship(id: string) {
    this.applied(await api.removeRelationship(id));
  }

  // Participants -----------------------------------------------------------------------

  async addParticipant(fields: ParticipantFields) {
    if (!this.data) return;
    return this.applied(await api.addParticipant(this.data.session.id, fields));
  }

  async removeParticipant(id: string) {
    this.applied(await api.removeParticipant(id));
  }
}

/** The open session, and the notice on screen. */
export const workshop = new Workshop();
