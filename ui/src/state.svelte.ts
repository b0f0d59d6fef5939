// The window's state, in one place: the session list, the open session, the grid shown, the
// selected card and the notice on screen. Components read it and call its methods; the
// methods call the backend through api.ts. The open session changes only by the backend's
// changes (`receive`), from this window's calls and from everyone else's alike.
import { tick } from 'svelte';
import { SvelteMap } from 'svelte/reactivity';

import { api, ApiError, toApiError } from './api';
import type { Changed } from './generated/Changed';
import type { Facts } from './generated/Facts';
import type { Round } from './generated/Round';
import type { RoundFields } from './generated/RoundFields';
import type { RoundProgress } from './generated/RoundProgress';
import type { RoundResults } from './generated/RoundResults';
import type { FollowUpFields } from './generated/FollowUpFields';
import type { CommitmentFields } from './generated/CommitmentFields';
import type { GridKind } from './generated/GridKind';
import type { GridLabels } from './generated/GridLabels';
import type { Organization } from './generated/Organization';
import type { OrganizationFields } from './generated/OrganizationFields';
import type { ParticipantFields } from './generated/ParticipantFields';
import type { Placement } from './generated/Placement';
import type { RelationshipFields } from './generated/RelationshipFields';
import type { ReviewFields } from './generated/ReviewFields';
import type { RoomInfo } from './generated/RoomInfo';
import type { SessionData } from './generated/SessionData';
import type { SessionFields } from './generated/SessionFields';
import type { SessionChange } from './generated/SessionChange';
import type { SessionListing } from './generated/SessionListing';
import type { Theme } from './generated/Theme';
import { announceChange, describeStep } from './lib/changeLabels';
import { t } from './lib/i18n.svelte';
import type { GridPoint } from './lib/geometry';
import { markDrawn, SESSION_BUILT, SESSION_READ, SESSION_SHOWN } from './lib/marks';
import { applyChange, fit } from './lib/sessionChanges';

export interface Notice {
  /** Information fades; a warning (done, but something to know) and an error stay. */
  kind: 'error' | 'warning' | 'info';
  text: string;
  /** A button beside the message, such as Undo after a deletion. */
  action?: { label: string; run: () => Promise<void> };
}

/** Where earlier versions kept the theme: the window's web storage. */
const FORMER_THEME = 'powermap.theme';

/** Codes after which the open session is reloaded: something changed under the window. */
const STALE: ReadonlyArray<ApiError['code']> = ['not_found'];

class Workshop {
  /** Every session, most recent first. */
  sessions = $state<SessionListing[]>([]);
  /** Sessions deleted in the last 30 days, which can still be restored. */
  deletedSessions = $state<SessionListing[]>([]);
  /** Whether the session list has been read at least once. */
  loaded = $state(false);
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
  /** The card a search found, highlighted for a moment. */
  highlightId = $state<string | null>(null);
  /** How much the grid is magnified: 1 fits the window. */
  zoom = $state(1);
  /** Projector mode: editing chrome hidden, large type, high contrast. */
  projector = $state(false);
  /** The colour theme chosen (kept in the settings file, beside the language); null follows
   * the desktop's. */
  themeChoice = $state<Theme | null>(null);
  /** Whether the desktop prefers dark colours, as the web view reads it. */
  desktopDark = $state(false);
  /** The colour theme the window shows. */
  readonly theme: Theme = $derived(this.themeChoice ?? (this.desktopDark ? 'dark' : 'light'));
  /** In a follow-up: whether every card's place last time shows (faintly, with an arrow to
   * where it stands now). Cards still in the tray show theirs always. */
  showLastTime = $state(false);
  /** Which relationships the grid draws: none, the selected card's, or all. */
  showRelationships = $state<'none' | 'selected' | 'all'>('none');
  /** The open room (participants' devices may join), if any. */
  room = $state<RoomInfo | null>(null);
  /** While a private round takes answers: how many have answered (read again and again). */
  roundProgress = $state<RoundProgress | null>(null);
  /** A revealed round's answers, shown on its grid. */
  roundResults = $state<RoundResults | null>(null);
  /** The card of the revealed round the room is discussing (its answers are drawn). */
  roundFocus = $state<string | null>(null);
  /** Whether the keyboard-shortcuts overlay is shown. */
  helpOpen = $state(false);
  /** Whether Settings (language, theme) is open. */
  settingsOpen = $state(false);
  /** Whether the new-session form is open (Ctrl+N asks for it from anywhere). */
  creating = $state(false);
  /** The session whose follow-up is being started (the dialog is open), if any. */
  followingUp = $state<{ id: string; title: string } | null>(null);
  /** Whether the printable summary is shown. */
  summaryOpen = $state(false);
  /** Printing asked for (Ctrl+P, the menu): the summary prints once its page is in. */
  printAsked = $state(false);
  /** Whether the export dialog is open. */
  exportOpen = $state(false);
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

  /** The placements on the grid shown, by organization id: as stored, or as a move in
   * progress shows them. */
  readonly placementsHere: Map<string, Placement> = $derived.by(() => {
    const here = new Map<string, Placement>();
    for (const p of this.data?.placements ?? []) {
      if (p.gridId === this.gridId) here.set(p.organizationId, p);
    }
    for (const [key, { placement }] of this.pending) {
      const [gridId, organizationId] = key.split(' ');
      if (gridId !== this.gridId) continue;
      if (placement) here.set(organizationId, placement);
      else here.delete(organizationId);
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

  /** Something done with a caveat the facilitator must read: it stays until dismissed. */
  warn(text: string) {
    this.notice = { kind: 'warning', text };
  }

  async start() {
    try {
      // Asked together: each answer is a round trip, and the session list waits for all.
      const [facts, info] = await Promise.all([api.facts(), api.databaseInfo(), this.refreshSessions()]);
      this.facts = facts;
      this.databasePath = info.path;
    } catch (thrown) {
      this.report(thrown);
    }
  }

  async refreshSessions() {
    [this.sessions, this.deletedSessions] = await Promise.all([api.listSessions(), api.deletedSessions()]);
    this.loaded = true;
  }

  /** Whether the session list is being read, and whether it must be read once more after. */
  private listing: Promise<void> | null = null;
  private listAgain = false;

  /**
   * The list of sessions changed (created, renamed, deleted, restored — by this window or
   * any other program): it is read anew, once for a burst of changes. An open session that
   * left the list closes, saying why.
   */
  async sessionsChanged() {
    if (this.listing) {
      this.listAgain = true;
      return this.listing;
    }
    this.listing = (async () => {
      do {
        this.listAgain = false;
        try {
          await this.refreshSessions();
        } catch (thrown) {
          this.report(thrown);
          return;
        }
      } while (this.listAgain);
      const open = this.data?.session.id;
      if (open && !this.sessions.some((s) => s.id === open)) await this.reload();
    })().finally(() => (this.listing = null));
    return this.listing;
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

  /**
   * Takes in a change to a session, from this window's own calls or from the event every
   * window receives (another window, the room, the command line): applied once, in revision
   * order; a gap means a change was missed, and the missed ones are read from the change log.
   * On the session list, a change to any session reorders it.
   */
  receive(change: SessionChange) {
    const data = this.data;
    if (!data) {
      void this.sessionsChanged();
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
  private applied<T>(changed: Changed<T>): T {
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
    } catch (thrown) {
      this.report(thrown);
    }
  }

  /** Chooses the colour theme (null: the desktop's) at once, and keeps the choice for the next runs. */
  async setTheme(choice: Theme | null) {
    const was = this.themeChoice;
    this.themeChoice = choice;
    try {
      await api.chooseTheme(choice);
    } catch (thrown) {
      this.themeChoice = was;
      this.report(thrown);
    }
  }

  /**
   * The theme the window starts with: the one chosen in the settings file; else one an
   * earlier version kept in the window's web storage, moved into the file now; else the
   * desktop's, followed as it changes.
   */
  startTheme(chosen: Theme | null) {
    const desktop = matchMedia('(prefers-color-scheme: dark)');
    this.desktopDark = desktop.matches;
    desktop.addEventListener('change', (event) => (this.desktopDark = event.matches));
    const former = localStorage.getItem(FORMER_THEME);
    localStorage.removeItem(FORMER_THEME);
    if (chosen) this.themeChoice = chosen;
    else if (former === 'dark') void this.setTheme('dark');
  }

  // Sessions ---------------------------------------------------------------------------

  async createSession(fields: SessionFields) {
    const session = await api.createSession(fields);
    await this.openSession(session.id);
  }

  async updateSession(fields: SessionFields) {
    if (!this.data) return;
    this.applied(await api.updateSession(this.data.session.id, fields));
  }

  /** Renames a session on the list: shown at once; the list read anew follows, as every
   * window's does. */
  async renameSession(id: string, title: string) {
    const renamed = await api.renameSession(id, title);
    this.sessions = this.sessions.map((s) => (s.id === id ? { ...s, title: renamed.value.title } : s));
  }

  /** Imports a map made elsewhere (Powermap, Kumu, Oligrapher) as a new session and opens it. */
  async importMap(paths: string[]) {
    const id = await api.importMap(paths);
    await this.openSession(id);
    this.inform(t('window.state.imported', { title: this.data?.session.title ?? '' }));
  }

  /** Starts the next meeting of the session's campaign and opens it. */
  async startFollowUp(id: string, fields: FollowUpFields) {
    const next = await api.startFollowUp(id, fields);
    await this.openSession(next.id);
    const reviews = this.data?.reviews.length ?? 0;
    this.inform(
      reviews === 0
        ? t('window.state.started-none', { title: next.title })
        : t('window.state.started', { title: next.title, count: reviews }),
    );
  }

  async duplicateSession(id: string) {
    const copy = await api.duplicateSession(id);
    this.inform(t('window.state.copied', { title: copy.title }));
  }

  /**
   * Deletes a session: it moves to "recently deleted" (kept 30 days, also across restarts);
   * the notice that follows offers Undo.
   */
  async deleteSession(id: string) {
    const deleted = await api.deleteSession(id);
    this.notice = {
      kind: 'info',
      text: t('window.state.deleted', { title: deleted.title }),
      action: { label: t('window.common.undo'), run: () => this.restoreSession(id) },
    };
  }

  /** Brings a deleted session back into the list. */
  async restoreSession(id: string) {
    const restored = await api.restoreSession(id);
    this.inform(t('window.state.restored', { title: restored.title }));
  }

  async openSample() {
    const id = await api.createSampleSession();
    await this.openSession(id);
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

  // Cards ------------------------------------------------------------------------------

  /**
   * Shows cards where the person put them while their moves are stored (`null`: in the
   * tray), by grid and organization; the stored state comes back as a change. A newer move
   * of the same card replaces an older one's entry, which then stays until its own reply.
   */
  pending = new SvelteMap<string, { token: number; placement: Placement | null }>();
  private nextToken = 0;

  /** Runs `store` with the cards of `shown` drawn there meanwhile; reports a failure. */
  private async moving(gridId: string, shown: Map<string, Placement | null>, store: () => Promise<void>) {
    const token = ++this.nextToken;
    for (const [organizationId, placement] of shown) this.pending.set(`${gridId} ${organizationId}`, { token, placement });
    try {
      await store();
    } catch (thrown) {
      this.report(thrown);
    } finally {
      for (const organizationId of shown.keys()) {
        const key = `${gridId} ${organizationId}`;
        if (this.pending.get(key)?.token === token) this.pending.delete(key);
      }
    }
  }

  /** Puts the card on the grid shown at `point`: drawn there at once, then stored. */
  async placeCard(organizationId: string, point: GridPoint) {
    const gridId = this.gridId;
    if (!this.data || !gridId) return;
    const movedBy = this.movingAs;
    const shown: Placement = { gridId, organizationId, x: point.x, y: point.y, movedBy, movedAt: Date.now() };
    await this.moving(gridId, new Map([[organizationId, shown]]), async () => {
      this.applied(await api.placeCard(gridId, organizationId, point.x, point.y, movedBy));
    });
  }

  /** Sends the card on the grid shown back to its tray (at once, then stored). */
  async returnToTray(organizationId: string) {
    const gridId = this.gridId;
    if (!this.data || !gridId || !this.placementsHere.has(organizationId)) return;
    await this.moving(gridId, new Map([[organizationId, null]]), async () => {
      this.applied(await api.returnCardToTray(gridId, organizationId));
    });
  }

  /** Moves several cards of the grid shown together (one step to undo): drawn at once, then stored. */
  async placeCards(moves: { organizationId: string; x: number; y: number }[]) {
    const gridId = this.gridId;
    if (!this.data || !gridId || moves.length === 0) return;
    const movedBy = this.movingAs;
    const shown = new Map<string, Placement | null>(
      moves.map((m) => [m.organizationId, { gridId, ...m, movedBy, movedAt: Date.now() }]),
    );
    await this.moving(gridId, shown, async () => {
      this.applied(await api.placeCards(gridId, moves, movedBy));
    });
  }

  // Commitments and participants -------------------------------------------------------

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

  // The room -------------------------------------------------------------------------

  /** Lets the room join the open session (on `address`, one of this computer's, if given:
   * a room already open moves there, with a new code). */
  async startRoom(address: string | null = null) {
    if (!this.data) return;
    this.room = await api.startRoom(this.data.session.id, address);
  }

  async refreshRoom() {
    this.room = await api.roomInfo();
  }

  /** Something happened at the room's door: the room is read anew, and a changed code is
   *  said at once (the old one opens nothing any more). */
  async roomDoor(what: string) {
    await this.refreshRoom().catch(() => undefined);
    if (what === 'code-changed' && this.room) {
      this.warn(t('window.room.code-changed', { code: this.room.code }));
    }
  }

  async stopRoom() {
    await api.stopRoom();
    this.room = null;
  }

  // Private rounds ---------------------------------------------------------------------

  /** The session's round that has not ended (taking answers, or revealed), if any. */
  get round(): Round | null {
    const last = this.data?.rounds.at(-1);
    return last && last.closedAt === null ? last : null;
  }

  /** Starts a private round; the grid shown becomes the round's. */
  async startRound(fields: RoundFields) {
    if (!this.data) return;
    const round = this.applied(await api.startRound(this.data.session.id, fields));
    this.gridId = round.gridId;
    this.roundResults = null;
    this.roundProgress = null;
  }

  async refreshRoundProgress() {
    const round = this.round;
    this.roundProgress = round ? await api.roundProgress(round.id) : null;
  }

  /** Reveals the round's answers: the most disputed card first, on the round's grid. */
  async revealRound() {
    const round = this.round;
    if (!round) return;
    this.applied(await api.revealRound(round.id));
    await this.readRoundResults();
    this.roundFocus = this.roundResults?.cards[0]?.organizationId ?? null;
    this.selectedId = this.roundFocus;
    this.gridId = round.gridId;
  }

  /** Reads the revealed round's answers (again, after names were shown or hidden). */
  async readRoundResults() {
    const round = this.round;
    this.roundResults = round && round.revealedAt !== null ? await api.roundResults(round.id) : null;
  }

  async showRoundNames(shown: boolean) {
    const round = this.round;
    if (!round) return;
    this.applied(await api.showRoundNames(round.id, shown));
    await this.readRoundResults();
  }

  async endRound() {
    const round = this.round;
    if (!round) return;
    this.applied(await api.endRound(round.id));
    this.roundResults = null;
    this.roundProgress = null;
    this.roundFocus = null;
  }

  /** Sets the agreed place of a revealed card: at the answers' median. */
  async agreeAtMedian(organizationId: string) {
    const card = this.roundResults?.cards.find((c) => c.organizationId === organizationId);
    const round = this.round;
    if (!card || !round) return;
    this.gridId = round.gridId;
    await this.placeCard(organizationId, { x: card.medianX, y: card.medianY });
  }

  async reviewCommitment(id: string, fields: ReviewFields) {
    this.applied(await api.reviewCommitment(id, fields));
  }

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

  async addParticipant(fields: ParticipantFields) {
    if (!this.data) return;
    return this.applied(await api.addParticipant(this.data.session.id, fields));
  }

  async removeParticipant(id: string) {
    this.applied(await api.removeParticipant(id));
  }
}

/** The one state of the window. */
export const workshop = new Workshop();
