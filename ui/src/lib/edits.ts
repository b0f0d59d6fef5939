// Saving a form without undoing anyone else's change. A form opens on a row as it was
// (`base`); while the person types, others may change the same row (another window, the
// command line, a participant), and the window's copy follows them (`current`). What is
// saved is the person's edit on top of `current`: the fields they changed take their
// value, every other field keeps its newest one — never the stale value the form started
// from.

const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

/** The fields of `mine` the person changed from `base`, over `current` for the rest. */
export function mergeEdit<T extends object>(base: T, mine: T, current: T): T {
  const merged = { ...mine };
  for (const key of Object.keys(mine) as (keyof T)[]) {
    if (same(mine[key], base[key]) && key in current) merged[key] = current[key];
  }
  return merged;
}
