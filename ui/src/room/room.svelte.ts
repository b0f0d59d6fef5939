// The participants' page's state: the seat (kept in the browser, so a phone that slept or
// reloaded keeps its place), the session as the room last told it, and the live feed.
//
// The feed is opened before the session is read, and changes that arrive meanwhile wait,
// so none falls between the two; a change after a gap, a `reload` message or a reconnect
// reads the session anew. A lost connection is tried again on its own, at once when the
// phone wakes.
import { known, type Lang, languageOf, message } from '../lib/i18n.svelte';
import type { PhoneChange } from '../generated/PhoneChange';
import type { PhoneSession } from '../generated/PhoneSession';
import type { Round } from '../generated/Round';
import type { GridPoint } from '../lib/geometry';
import { applyPhoneChange, describePhoneChange, fitPhone, type RoomView } from './phoneView';
import { RoomError, roomApi, type Seat } from './roomApi';

/** Where the page is: joining, reading the session, following it, or the room is over. */
export type Phase = 'join' | 'loading' | 'live' | 'over';

const SEAT_KEY = `powermap-room-seat:${location.host}`;
/** Waits between tries to reconnect, growing to the last one. */
const RETRY_MS = [300, 1000, 2000, 4000];

function savedSeat(): Seat | null {
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
  #waiting: PhoneChange[] = [];
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

  /** Joins with the room's code and a name (a seat this phone held before is taken back). */
  async join(code: string, name: string) {
    this.error = null;
    try {
      const seat = await roomApi.join(code.trim(), name.trim(), savedSeat()?.token ?? null);
      this.#seat = seat;
      this.name = seat.name;
      localStorage.setItem(SEAT_KEY, JSON.stringify(seat));
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
      const me = await roomApi.speakFor(this.#seat.token, organizationId);
      if (this.view) this.view = { ...this.view, organizationId: me.organizationId };
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
    const places = view.places.filter((p) => p[0] !== gridId || p[1] !== organizationId);
    places.push([gridId, organizationId, x, y]);
    this.view = { ...view, places };
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

  /** Leaves the room on this device: gives up the seat, so another name can join here (and
   *  this name again, on any device). */
  leave() {
    const seat = this.#seat;
    if (seat) void roomApi.leave(seat.token).catch(() => undefined);
    this.#forget();
  }

  /** Forgets the seat on this device. */
  #forget() {
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

  /** The room no longer knows this seat (the facilitator took the name off the session). */
  #seatVoid() {
    this.#forget();
    this.error = message(this.lang, 'room.seat-void');
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
    let read: PhoneSession;
    try {
      read = await roomApi.session(seat.token);
    } catch (error) {
      if (error instanceof RoomError && error.status === 401) this.#seatVoid();
      else if (error instanceof RoomError && error.status === 404) this.phase = 'over';
      return;
    }
    if (this.#seat !== seat) return;
    this.view = read;
    this.name = read.people.find((p) => p.id === read.participantId)?.name ?? this.name;
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
    const change = message as PhoneChange;
    if (!this.view || this.phase !== 'live') this.#waiting.push(change);
    else this.#apply(change);
  }

  #apply(change: PhoneChange) {
    const view = this.view;
    if (!view) return;
    switch (fitPhone(view, change)) {
      case 'seen':
        return;
      case 'missed':
        void this.#read();
        return;
      case 'apply':
    }
    const next = applyPhoneChange(view, change);
    this.view = next;
    if (change.round) void this.#readRound();
    // This phone's own participant changed (the facilitator renamed them, or chose whom
    // they speak for): read who they are now.
    if (change.people?.some((p) => p.id === view.participantId)) void this.#read();
    const news = describePhoneChange(view, next, change, this.lang);
    if (news) {
      this.news = news;
      if (this.#newsTimer) clearTimeout(this.#newsTimer);
      this.#newsTimer = setTimeout(() => (this.news = null), 5000);
    }
  }
}

export const room = new RoomState();
