// The only door to the backend: every call to a Rust command goes through here, typed with
// the types generated from the Rust structs (ui/src/generated, written by `cargo test`).
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';

import type { CardMove } from './generated/CardMove';
import type { Commitment } from './generated/Commitment';
import type { CommitmentFields } from './generated/CommitmentFields';
import type { CsvPreview } from './generated/CsvPreview';
import type { DatabaseInfo } from './generated/DatabaseInfo';
import type { ErrorCode } from './generated/ErrorCode';
import type { ExportFormat } from './generated/ExportFormat';
import type { ExportReport } from './generated/ExportReport';
import type { Lang } from './generated/Lang';
import type { LanguageSetting } from './generated/LanguageSetting';
import type { Facts } from './generated/Facts';
import type { MapPreview } from './generated/MapPreview';
import type { NearbyReport } from './generated/NearbyReport';
import type { FollowUpFields } from './generated/FollowUpFields';
import type { Grid } from './generated/Grid';
import type { GridKind } from './generated/GridKind';
import type { GridLabels } from './generated/GridLabels';
import type { IpcError } from './generated/IpcError';
import type { Organization } from './generated/Organization';
import type { Changed } from './generated/Changed';
import type { OrganizationFields } from './generated/OrganizationFields';
import type { Paper } from './generated/Paper';
import type { Participant } from './generated/Participant';
import type { ParticipantFields } from './generated/ParticipantFields';
import type { Placement } from './generated/Placement';
import type { Relationship } from './generated/Relationship';
import type { RelationshipFields } from './generated/RelationshipFields';
import type { Review } from './generated/Review';
import type { RoomInfo } from './generated/RoomInfo';
import type { Round } from './generated/Round';
import type { RoundFields } from './generated/RoundFields';
import type { RoundProgress } from './generated/RoundProgress';
import type { RoundResults } from './generated/RoundResults';
import type { ReviewFields } from './generated/ReviewFields';
import type { SaidAndDone } from './generated/SaidAndDone';
import type { Session } from './generated/Session';
import type { SessionChange } from './generated/SessionChange';
import type { SessionData } from './generated/SessionData';
import type { SessionFields } from './generated/SessionFields';
import type { SessionListing } from './generated/SessionListing';
import type { DoubleChange } from './generated/DoubleChange';
import type { SharingView } from './generated/SharingView';
import type { SyncReport } from './generated/SyncReport';
import type { Theme } from './generated/Theme';
import type { WindowSettings } from './generated/WindowSettings';
import { language, t } from './lib/i18n.svelte';

/** A failed command: `code` to branch on, `message` to show the person. */
export class ApiError extends Error {
  readonly code: ErrorCode | 'unexpected';

  constructor(code: ErrorCode | 'unexpected', message: string) {
    super(message);
    this.code = code;
  }
}

function isIpcError(value: unknown): value is IpcError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as IpcError).code === 'string' &&
    typeof (value as IpcError).message === 'string'
  );
}

/** Turns whatever `invoke` threw into an ApiError with a message fit for a person. */
export function toApiError(thrown: unknown): ApiError {
  if (thrown instanceof ApiError) return thrown;
  if (isIpcError(thrown)) return new ApiError(thrown.code, thrown.message);
  const detail = thrown instanceof Error ? thrown.message : String(thrown);
  return new ApiError('unexpected', t('window.api.unexpected', { detail }));
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (thrown) {
    throw toApiError(thrown);
  }
}

// Changes are sent one after another, in the order the person made them: commands run on
// several threads, so two quick moves sent together could otherwise be stored in the
// wrong order and leave the card where the first one put it.
let lastChange: Promise<unknown> = Promise.resolve();

function change<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  const next = lastChange.then(() => call<T>(command, args));
  lastChange = next.catch(() => undefined);
  return next;
}

export const api = {
  databaseInfo: () => call<DatabaseInfo>('database_info'),
  /** The core's rules the window draws or offers. */
  facts: () => call<Facts>('facts'),

  listSessions: () => call<SessionListing[]>('list_sessions'),
  /** A new session; its first grid's names in the window's language. */
  createSession: (fields: SessionFields) => change<Session>('create_session', { fields, lang: language() }),
  updateSession: (id: string, fields: SessionFields) => change<Changed<Session>>('update_session', { id, fields }),
  renameSession: (id: string, title: string) => change<Changed<Session>>('rename_session', { id, title }),
  duplicateSession: (id: string) => change<Session>('duplicate_session', { id }),
  /** What importing the map in the files at `paths` would create and skip. */
  previewMapImport: (paths: string[]) => call<MapPreview>('preview_map_import', { paths }),
  /** Imports the map in the files at `paths` as a new session; returns its id. */
  importMap: (paths: string[]) => change<string>('import_map', { paths }),
  /** Starts the next meeting of the session's campaign; returns the new session. */
  startFollowUp: (id: string, fields: FollowUpFields) => change<Session>('start_follow_up', { id, fields }),
  /** Moves the session to "recently deleted"; restoreSession brings it back. */
  deleteSession: (id: string) => change<Session>('delete_session', { id }),
  restoreSession: (id: string) => change<Session>('restore_session', { id }),
  deletedSessions: () => call<SessionListing[]>('deleted_sessions'),
  loadSession: (id: string) => call<SessionData>('load_session', { id }),
  createSampleSession: () => change<string>('create_sample_session'),

  addOrganization: (sessionId: string, fields: OrganizationFields) =>
    change<Changed<Organization>>('add_organization', { sessionId, fields }),
  addOrganizationsFromList: (sessionId: string, names: string) =>
    change<Changed<Organization[]>>('add_organizations_from_list', { sessionId, names }),
  updateOrganization: (id: string, fields: OrganizationFields) =>
    change<Changed<Organization>>('update_organization', { id, fields }),
  removeOrganization: (id: string) => change<Changed<null>>('remove_organization', { id }),
  previewOrganizationsCsv: (sessionId: string, path: string) =>
    call<CsvPreview>('preview_organizations_csv', { sessionId, path }),
  importOrganizationsCsv: (sessionId: string, path: string) =>
    change<Changed<Organization[]>>('import_organizations_csv', { sessionId, path }),

  /** A new grid; its default title and names in the window's language. */
  addGrid: (sessionId: string, kind: GridKind, title: string) =>
    change<Changed<Grid>>('add_grid', { sessionId, kind, title, lang: language() }),
  updateGrid: (id: string, title: string, labels: GridLabels) =>
    change<Changed<Grid>>('update_grid', { id, title, labels }),
  removeGrid: (id: string) => change<Changed<null>>('remove_grid', { id }),

  placeCard: (gridId: string, organizationId: string, x: number, y: number, movedBy = '') =>
    change<Changed<Placement>>('place_card', { gridId, organizationId, x, y, movedBy }),
  placeCards: (gridId: string, moves: CardMove[], movedBy = '') =>
    change<Changed<Placement[]>>('place_cards', { gridId, moves, movedBy }),
  returnCardToTray: (gridId: string, organizationId: string) =>
    change<Changed<null>>('return_card_to_tray', { gridId, organizationId }),

  addCommitment: (sessionId: string, fields: CommitmentFields) =>
    change<Changed<Commitment>>('add_commitment', { sessionId, fields }),
  updateCommitment: (id: string, fields: CommitmentFields) =>
    change<Changed<Commitment>>('update_commitment', { id, fields }),
  removeCommitment: (id: string) => change<Changed<null>>('remove_commitment', { id }),
  reviewCommitment: (id: string, fields: ReviewFields) => change<Changed<Review>>('review_commitment', { id, fields }),
  /** Each organization's word and deed over the session's campaign, the widest gap first. */
  saidAndDone: (sessionId: string) => call<SaidAndDone[]>('said_and_done', { sessionId }),

  addRelationship: (sessionId: string, fields: RelationshipFields) =>
    change<Changed<Relationship>>('add_relationship', { sessionId, fields }),
  updateRelationship: (id: string, fields: RelationshipFields) =>
    change<Changed<Relationship>>('update_relationship', { id, fields }),
  removeRelationship: (id: string) => change<Changed<null>>('remove_relationship', { id }),

  addParticipant: (sessionId: string, fields: ParticipantFields) =>
    change<Changed<Participant>>('add_participant', { sessionId, fields }),
  updateParticipant: (id: string, fields: ParticipantFields) =>
    change<Changed<Participant>>('update_participant', { id, fields }),
  removeParticipant: (id: string) => change<Changed<null>>('remove_participant', { id }),

  /** Lets the room join the session (starts the room server); the room's address and code. */
  startRoom: (sessionId: string, address: string | null = null) => call<RoomInfo>('start_room', { sessionId, address }),
  /** The open room, if any. */
  roomInfo: () => call<RoomInfo | null>('room_info'),

  // Shared campaigns.
  /** Shares the campaign of `sessionId` through `folder` (asked about in a native dialog
   * unless chosen in one); `laptop` names this laptop to the others (the computer's name if
   * empty). */
  shareCampaign: (sessionId: string, folder: string, laptop: string) =>
    change<SharingView>('share_campaign', { sessionId, folder, laptop: laptop || null }),
  /** Joins the campaign in `folder` that opens with `key`. */
  joinSharedCampaign: (folder: string, key: string, laptop: string) =>
    change<SharingView[]>('join_shared_campaign', { folder, key, laptop: laptop || null }),
  /** How the campaign of `sessionId` is shared, or null if it is not. */
  sharingOf: (sessionId: string) => call<SharingView | null>('sharing_of', { sessionId }),
  /** Changes the campaign's key (to take a laptop out of what is written next). */
  newSharedKey: (sessionId: string) => change<SharingView>('new_shared_key', { sessionId }),
  /** Syncs every shared campaign with its folder now. */
  syncNow: () => change<SyncReport[]>('sync_now'),
  /** Syncs the campaign of `sessionId` with the laptop nearby whose room is at `address`,
   * paired by its room `code`. */
  syncNearby: (sessionId: string, address: string, code: string) =>
    change<NearbyReport>('sync_nearby', { sessionId, key: null, address, code, laptop: null }),
  /** Joins the campaign the laptop nearby at `address` shares under `key`, paired by its
   * room `code`; `laptop` names this laptop (the computer's name if empty). */
  joinNearby: (address: string, code: string, key: string, laptop: string) =>
    change<NearbyReport>('sync_nearby', { sessionId: null, key, address, code, laptop: laptop || null }),
  /** The session's fields two laptops set differently, not settled yet. */
  doubleChanges: (sessionId: string) => call<DoubleChange[]>('double_changes', { sessionId }),
  /** Leaves a field changed on two laptops as it stands. */
  keepStandingValue: (id: number) => change<null>('keep_standing_value', { id }),
  /** Takes the value that did not stand (a change like any other: undoable, shared). */
  takeOtherValue: (id: number) => change<Changed<null>>('take_other_value', { id }),
  /** Stops the room: every participant's access ends. */
  stopRoom: () => call<null>('stop_room'),

  /** Starts a private round: the room's participants place the cards on their phones. */
  startRound: (sessionId: string, fields: RoundFields) => change<Changed<Round>>('start_round', { sessionId, fields }),
  /** How many have answered the round so far. */
  roundProgress: (id: string) => call<RoundProgress>('round_progress', { id }),
  revealRound: (id: string) => change<Changed<Round>>('reveal_round', { id }),
  showRoundNames: (id: string, shown: boolean) => change<Changed<Round>>('show_round_names', { id, shown }),
  endRound: (id: string) => change<Changed<Round>>('end_round', { id }),
  /** A revealed round's answers: every answer, the median and the spread per card, most disputed first. */
  roundResults: (id: string) => call<RoundResults>('round_results', { id }),

  undo: (sessionId: string) => change<SessionChange>('undo', { sessionId }),
  redo: (sessionId: string) => change<SessionChange>('redo', { sessionId }),
  /** The session's changes after `revision`, oldest first; null if the window must read it anew. */
  changesSince: (sessionId: string, revision: number) =>
    call<SessionChange[] | null>('changes_since', { sessionId, revision }),

  /**
   * Writes the session in `format` to `path` (a folder for csv, svg and png; a PDF on `paper`;
   * the summary's words in `lang`); says which files were written, and what a PDF or PNG had
   * to leave out.
   */
  exportSession: (sessionId: string, format: ExportFormat, path: string, paper: Paper = 'a4', lang: Lang = 'en') =>
    change<ExportReport>('export_session', { sessionId, format, path, paper, lang }),
  summaryHtml: (sessionId: string) => call<string>('summary_html', { sessionId }),
  /** Opens the system print dialog for the window. */
  printWindow: () => change<null>('print_window'),

  /** Calls `handler` with every change to any session, from this window, another, the room or
   * another program on the same file (the command line, a second Powermap); returns a function
   * that stops listening. */
  onSessionChange: (handler: (change: SessionChange) => void) => {
    const stop = listen<SessionChange>('session-change', (event) => handler(event.payload));
    return () => void stop.then((unlisten) => unlisten());
  },
  /** Calls `handler` whenever the list of sessions changed (one created, renamed, deleted,
   * restored — by any window or program); returns a function that stops listening. */
  onSessionsChanged: (handler: () => void) => {
    const stop = listen('sessions-changed', () => handler());
    return () => void stop.then((unlisten) => unlisten());
  },
  /** Calls `handler` when something happens at the room's door: `joined`, `wrong-code`,
   * `blocked` or `code-changed`; returns a function that stops listening. */
  onRoomDoor: (handler: (what: string) => void) => {
    const stop = listen<string>('room-door', (event) => handler(event.payload));
    return () => void stop.then((unlisten) => unlisten());
  },
  /** Calls `handler` after the window synced its shared campaigns and something happened
   * (changes in or out, files skipped, a folder out of reach); returns a function that stops
   * listening. */
  onSharedSynced: (handler: (reports: SyncReport[]) => void) => {
    const stop = listen<SyncReport[]>('shared-synced', (event) => handler(event.payload));
    return () => void stop.then((unlisten) => unlisten());
  },
  /** Calls `handler` with the id of each native menu item chosen. */
  onMenu: (handler: (item: string) => void) => {
    const stop = listen<string>('menu', (event) => handler(event.payload));
    return () => void stop.then((unlisten) => unlisten());
  },

  // Files: the native dialogs are opened by the backend, which then lets the window read or
  // write the file chosen (and asks in a dialog of its own about any other path).
  /** The system's Open dialog for one file; the path chosen, or null. */
  pickFile: (filter: { name: string; extensions: string[] }) =>
    call<string | null>('choose_file', { filterName: filter.name, extensions: filter.extensions }),
  /** The system's dialog for a folder; the folder chosen, or null. */
  pickFolder: (defaultPath: string) => call<string | null>('choose_folder', { defaultPath }),
  /** The system's Save dialog (which asks before replacing a file); the path chosen, or null. */
  pickSaveFile: (defaultPath: string, filter: { name: string; extensions: string[] }) =>
    call<string | null>('choose_save_file', { defaultPath, filterName: filter.name, extensions: filter.extensions }),
  /** Where an export named `name` would go: in the person's Documents (or home) folder. */
  suggestPath: (name: string) => call<string>('suggest_export_path', { name }),

  // Settings.
  /** The language the window speaks (the one chosen in Settings, if any, and the desktop's)
   * and the theme chosen (null: the desktop's): what it reads before its first drawing. */
  windowSettings: () => call<WindowSettings>('window_settings'),
  /** Chooses the window's language (null: the desktop's); kept for the next runs. */
  chooseLanguage: (chosen: Lang | null) => call<LanguageSetting>('choose_language', { chosen }),
  /** Chooses the window's colour theme (null: the desktop's); kept for the next runs. */
  chooseTheme: (theme: Theme | null) => call<Theme | null>('choose_theme', { theme }),
};
