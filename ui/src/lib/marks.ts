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
  requestAnimationFrame(() => {
    // A message posted in the frame's callback is handled after the frame's rendering.
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      performance.mark(name);
      channel.port1.close();
    };
    channel.port2.postMessage(null);
  });
}

const marked = new Set<string>();

/** Like `markDrawn`, the first time only: a screen drawn again is not its first drawing. */
export function markFirstDrawn(name: string) {
  if (marked.has(name)) return;
  marked.add(name);
  markDrawn(name);
}
