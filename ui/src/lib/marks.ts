// When a screen has been drawn, as a User Timing mark (`performance.mark`): set after the
// frame that shows it has done its style, layout and paint. The startup benchmark
// (tests/e2e/bench-startup.mjs) reads them, and a profiler shows them on its timeline.

/** The session list's first drawing. */
export const SESSIONS_SHOWN = 'powermap:sessions-shown';
/** An opened session's rows, arrived from the backend. */
export const SESSION_READ = 'powermap:session-read';
/** An opened session's page built (its elements made, before their first frame). */
export const SESSION_BUILT = 'powermap:session-built';
/** An opened session's grid with every card on it. */
export const SESSION_SHOWN = 'powermap:session-shown';

/** Sets the mark `name` once the next frame has been drawn. */
export function markDrawn(name: string) {
  // A timer set in the frame's callback runs once the frame's style, layout and paint are
  // done. (Not a MessageChannel's message, the usual way elsewhere: WebKit carries it through
  // another of its processes, which adds 2–10 ms that are not the page's.)
  requestAnimationFrame(() => setTimeout(() => performance.mark(name), 0));
}

const marked = new Set<string>();

/** Like `markDrawn`, the first time only: a screen drawn again is not its first drawing. */
export function markFirstDrawn(name: string) {
  if (marked.has(name)) return;
  marked.add(name);
  markDrawn(name);
}
