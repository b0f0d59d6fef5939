// The organization cards of a grid or of its tray, drawn straight into the page: one
// element per card, made once and afterwards changed only where its card changed. A
// component per card (and its reactive bookkeeping) made opening a 500-card session spend
// most of its time before the first frame; this draws them in a few milliseconds and
// follows every change by comparing a handful of strings per card.
//
// The test contract: `data-card`, `data-org-id`, and an accessible name equal to the
// organization's name (`aria-label`); `aria-pressed` says whether the card is selected, and
// the tooltip (`title`, which a screen reader says after the name) its place and marks.
// The look is styles/cards.css. The pointer and the keyboard are the host's to handle:
// `cardAt(event)` says which card an event reached.
import type { Organization } from '../generated/Organization';
import { t } from './i18n.svelte';

/** Everything a card shows: the whole of what `CardLayer.update` compares. */
export interface CardView {
  id: string;
  /** The organization's name: the card's accessible name. */
  name: string;
  /** The words on the card: its short label, or its name. */
  label: string;
  colour: string;
  directlyAffected: boolean;
  /** Open commitments, shown as a badge when above 0. */
  open: number;
  /** The tooltip: the whole name, the place, what the marks show. */
  description: string;
  selected: boolean;
  /** Dragged away: the card stays, faint, where it was. */
  lifted: boolean;
  /** Found by the search: it pulses for a moment. */
  found: boolean;
  /** On a grid, the card's point as custom properties (`--x`, `--y`, `--fan`); '' in the tray. */
  position: string;
}

/** What a card shows of `organization`, wherever it is. `place` is its place in words ('' in the tray). */
export function cardView(
  organization: Organization,
  state: { place: string; position: string; open: number; selected: boolean; lifted: boolean; found: boolean },
): CardView {
  const onGrid = state.position !== '';
  const description = [
    organization.name,
    onGrid ? state.place : t('window.card.in-tray'),
    organization.directlyAffected ? t('window.card.directly-affected') : '',
    state.open > 0 ? t('window.card.open-commitments', { count: state.open }) : '',
  ]
    .filter(Boolean)
    .join(' — ');
  return {
    id: organization.id,
    name: organization.name,
    label: organization.shortLabel || organization.name,
    colour: organization.colour,
    directlyAffected: organization.directlyAffected,
    open: state.open,
    description,
    selected: state.selected,
    lifted: state.lifted,
    found: state.found,
    position: state.position,
  };
}

/** The id of the card an event happened on (or in), and its element; null elsewhere. */
export function cardAt(event: Event): { id: string; element: HTMLElement } | null {
  const element = event.target instanceof Element ? event.target.closest<HTMLElement>('[data-card]') : null;
  const id = element?.dataset.orgId;
  return element && id ? { id, element } : null;
}

interface Drawn {
  element: HTMLButtonElement;
  view: CardView;
  /** The badge, when the card has open commitments. */
  badge: HTMLSpanElement | null;
}

/**
 * A function that draws cards into the element it is given (see CardLayer.update); given
 * another element (its host was made anew), it draws there from scratch.
 */
export function cardDrawer(onGrid: boolean) {
  let layer: CardLayer | null = null;
  return (host: HTMLElement | null | undefined, cards: readonly CardView[]) => {
    if (!host) return;
    if (layer?.host !== host) layer = new CardLayer(host, onGrid);
    layer.update(cards);
  };
}

/** The cards drawn into `host` (an element nothing else puts children in), kept by id. */
export class CardLayer {
  private readonly drawn = new Map<string, Drawn>();

  constructor(
    /** The element the cards are drawn into. */
    readonly host: HTMLElement,
    private readonly onGrid: boolean,
  ) {}

  /**
   * Draws `cards` in their order (a later card lies over an earlier one): a new card gets an
   * element, a card gone loses its own, and every other element changes only where its
   * card did. An element is never moved unless the order changed, so a focused card keeps
   * the focus through every change.
   */
  update(cards: readonly CardView[]) {
    const shown = new Set<string>();
    let next: ChildNode | null = this.host.firstChild;
    for (const view of cards) {
      shown.add(view.id);
      let drawn = this.drawn.get(view.id);
      if (!drawn) {
        drawn = this.make(view);
        this.drawn.set(view.id, drawn);
      } else if (drawn.view !== view) {
        this.change(drawn, view);
      }
      if (drawn.element === next) next = next.nextSibling;
      else this.host.insertBefore(drawn.element, next);
    }
    for (const [id, drawn] of this.drawn) {
      if (shown.has(id)) continue;
      drawn.element.remove();
      this.drawn.delete(id);
    }
  }

  private make(view: CardView): Drawn {
    const element = document.createElement('button');
    element.type = 'button';
    element.className = this.className(view);
    element.dataset.card = '';
    element.dataset.orgId = view.id;
    element.setAttribute('aria-label', view.name);
    element.setAttribute('aria-pressed', String(view.selected));
    element.title = view.description;
    element.setAttribute('style', this.style(view));
    const drawn: Drawn = { element, view, badge: null };
    this.fill(drawn);
    return drawn;
  }

  private change(drawn: Drawn, view: CardView) {
    const { element, view: was } = drawn;
    drawn.view = view;
    if (
      was.selected !== view.selected ||
      was.lifted !== view.lifted ||
      was.found !== view.found
    ) {
      element.className = this.className(view);
    }
    if (was.selected !== view.selected) element.setAttribute('aria-pressed', String(view.selected));
    if (was.name !== view.name) element.setAttribute('aria-label', view.name);
    if (was.description !== view.description) element.title = view.description;
    if (was.colour !== view.colour || was.position !== view.position) element.setAttribute('style', this.style(view));
    if (was.label !== view.label || was.directlyAffected !== view.directlyAffected || was.open !== view.open) {
      this.fill(drawn);
    } else if (drawn.badge && was.description !== view.description) {
      drawn.badge.title = t('window.card.open-commitments', { count: view.open });
    }
  }

  /** The card's contents: the directly-affected star, its words, the open-commitments badge. */
  private fill(drawn: Drawn) {
    const { element, view } = drawn;
    const parts: Node[] = [];
    if (view.directlyAffected) parts.push(span('affected', '★'));
    parts.push(span('label', view.label, false));
    drawn.badge = null;
    if (view.open > 0) {
      drawn.badge = span('badge', String(view.open));
      drawn.badge.title = t('window.card.open-commitments', { count: view.open });
      parts.push(drawn.badge);
    }
    element.replaceChildren(...parts);
  }

  private className(view: CardView) {
    let name = this.onGrid ? 'org-card on-grid grid-card' : 'org-card';
    if (view.lifted) name += ' lifted';
    if (view.selected) name += ' selected';
    if (view.found) name += ' found';
    return name;
  }

  private style(view: CardView) {
    return `--card-colour: ${view.colour};${view.position ? ` ${view.position}` : ''}`;
  }
}

/** A span of the card; its marks are hidden from screen readers (the tooltip says them). */
function span(className: string, text: string, hidden = true) {
  const element = document.createElement('span');
  element.className = className;
  if (hidden) element.setAttribute('aria-hidden', 'true');
  element.textContent = text;
  return element;
}
