// The window's state, in one place: the session list, the open session, the grid shown, the
// selected card and the notice on screen. Components read it and call its methods; the
// methods call the backend through api.ts and keep the state in step with what was saved.
import { api, ApiError, toApiError } from './api';
import type { CommitmentFields } from './generated/CommitmentFields';
import type { GridKind } from './generated/GridKind';
import type { GridLabels } from './generated/GridLabels';
import type { Organization } from './generated/Organization';
import type { OrganizationFields } from './generated/OrganizationFields';
import type { ParticipantFields } from './generated/ParticipantFields';
import type { Placement } from './generated/Placement';
import type { SessionData } from './generated/SessionData';
import type { SessionFields } from './generated/SessionFields';
import type { SessionListing } from './generated/SessionListing';
import type { GridPoint } from './lib/geometry';

export interface Notice {
  kind: 'error' | 'info';
  text: string;
  /** A button beside the message, such as Undo after a deletion. */
  action?: { label: string; run: () => Promise<void> };
}

/** Codes after which the open session is reloaded: something changed under the window. */
const STALE: ReadonlyArray<ApiError['code']> = ['not_found'];

class Workshop {
  /** Every session, most recent first. */
  sessions = $state<SessionListing[]>([]);
  /** Sessions deleted in the last 30 days, which can still be restored. */
  deletedSessions = $state<SessionListing[]>([]);
  /** Whether the session list has been read at least once. */
  loaded = $state(false);
  /** The open session, or null on the session list. */
  data = $state<SessionData | null>(null);
  /** The grid shown in the open session. */
  gridId = $state<string | null>(null);
  /** The selected cards (shift-click or lasso adds); one selected card shows its details. */
  selection = $state<string[]>([]);
  /** Who is moving cards now: a participant's name, or '' for the facilitator. */
  movingAs = $state('');
  /** The card a search found, highlighted for a moment. */
  highlightId = $state<string | null>(null);
  /** How much the grid is magnified: 1 fits the window. */
  zoom = $state(1);
  /** Projector mode: editing chrome hidden, large type, high contrast. */
  projector = $state(false);
  /** The colour theme. */
  theme = $state<'light' | 'dark'>(
    typeof localStorage !== 'undefined' && localStorage.getItem('powermap.theme') === 'dark' ? 'dark' : 'light',
  );
  /** Whether the keyboard-shortcuts overlay is shown. */
  helpOpen = $state(false);
  /** Whether the new-session form is open (Ctrl+N asks for it from anywhere). */
  creating = $state(false);
  /** Whether the printable summary is shown (and whether to print it as soon as it is). */
  summaryOpen = $state(false);
  printOnOpen = $state(false);
  /** Whether the export dialog is open. */
  exportOpen = $state(false);
  /** A message for the person, shown until dismissed or replaced. */
  notice = $state<Notice | null>(null);
  /** Why the database could not be opened; the window shows only this. */
  fatal = $state<ApiError | null>(null);
  /** Where the data lives. */
  databasePath = $state('');

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

  /** Open commitments per organization id. */
  get openCommitments(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const c of this.data?.commitments ?? []) {
      if (c.status === 'open' && c.organizationId) counts.set(c.organizationId, (counts.get(c.organizationId) ?? 0) + 1);
    }
    return counts;
  }

  /** The placements on the grid shown, by organization id. */
  get placementsHere(): Map<string, Placement> {
    const here = new Map<string, Placement>();
    for (const p of this.data?.placements ?? []) {
      if (p.gridId === this.gridId) here.set(p.organizationId, p);
    }
    return here;
  }

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

  async start() {
    try {
      const info = await api.databaseInfo();
      this.databasePath = info.path;
      await this.refreshSessions();
    } catch (thrown) {
      this.report(thrown);
    }
  }

  async refreshSessions() {
    [this.sessions, this.deletedSessions] = await Promise.all([api.listSessions(), api.deletedSessions()]);
    this.loaded = true;
  }

  async openSession(id: string) {
    const data = await api.loadSession(id);
    this.data = data;
    this.gridId = data.grids[0]?.id ?? null;
    this.selectedId = null;
  }

  async reload() {
    if (!this.data) return;
    try {
      const data = await api.loadSession(this.data.session.id);
      this.data = data;
      if (!data.grids.some((g) => g.id === this.gridId)) this.gridId = data.grids[0]?.id ?? null;
      this.selection = this.selection.filter((id) => data.organizations.some((o) => o.id === id));
    } catch (thrown) {
      this.data = null;
      this.notice = { kind: 'error', text: toApiError(thrown).message };
      await this.refreshSessions().catch(() => undefined);
    }
  }

  async closeSession() {
    this.data = null;
    this.gridId = null;
    this.selectedId = null;
    this.projector = false;
    await this.refreshSessions();
  }

  /** Reads again what undo and redo would do (after a change). */
  async refreshHistory() {
    const data = this.data;
    if (!data) return;
    try {
      data.history = await api.historyState(data.session.id);
    } catch {
      // The buttons keep their last state; the next change or undo tries again.
    }
  }

  /** Undoes the newest change of the open session and shows what it was. */
  async undo() {
    if (!this.data?.history.undo) return;
    try {
      const step = await api.undo(this.data.session.id);
      await this.reload();
      this.inform(`Undone: ${step.label}`);
    } catch (thrown) {
      this.report(thrown);
    }
  }

  async redo() {
    if (!this.data?.history.redo) return;
    try {
      const step = await api.redo(this.data.session.id);
      await this.reload();
      this.inform(`Redone: ${step.label}`);
    } catch (thrown) {
      this.report(thrown);
    }
  }

  setTheme(theme: 'light' | 'dark') {
    this.theme = theme;
    localStorage.setItem('powermap.theme', theme);
  }

  // Sessions ---------------------------------------------------------------------------

  async createSession(fields: SessionFields) {
    const session = await api.createSession(fields);
    await this.openSession(session.id);
  }

  async updateSession(fields: SessionFields) {
    if (!this.data) return;
    this.data.session = await api.updateSession(this.data.session.id, fields);
    void this.refreshHistory();
  }

  async renameSession(id: string, title: string) {
    await api.renameSession(id, title);
    await this.refreshSessions();
  }

  async duplicateSession(id: string) {
    const copy = await api.duplicateSession(id);
    await this.refreshSessions();
    this.inform(`Made a copy: “${copy.title}”.`);
  }

  /**
   * Deletes a session: it moves to "recently deleted" (kept 30 days, also across restarts);
   * the notice that follows offers Undo.
   */
  async deleteSession(id: string) {
    const deleted = await api.deleteSession(id);
    await this.refreshSessions();
    this.notice = {
      kind: 'info',
      text: `Deleted “${deleted.title}”. It stays in Recently deleted for 30 days.`,
      action: { label: 'Undo', run: () => this.restoreSession(id) },
    };
  }

  /** Brings a deleted session back into the list. */
  async restoreSession(id: string) {
    const restored = await api.restoreSession(id);
    await this.refreshSessions();
    this.inform(`Restored “${restored.title}”.`);
  }

  async openSample() {
    const id = await api.createSampleSession();
    await this.openSession(id);
  }

  // Organizations ----------------------------------------------------------------------

  async addOrganization(fields: OrganizationFields) {
    if (!this.data) return;
    const organization = await api.addOrganization(this.data.session.id, fields);
    this.data.organizations.push(organization);
    this.selectedId = organization.id;
    void this.refreshHistory();
    return organization;
  }

  async addOrganizationsFromList(names: string) {
    if (!this.data) return [];
    const added = await api.addOrganizationsFromList(this.data.session.id, names);
    this.data.organizations.push(...added);
    void this.refreshHistory();
    return added;
  }

  async updateOrganization(id: string, fields: OrganizationFields) {
    if (!this.data) return;
    const updated = await api.updateOrganization(id, fields);
    const index = this.data.organizations.findIndex((o) => o.id === id);
    if (index >= 0) this.data.organizations[index] = updated;
    void this.refreshHistory();
  }

  async removeOrganization(id: string) {
    if (!this.data) return;
    await api.removeOrganization(id);
    this.data.organizations = this.data.organizations.filter((o) => o.id !== id);
    this.data.placements = this.data.placements.filter((p) => p.organizationId !== id);
    this.data.commitments = this.data.commitments.filter(
      (c) => c.organizationId !== id || c.person !== '',
    );
    this.selection = this.selection.filter((s) => s !== id);
    void this.refreshHistory();
  }

  // Grids ------------------------------------------------------------------------------

  async addGrid(kind: GridKind, title: string) {
    if (!this.data) return;
    const grid = await api.addGrid(this.data.session.id, kind, title);
    this.data.grids.push(grid);
    this.gridId = grid.id;
    void this.refreshHistory();
  }

  async updateGrid(id: string, title: string, labels: GridLabels) {
    if (!this.data) return;
    const updated = await api.updateGrid(id, title, labels);
    const index = this.data.grids.findIndex((g) => g.id === id);
    if (index >= 0) this.data.grids[index] = updated;
    void this.refreshHistory();
  }

  async removeGrid(id: string) {
    if (!this.data) return;
    await api.removeGrid(id);
    this.data.grids = this.data.grids.filter((g) => g.id !== id);
    this.data.placements = this.data.placements.filter((p) => p.gridId !== id);
    if (this.gridId === id) this.gridId = this.data.grids[0]?.id ?? null;
    void this.refreshHistory();
  }

  // Cards ------------------------------------------------------------------------------

  /**
   * Puts the card on the grid shown at `point`, showing it there at once and storing it;
   * if storing fails, the card goes back where it was and the reason is shown.
   */
  async placeCard(organizationId: string, point: GridPoint) {
    const data = this.data;
    const gridId = this.gridId;
    if (!data || !gridId) return;
    const index = data.placements.findIndex(
      (p) => p.gridId === gridId && p.organizationId === organizationId,
    );
    const previous = index >= 0 ? { ...data.placements[index] } : null;
    const shown: Placement = {
      gridId,
      organizationId,
      x: point.x,
      y: point.y,
      movedBy: this.movingAs,
      movedAt: Date.now(),
    };
    if (index >= 0) data.placements[index] = shown;
    else data.placements.push(shown);
    try {
      const saved = await api.placeCard(gridId, organizationId, point.x, point.y, this.movingAs);
      const at = data.placements.findIndex(
        (p) => p.gridId === gridId && p.organizationId === organizationId,
      );
      if (at >= 0) data.placements[at] = saved;
      void this.refreshHistory();
    } catch (thrown) {
      const at = data.placements.findIndex(
        (p) => p.gridId === gridId && p.organizationId === organizationId,
      );
      if (previous && at >= 0) data.placements[at] = previous;
      else if (at >= 0) data.placements.splice(at, 1);
      this.report(thrown);
    }
  }

  /** Sends the card on the grid shown back to its tray (at once, then stored). */
  async returnToTray(organizationId: string) {
    const data = this.data;
    const gridId = this.gridId;
    if (!data || !gridId) return;
    const index = data.placements.findIndex(
      (p) => p.gridId === gridId && p.organizationId === organizationId,
    );
    if (index < 0) return;
    const [removed] = data.placements.splice(index, 1);
    try {
      await api.returnCardToTray(gridId, organizationId);
      void this.refreshHistory();
    } catch (thrown) {
      data.placements.push(removed);
      this.report(thrown);
    }
  }

  /**
   * Moves several cards of the grid shown together (one step to undo): shown at once,
   * stored as one change, put back if storing fails.
   */
  async placeCards(moves: { organizationId: string; x: number; y: number }[]) {
    const data = this.data;
    const gridId = this.gridId;
    if (!data || !gridId || moves.length === 0) return;
    const before = data.placements.map((p) => ({ ...p }));
    for (const move of moves) {
      const shown: Placement = { gridId, ...move, movedBy: this.movingAs, movedAt: Date.now() };
      const at = data.placements.findIndex((p) => p.gridId === gridId && p.organizationId === move.organizationId);
      if (at >= 0) data.placements[at] = shown;
      else data.placements.push(shown);
    }
    try {
      await api.placeCards(gridId, moves, this.movingAs);
      void this.refreshHistory();
    } catch (thrown) {
      data.placements = before;
      this.report(thrown);
    }
  }

  // Commitments and participants -------------------------------------------------------

  async addCommitment(fields: CommitmentFields) {
    if (!this.data) return;
    const made = await api.addCommitment(this.data.session.id, fields);
    this.data.commitments.push(made);
    void this.refreshHistory();
    return made;
  }

  async updateCommitment(id: string, fields: CommitmentFields) {
    if (!this.data) return;
    const updated = await api.updateCommitment(id, fields);
    const at = this.data.commitments.findIndex((c) => c.id === id);
    if (at >= 0) this.data.commitments[at] = updated;
    void this.refreshHistory();
  }

  async removeCommitment(id: string) {
    if (!this.data) return;
    await api.removeCommitment(id);
    this.data.commitments = this.data.commitments.filter((c) => c.id !== id);
    void this.refreshHistory();
  }

  async addParticipant(fields: ParticipantFields) {
    if (!this.data) return;
    const added = await api.addParticipant(this.data.session.id, fields);
    this.data.participants.push(added);
    void this.refreshHistory();
    return added;
  }

  async removeParticipant(id: string) {
    if (!this.data) return;
    const gone = this.data.participants.find((p) => p.id === id);
    await api.removeParticipant(id);
    this.data.participants = this.data.participants.filter((p) => p.id !== id);
    if (gone && this.movingAs === gone.name) this.movingAs = '';
    void this.refreshHistory();
  }
}

/** The one state of the window. */
export const workshop = new Workshop();
