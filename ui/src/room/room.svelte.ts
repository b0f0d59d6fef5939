// The participants' page's state: the seat (kept in the browser, so a phone that slept or
// reloaded keeps its place), the session as the room last told it, and the live feed.
//
// The feed is opened before the session is read, and changes that arrive meanwhile wait,
// so none falls between the two; a change after a gap, a `reload` message or a reconnect
// reads the session anew. A lost connection is tried again on its own, at once when the
// phone wakes.
import { describeActor, describeLabel } from '../lib/changeLabels';
import { known, type Lang, languageOf, message } from '../lib/i18n.svelte';
import { applyRows, fit, type SessionRows } from '../lib/sessionChanges';
import type { Round } from '../generated/Round';
import type { SessionChange } from '../generated/SessionChange';
import type { GridPoint } from '../lib/geometry';
import { RoomError, roomApi, type RoomSession, type Seat } from './roomApi';

/** Where the page is: joining, reading the session, following it, or the room is over. */
export type Phase = 'join' | 'loading' | 'live' | 'over';

/** The session as the page holds it: its rows, and who this device is. */
export type RoomView = SessionRows & { participantId: string; decisionBand: number };

const SEAT_KEY = `powermap-room-seat:${location.host}`;
/** Waits between tries to reconnect, growing to the last one. */
const RETRY_MS = [300, 1000, 2000, 4000];

function savedSeat(): (Seat & { name: string }) | null {
  try {
    const saved = JSON.parse(localStorage.getItem(SEAT_KEY) ?? 'null');
    return saved && typeof saved.token === 'string' ? saved : null;
  } catch {
    return null;
  }
}

/** Why a request failed, in the phone's words: the refusals the page knows by code, else
 *  what the room said. */
function failure(error: unknown, lang: Lang): string {
  if (!(error instanceof RoomError)) return String(error);
  const key = `room.error.${error.code}`;
  return known(key) ? message(lang, key) : error.message;
}

class RoomState {
  /** The phone's language (its browser's, when Powermap speaks it; else English). */
  readonly lang: Lang = languageOf(typeof navigator === 'undefined' ? [] : navigator.languages);
  phase = $state<Phase>('join');
  view = $state<RoomView | null>(null);
  name = $state('');
  /** Whether the feed is open (else the page is reconnecting). */
  connected = $state(false);
  /** Why the last thing asked failed, in words. */
  error = $state<string | null>(null);
  /** The last change someone else made, in words ("Amina: Move “City Council”"). */
  news = $state<string | null>(null);
  /** The private round taking answers, if any. */
  round = $state<Round | null>(null);
  /** This phone's answers in it, by card. */
  mine = $state(new Map<string, GridPoint>());

  #seat: Seat | null = null;
  #socket: WebSocket | null = null;
  /** Changes that arrived before the session was read. */
  #waiting: SessionChange[] = [];
  #tries = 0;
  #retry: ReturnType<typeof setTimeout> | null = null;
  #newsTimer: ReturnType<typeof setTimeout> | null = null;

  /** Starts the page: with a seat kept from before, straight back into the room. */
  start() {
    const seat = savedSeat();
    // A phone waking: reconnect if the feed closed; else read the session anew, in case the
    // connection died without closing (the feed would then be silent).
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState !== 'visible' || !this.#seat) return;
      if (this.connected) void this.#read();
      else this.#connect();
    });
    window.addEventListener('online', () => {
      if (this.#seat && !this.connected) this.#connect();
    });
    if (seat) {
      this.#seat = seat;
      this.name = seat.name;
      this.phase = 'loading';
      this.#connect();
    }
  }

  /** Joins with the room's code and a name. */
  async join(code: string, name: string) {
    this.error = null;
    try {
      const seat = await roomApi.join(code.trim(), name.trim());
      this.#seat = seat;
      this.name = name.trim();
      localStorage.setItem(SEAT_KEY, JSON.stringify({ ...seat, name: this.name }));
      this.phase = 'loading';
      this.#connect();
    } catch (error) {
      this.error = failure(error, this.lang);
    }
  }

  /** Says which organization this participant speaks for (none with null). */
  async speakFor(organizationId: string | null) {
    if (!this.#seat) return;
    this.error = null;
    try {
      await roomApi.speakFor(this.#seat.token, organizationId);
    } catch (error) {
      this.#failed(error);
    }
  }

  /** Puts a card on a grid: shown at once, stored by the room, told to everyone. */
  async move(gridId: string, organizationId: string, x: number, y: number) {
    const seat = this.#seat;
    const view = this.view;
    if (!seat || !view) return;
    this.error = null;
    const at = view.placements.findIndex((p) => p.gridId === gridId && p.organizationId === organizationId);
    const placement = { gridId, organizationId, x, y, movedBy: this.name, movedAt: Date.now() };
    if (at >= 0) view.placements[at] = placement;
    else view.placements.push(placement);
    try {
      await roomApi.place(seat.token, gridId, organizationId, x, y);
    } catch (error) {
      this.#failed(error);
      // What the room holds is the truth: read it again.
      void this.#read();
    }
  }

  /** Places a card of the private round: only this phone and the room's store know where. */
  async answer(organizationId: string, x: number, y: number) {
    const seat = this.#seat;
    if (!seat || !this.round) return;
    this.error = null;
    this.mine = new Map(this.mine).set(organizationId, { x, y });
    try {
      await roomApi.answer(seat.token, organizationId, x, y);
    } catch (error) {
      this.#failed(error);
      void this.#readRound();
    }
  }

  /** Reads the open round and this phone's answers in it. */
  async #readRound() {
    const seat = this.#seat;
    if (!seat) return;
    try {
      const read = await roomApi.round(seat.token);
      this.round = read.round;
      this.mine = new Map(read.mine.map((a) => [a.organizationId, { x: a.x, y: a.y }]));
    } catch (error) {
      this.#failed(error);
    }
  }

  /** Leaves the room on this device (another name can join). */
  leave() {
    localStorage.removeItem(SEAT_KEY);
    this.#seat = null;
    this.#socket?.close();
    this.#socket = null;
    this.view = null;
    this.phase = 'join';
  }

  #failed(error: unknown) {
    if (error instanceof RoomError && error.status === 401) {
      this.#seatVoid();
      return;
    }
    this.error = failure(error, this.lang);
  }

  /** The room no longer knows this seat (it was stopped and started again). */
  #seatVoid() {
    this.leave();
    this.error = message(this.lang, 'room.restarted');
  }

  #connect() {
    const seat = this.#seat;
    if (!seat) return;
    if (this.#retry) clearTimeout(this.#retry);
    this.#retry = null;
    this.#socket?.close();
    this.#waiting = [];
    const socket = new WebSocket(roomApi.liveUrl(seat.token));
    this.#socket = socket;
    socket.onopen = () => {
      if (this.#socket !== socket) return;
      this.#tries = 0;
      this.connected = true;
      void this.#read();
    };
    socket.onmessage = (event) => {
      if (this.#socket === socket && typeof event.data === 'string') this.#received(event.data);
    };
    socket.onclose = () => {
      if (this.#socket !== socket) return;
      this.#socket = null;
      this.connected = false;
      if (this.phase === 'over' || !this.#seat) return;
      // The socket may have closed because the seat is void: reading the session says.
      void this.#read().finally(() => {
        if (!this.#seat || this.phase === 'over' || this.#socket) return;
        const wait = RETRY_MS[Math.min(this.#tries, RETRY_MS.length - 1)];
        this.#tries++;
        this.#retry = setTimeout(() => this.#connect(), wait);
      });
    };
  }

  /** Reads the whole session, then applies the changes that came meanwhile. */
  async #read() {
    const seat = this.#seat;
    if (!seat) return;
    let read: RoomSession;
    try {
      read = await roomApi.session(seat.token);
    } catch (error) {
      if (error instanceof RoomError && error.status === 401) this.#seatVoid();
      else if (error instanceof RoomError && error.status === 404) this.phase = 'over';
      return;
    }
    if (this.#seat !== seat) return;
    this.view = { ...read, order: {}, rounds: [] };
    await this.#readRound();
    this.phase = 'live';
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const change of waiting) this.#apply(change);
  }

  #received(text: string) {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    const m = message as { reload?: boolean; closed?: boolean };
    if (m.closed) {
      this.phase = 'over';
      this.#socket?.close();
      return;
    }
    if (m.reload) {
      void this.#read();
      return;
    }
    const change = message as SessionChange;
    if (!this.view || this.phase !== 'live') this.#waiting.push(change);
    else this.#apply(change);
  }

  #apply(change: SessionChange) {
    const view = this.view;
    if (!view) return;
    switch (fit(view, change)) {
      case 'seen':
        return;
      case 'missed':
        void this.#read();
        return;
      case 'apply':
        this.view = applyRows(view, change);
    }
    const rounds = (rows: { table: string }[]) => rows.some((r) => r.table === 'round');
    if (rounds(change.written) || rounds(change.removed)) void this.#readRound();
    const who = describeActor(change.actor, this.lang);
    const mine = change.actor.kind === 'participant' && change.actor.name === this.name;
    if (!mine) {
      const what = describeLabel(change.label, this.lang);
      const done = change.action === 'do' ? what : message(this.lang, `room.${change.action}`, { what });
      this.news = message(this.lang, 'room.news', { who: who ?? message(this.lang, 'room.facilitator'), what: done });
      if (this.#newsTimer) clearTimeout(this.#newsTimer);
      this.#newsTimer = setTimeout(() => (this.news = null), 5000);
    }
  }
}

export const room = new RoomState();
