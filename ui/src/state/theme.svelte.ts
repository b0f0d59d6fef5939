// The window's colour theme: the one chosen in Settings (kept in the settings file, beside
// the language) or the desktop's, and the move of a choice earlier versions kept in the
// window's web storage into that file.
import { api } from '../api';
import type { Theme } from '../generated/Theme';
import { workshop } from './workshop.svelte';

/** Where earlier versions kept the theme: the window's web storage. */
const FORMER_THEME = 'powermap.theme';

class ColourTheme {
  /** The colour theme chosen (kept in the settings file, beside the language); null follows
   * the desktop's. */
  choice = $state<Theme | null>(null);
  /** Whether the desktop prefers dark colours, as the web view reads it. */
  desktopDark = $state(false);
  /** The colour theme the window shows. */
  readonly current: Theme = $derived(this.choice ?? (this.desktopDark ? 'dark' : 'light'));

  /** Chooses the colour theme (null: the desktop's) at once, and keeps the choice for the next runs. */
  async choose(choice: Theme | null) {
    const was = this.choice;
    this.choice = choice;
    try {
      await api.chooseTheme(choice);
    } catch (thrown) {
      this.choice = was;
      workshop.report(thrown);
    }
  }

  /**
   * The theme the window starts with: the one chosen in the settings file; else one an
   * earlier version kept in the window's web storage, moved into the file now; else the
   * desktop's, followed as it changes.
   */
  start(chosen: Theme | null) {
    const desktop = matchMedia('(prefers-color-scheme: dark)');
    this.desktopDark = desktop.matches;
    desktop.addEventListener('change', (event) => (this.desktopDark = event.matches));
    const former = localStorage.getItem(FORMER_THEME);
    localStorage.removeItem(FORMER_THEME);
    if (chosen) this.choice = chosen;
    else if (former === 'dark') void this.choose('dark');
  }
}

/** The window's colour theme. */
export const theme = new ColourTheme();
