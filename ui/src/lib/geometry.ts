// Pure geometry of a grid surface: screen points to normalized coordinates and back, and
// how cards at the same spot fan out. No DOM access, so it is unit-tested directly.

/** A rectangle on screen, as getBoundingClientRect gives it. */
export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** A normalized point on a grid: x from the left edge, y from the bottom edge, both 0..1. */
export interface GridPoint {
  x: number;
  y: number;
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

/**
 * The normalized point under the screen point (clientX, clientY). A point outside the
 * surface lands on its nearest edge, so a card dropped beside the grid stays on it.
 */
export function toGridPoint(rect: Rect, clientX: number, clientY: number): GridPoint {
  if (rect.width <= 0 || rect.height <= 0) return { x: 0.5, y: 0.5 };
  return {
    x: clamp01((clientX - rect.left) / rect.width),
    y: clamp01(1 - (clientY - rect.top) / rect.height),
  };
}

/** The screen point of a normalized point. */
export function toScreenPoint(rect: Rect, point: GridPoint): { clientX: number; clientY: number } {
  return {
    clientX: rect.left + point.x * rect.width,
    clientY: rect.top + (1 - point.y) * rect.height,
  };
}

/** Whether the screen point is inside the rectangle. */
export function contains(rect: Rect, clientX: number, clientY: number): boolean {
  return (
    clientX >= rect.left &&
    clientX <= rect.left + rect.width &&
    clientY >= rect.top &&
    clientY <= rect.top + rect.height
  );
}

/** Moves a point by (dx, dy) in normalized units, staying on the grid. */
export function nudge(point: GridPoint, dx: number, dy: number): GridPoint {
  return { x: clamp01(point.x + dx), y: clamp01(point.y + dy) };
}

/**
 * How far (in pixels) to shift each card so that no card hides another completely: a card
 * whose centre falls within `near` pixels of an earlier card's is shifted by `step` pixels
 * for each such card, down and to the right, like a fanned stack.
 *
 * Cells of `near` pixels make this linear in the number of cards. Before the grid has a
 * size (its first frame) no card is shifted: the shifts come with the size, and only the
 * stacked cards change then.
 */
export function fanOffsets(
  points: GridPoint[],
  width: number,
  height: number,
  near = 10,
  step = 16,
): number[] {
  if (width <= 0 || height <= 0) return points.map(() => 0);
  const cells = new Map<string, number[]>();
  const pixels = points.map((p) => ({ px: p.x * width, py: (1 - p.y) * height }));
  return pixels.map(({ px, py }, index) => {
    const cx = Math.floor(px / near);
    const cy = Math.floor(py / near);
    let stacked = 0;
    for (let i = cx - 1; i <= cx + 1; i++) {
      for (let j = cy - 1; j <= cy + 1; j++) {
        for (const other of cells.get(`${i},${j}`) ?? []) {
          const o = pixels[other];
          if (Math.abs(o.px - px) < near && Math.abs(o.py - py) < near) stacked++;
        }
      }
    }
    const key = `${cx},${cy}`;
    const list = cells.get(key);
    if (list) list.push(index);
    else cells.set(key, [index]);
    return stacked * step;
  });
}
