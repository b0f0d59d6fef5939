// The room API as the participants' page uses it (docs/room-api.md): plain fetch on the
// page's own server, so it works on plain http on a LAN (no secure-context API). Every
// refusal becomes a RoomError carrying the status and the server's code and message.
import type { PhoneSession } from '../generated/PhoneSession';
import type { Round } from '../generated/Round';
import type { RoundProgress } from '../generated/RoundProgress';

/** A seat in the room: what `POST /api/join` gives (the name it is under). */
export interface Seat {
  token: string;
  participantId: string;
  name: string;
}

/** This device's participant, as `PUT /api/me` answers. */
export interface Me {
  participantId: string;
  name: string;
  organizationId: string | null;
}

/** A refusal of the room (or no answer at all: status 0). */
export class RoomError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RoomError';
  }
}

async function call<T>(method: string, path: string, token: string | null, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch {
    throw new RoomError(0, 'unreachable', 'The room does not answer: is this phone on the room’s Wi-Fi?');
  }
  const text = await response.text();
  let value: unknown = null;
  try {
    value = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: the message below says what happened.
  }
  if (!response.ok) {
    const refusal = (value ?? {}) as { code?: string; message?: string };
    throw new RoomError(
      response.status,
      refusal.code ?? 'unknown',
      refusal.message ?? `The room answered ${response.status}.`,
    );
  }
  return value as T;
}

export const roomApi = {
  /** Joins with the code and a name; a token kept from before takes its seat back. */
  join: (code: string, name: string, token: string | null) =>
    call<Seat>('POST', '/api/join', null, token ? { code, name, token } : { code, name }),
  /** Gives up this device's seat (another name can join on it). */
  leave: (token: string) => call<object>('POST', '/api/leave', token, {}),
  session: (token: string) => call<PhoneSession>('GET', '/api/session', token),
  place: (token: string, gridId: string, organizationId: string, x: number, y: number) =>
    call<{ revision: number }>('PUT', '/api/placements', token, { gridId, organizationId, x, y }),
  /** The open private round and this device's own answers. */
  round: (token: string) =>
    call<{ round: Round | null; mine: { organizationId: string; x: number; y: number }[] }>('GET', '/api/round', token),
  answer: (token: string, organizationId: string, x: number, y: number) =>
    call<RoundProgress>('PUT', '/api/round/answers', token, { organizationId, x, y }),
  speakFor: (token: string, organizationId: string | null) =>
    call<Me>('PUT', '/api/me', token, { organizationId }),
  /** The address of the live feed. */
  liveUrl: (token: string) =>
    `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/live?token=${encodeURIComponent(token)}`,
};
