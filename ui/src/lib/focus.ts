// Where the keyboard focus goes when what held it goes away, so a keyboard or screen-reader
// user is never left on the page's body, out of everything.

/**
 * Focuses `element` (what had the focus before a dialog opened) if it is still shown;
 * otherwise the screen's main area, so the next Tab starts from there.
 */
export function restoreFocus(element: Element | null) {
  if (element instanceof HTMLElement && element !== document.body && element.isConnected && element.getClientRects().length > 0) {
    element.focus();
    return;
  }
  const main = document.querySelector('main');
  if (!(main instanceof HTMLElement)) return;
  if (!main.hasAttribute('tabindex')) main.tabIndex = -1;
  main.focus();
}

/**
 * Keeps the focus in the page when the element holding it is taken out (a card removed, a
 * panel redrawn for another selection): the focus goes to the screen's main area instead
 * of the body. Called once, by the window's entry.
 */
export function keepFocus() {
  let last: Element | null = null;
  document.addEventListener('focusin', (event) => {
    last = event.target instanceof Element ? event.target : null;
  });
  new MutationObserver(() => {
    if (last && !last.isConnected && (document.activeElement === null || document.activeElement === document.body)) {
      last = null;
      restoreFocus(null);
    }
  }).observe(document.body, { childList: true, subtree: true });
}
