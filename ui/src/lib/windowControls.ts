// The window itself: full screen, through Tauri's window API (allowed by the main window's
// capability). Kept apart from api.ts, which is the door to Powermap's own commands.
import { getCurrentWindow } from '@tauri-apps/api/window';

/** Turns full screen on or off (or toggles it); returns whether it is now full screen. */
export async function setFullscreen(on?: boolean): Promise<boolean> {
  const window = getCurrentWindow();
  const target = on ?? !(await window.isFullscreen());
  await window.setFullscreen(target);
  return target;
}
