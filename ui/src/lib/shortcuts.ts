// The keyboard shortcuts of an open session, and the native menu's items, mapped onto one
// set of actions so each action has a single path.
import { view } from '../state/view.svelte';
import { workshop } from '../state/workshop.svelte';
import { setFullscreen } from './windowControls';

/** What the menu's items and the shortcuts can ask for. */
export type Action =
  | 'new-session'
  | 'undo'
  | 'redo'
  | 'fullscreen'
  | 'projector'
  | 'help'
  | 'settings'
  | 'find'
  | 'zoom-in'
  | 'zoom-out'
  | 'zoom-fit'
  | 'deselect'
  | 'print'
  | 'export'
  | 'share';

const ZOOMS = [1, 1.25, 1.5, 2, 2.5, 3];

/** Runs an action; `find` focuses the search box the session view registered. */
export async function run(action: Action, find?: () => void) {
  switch (action) {
    case 'new-session':
      if (workshop.data) await workshop.closeSession();
      view.creating = true;
      break;
    case 'undo':
      await workshop.undo();
      break;
    case 'redo':
      await workshop.redo();
      break;
    case 'fullscreen':
      await setFullscreen().catch((e) => workshop.report(e));
      break;
    case 'projector':
      await toggleProjector();
      break;
    case 'help':
      view.helpOpen = !view.helpOpen;
      break;
    case 'settings':
      view.settingsOpen = true;
      break;
    case 'find':
      find?.();
      break;
    case 'zoom-in':
      view.zoom = ZOOMS.find((z) => z > view.zoom) ?? view.zoom;
      break;
    case 'zoom-out':
      view.zoom = [...ZOOMS].reverse().find((z) => z < view.zoom) ?? 1;
      break;
    case 'zoom-fit':
      view.zoom = 1;
      break;
    case 'deselect':
      workshop.selection = [];
      break;
    case 'print':
      if (!workshop.data) return;
      view.printAsked = true;
      view.summaryOpen = true;
      break;
    case 'export':
      if (workshop.data) view.exportOpen = true;
      break;
    case 'share':
      if (workshop.data) view.shareOpen = true;
      break;
  }
}

/** Projector mode on or off, full screen with it. */
export async function toggleProjector() {
  if (!workshop.data) return;
  view.projector = !view.projector;
  await setFullscreen(view.projector).catch(() => {
    // Full screen may be refused (no window manager); projector mode still applies.
  });
}

/** The action a key press asks for, or null. Text fields keep their own keys. */
export function actionFor(event: KeyboardEvent): Action | null {
  const target = event.target as HTMLElement | null;
  const typing = !!target?.closest('input, textarea, select, [contenteditable="true"]');
  const ctrl = event.ctrlKey || event.metaKey;
  const key = event.key;
  if (key === 'F11') return 'fullscreen';
  if (ctrl && !event.altKey) {
    const lower = key.toLowerCase();
    if (lower === 'f') return 'find';
    if (lower === 'p') return 'print';
    if (lower === 'e') return 'export';
    if (typing) return null;
    if (lower === 'z') return event.shiftKey ? 'redo' : 'undo';
    if (lower === 'y') return 'redo';
    return null;
  }
  // A dialog open (or the summary, shown over the session) keeps its keys.
  if (typing || event.altKey || document.querySelector('dialog[open], [data-summary-view]')) return null;
  if (key === '?') return 'help';
  if (key === 'p' || key === 'P') return 'projector';
  if (key === '+' || key === '=') return 'zoom-in';
  if (key === '-') return 'zoom-out';
  if (key === '0') return 'zoom-fit';
  if (key === 'Escape') return 'deselect';
  return null;
}
