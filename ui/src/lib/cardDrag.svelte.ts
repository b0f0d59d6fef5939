// Dragging cards with any pointer — mouse, finger or pen (Pointer Events) — between the
// grid's tray and its surface. The card follows the pointer as a floating copy; only that
// copy changes while the pointer moves, so the drag stays smooth with hundreds of cards.
// The move is stored once, when the gesture ends.
import { moves } from '../state/moves.svelte';
import { workshop } from '../state/workshop.svelte';
import { cardAt } from './cardLayer';
import { contains, nudge, toGridPoint } from './geometry';

/** How far (px) a pointer must travel before a press becomes a drag rather than a click. */
const DRAG_THRESHOLD = 5;

interface DragState {
  organizationId: string;
  /** Where the drag started: on the grid, or in the tray. */
  from: 'grid' | 'tray';
  clientX: number;
  clientY: number;
  /** True once the pointer has travelled past the threshold. */
  moving: boolean;
  /** The other selected cards that travel with it (a group drag on the grid). */
  group: string[];
  startX: number;
  startY: number;
}

/** The drag under way, if any (read by the floating copy and the lifted card). */
export const cardDrag = $state<{ current: DragState | null }>({ current: null });

/** The drop zones, registered by the components that draw them. */
export const dropZones: { surface: HTMLElement | null; tray: HTMLElement | null } = {
  surface: null,
  tray: null,
};

/**
 * Lets the cards drawn in `host` (by a CardLayer) be dragged and clicked — a click selects
 * the card, or with Shift adds it to the selection — and hands their keys to `onKey`.
 * Returns a function that stops.
 */
export function handleCards(host: HTMLElement, from: 'grid' | 'tray', onKey: (event: KeyboardEvent, organizationId: string) => void) {
  const pointerDown = (event: PointerEvent) => {
    const hit = cardAt(event);
    if (!hit) return;
    startCardDrag(event, hit.element, hit.id, from, (shiftKey) => {
      if (shiftKey) workshop.toggleSelected(hit.id);
      else workshop.selectedId = workshop.selectedId === hit.id ? null : hit.id;
    });
  };
  const keyDown = (event: KeyboardEvent) => {
    const hit = cardAt(event);
    if (hit) onKey(event, hit.id);
  };
  host.addEventListener('pointerdown', pointerDown);
  host.addEventListener('keydown', keyDown);
  return () => {
    host.removeEventListener('pointerdown', pointerDown);
    host.removeEventListener('keydown', keyDown);
  };
}

/**
 * Starts following the pointer pressed on a card (its `element`). `onclick` runs instead
 * of a move when the pointer is released without travelling.
 */
function startCardDrag(
  event: PointerEvent,
  element: HTMLElement,
  organizationId: string,
  from: 'grid' | 'tray',
  onclick: (shiftKey: boolean) => void,
) {
  if (event.button !== 0 && event.pointerType === 'mouse') return;
  const startX = event.clientX;
  const startY = event.clientY;
  const pointerId = event.pointerId;
  try {
    element.setPointerCapture(pointerId);
  } catch {
    // Capture is an optimisation: without it the window-level listeners below still work.
  }
  const shiftKey = event.shiftKey;
  const group =
    from === 'grid' && workshop.selection.length > 1 && workshop.selection.includes(organizationId)
      ? workshop.selection.filter((id) => id !== organizationId && moves.placementsHere.has(id))
      : [];
  cardDrag.current = { organizationId, from, clientX: startX, clientY: startY, moving: false, group, startX, startY };

  const move = (e: PointerEvent) => {
    if (e.pointerId !== pointerId || !cardDrag.current) return;
    const drag = cardDrag.current;
    if (!drag.moving && Math.hypot(e.clientX - startX, e.clientY - startY) < DRAG_THRESHOLD) return;
    drag.moving = true;
    drag.clientX = e.clientX;
    drag.clientY = e.clientY;
    e.preventDefault();
  };
  const finish = (e: PointerEvent, cancelled: boolean) => {
    if (e.pointerId !== pointerId) return;
    window.removeEventListener('pointermove', move);
    window.removeEventListener('pointerup', up);
    window.removeEventListener('pointercancel', cancel);
    const drag = cardDrag.current;
    cardDrag.current = null;
    if (!drag || cancelled) return;
    if (!drag.moving) {
      onclick(shiftKey);
      return;
    }
    drop(drag, e.clientX, e.clientY);
  };
  const up = (e: PointerEvent) => finish(e, false);
  const cancel = (e: PointerEvent) => finish(e, true);
  window.addEventListener('pointermove', move);
  window.addEventListener('pointerup', up);
  window.addEventListener('pointercancel', cancel);
  event.preventDefault();
}

/**
 * Where a released card goes: the tray if over it, otherwise onto the grid (nearest edge).
 * A group moves by the same distance as the card held, each staying on the grid.
 */
function drop(drag: DragState, clientX: number, clientY: number) {
  const { surface, tray } = dropZones;
  const ids = [drag.organizationId, ...drag.group];
  if (tray && contains(tray.getBoundingClientRect(), clientX, clientY)) {
    if (drag.from === 'grid') for (const id of ids) void moves.returnToTray(id);
    return;
  }
  if (!surface) return;
  const rect = surface.getBoundingClientRect();
  const point = toGridPoint(rect, clientX, clientY);
  if (drag.group.length === 0) {
    void moves.placeCard(drag.organizationId, point);
    return;
  }
  const held = moves.placementsHere.get(drag.organizationId);
  const dx = held ? point.x - held.x : 0;
  const dy = held ? point.y - held.y : 0;
  const together = ids.flatMap((id) => {
    if (id === drag.organizationId) return [{ organizationId: id, ...point }];
    const p = moves.placementsHere.get(id);
    return p ? [{ organizationId: id, ...nudge(p, dx, dy) }] : [];
  });
  void moves.placeCards(together);
}
