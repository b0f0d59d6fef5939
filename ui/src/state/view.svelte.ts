// How the window shows things, apart from what it shows: magnification, projector mode,
// what the grid draws besides the cards, and which dialogs and overlays are open.
class View {
  /** How much the grid is magnified: 1 fits the window. */
  zoom = $state(1);
  /** Projector mode: editing chrome hidden, large type, high contrast. */
  projector = $state(false);
  /** In a follow-up: whether every card's place last time shows (faintly, with an arrow to
   * where it stands now). Cards still in the tray show theirs always. */
  showLastTime = $state(false);
  /** Which relationships the grid draws: none, the selected card's, or all. */
  showRelationships = $state<'none' | 'selected' | 'all'>('none');
  /** The card a search found, highlighted for a moment. */
  highlightId = $state<string | null>(null);
  /** Whether the keyboard-shortcuts overlay is shown. */
  helpOpen = $state(false);
  /** Whether Settings (language, theme) is open. */
  settingsOpen = $state(false);
  /** Whether the new-session form is open (Ctrl+N asks for it from anywhere). */
  creating = $state(false);
  /** The session whose follow-up is being started (the dialog is open), if any. */
  followingUp = $state<{ id: string; title: string } | null>(null);
  /** Whether the printable summary is shown. */
  summaryOpen = $state(false);
  /** Printing asked for (Ctrl+P, the menu): the summary prints once its page is in. */
  printAsked = $state(false);
  /** Whether the export dialog is open. */
  exportOpen = $state(false);
  /** The *Share this campaign* dialog of the open session. */
  shareOpen = $state(false);
}

/** How the window shows things. */
export const view = new View();
