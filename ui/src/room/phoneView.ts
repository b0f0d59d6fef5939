// The session as a phone holds it (what `GET /api/session` gives: only what the page
// draws), and how each change of the live feed is applied to it and put into words. A
// move arrives compact — who, grid, card, point — and the page names it from its own
// cards; anything else names itself with its label.
import type { ChangeLabel } from '../generated/ChangeLabel';
import type { PhoneChange } from '../generated/PhoneChange';
import type { PhoneSession } from '../generated/PhoneSession';
import { describeActor, describeLabel } from '../lib/changeLabels';
import { type Lang, message } from '../lib/i18n.svelte';

/** The session as the page holds it. */
export type RoomView = PhoneSession;

/** What to do with a change: apply it, skip it (already applied), or read the session anew. */
export type PhoneFit = 'apply' | 'seen' | 'missed';

/** Whether `change` is the next one for `view`, one already applied, or one after a gap. */
export function fitPhone(view: { revision: number }, change: { revision: number }): PhoneFit {
  if (change.revision <= view.revision) return 'seen';
  return change.revision === view.revision + 1 ? 'apply' : 'missed';
}

/** Replaces the row with the same id, or adds it at the end. */
function upsert<T extends { id: string }>(rows: T[], written: T[] | undefined): T[] {
  if (!written?.length) return rows;
  const next = [...rows];
  for (const row of written) {
    const at = next.findIndex((r) => r.id === row.id);
    if (at >= 0) next[at] = row;
    else next.push(row);
  }
  return next;
}

/** The view after `change` (a new object; the one given is not changed). */
export function applyPhoneChange(view: RoomView, change: PhoneChange): RoomView {
  const gone = new Set(change.gone ?? []);
  const keep = <T extends { id: string }>(rows: T[]) => (gone.size ? rows.filter((r) => !gone.has(r.id)) : rows);
  let places = view.places;
  if (change.moves?.length || change.trays?.length || gone.size) {
    const moved = new Map((change.moves ?? []).map((m) => [`${m[0]}\u0000${m[1]}`, m]));
    const trayed = new Set((change.trays ?? []).map((t) => `${t[0]}\u0000${t[1]}`));
    places = view.places
      .filter((p) => !trayed.has(`${p[0]}\u0000${p[1]}`) && !gone.has(p[0]) && !gone.has(p[1]))
      .map((p) => {
        const key = `${p[0]}\u0000${p[1]}`;
        const m = moved.get(key);
        if (m) moved.delete(key);
        return m ?? p;
      });
    places.push(...moved.values());
  }
  return {
    ...view,
    revision: change.revision,
    title: change.session?.title ?? view.title,
    question: change.session?.question ?? view.question,
    organizations: keep(upsert(view.organizations, change.organizations)),
    grids: keep(upsert(view.grids, change.grids)),
    people: keep(upsert(view.people, change.people)),
    places,
  };
}

/** Whether the change was made on this phone's own seat (known by participant id, never by
 *  a name another may share). */
export function isMine(view: RoomView, change: PhoneChange): boolean {
  return change.by !== undefined && change.by === view.participantId;
}

/** What the change did, as its label: its own, or for moves alone, made from the cards the
 *  page holds (`before`: the view before the change, to tell a first placing from a move). */
function labelOf(before: RoomView, change: PhoneChange): ChangeLabel | null {
  if (change.label) return change.label;
  const moves = change.moves ?? [];
  const trays = change.trays ?? [];
  const name = (id: string) => before.organizations.find((o) => o.id === id)?.name ?? '';
  if (moves.length + trays.length > 1) return { key: 'move-cards', count: moves.length + trays.length };
  if (moves.length === 1) {
    const [grid, card] = moves[0];
    const placed = before.places.some((p) => p[0] === grid && p[1] === card);
    return { key: placed ? 'move-card' : 'place-card', organization: name(card) };
  }
  if (trays.length === 1) return { key: 'return-to-tray', organization: name(trays[0][1]) };
  return null;
}

/** Someone else's change in words ("Amina — Move “City Council”"), or null for one the page
 *  does not show (a change to what phones do not draw, or this phone's own). */
export function describePhoneChange(before: RoomView, after: RoomView, change: PhoneChange, lang: Lang): string | null {
  if (isMine(before, change)) return null;
  const label = labelOf(before, change);
  if (!label) return null;
  const what = describeLabel(label, lang);
  const done = change.action ? message(lang, `room.${change.action}`, { what }) : what;
  const person = change.by ? (after.people.find((p) => p.id === change.by) ?? before.people.find((p) => p.id === change.by)) : undefined;
  const who = person?.name ?? (change.who ? describeActor(change.who, lang) : null) ?? message(lang, 'room.facilitator');
  return message(lang, 'room.news', { who, what: done });
}
