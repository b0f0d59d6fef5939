// Moving cards on the grid shown, optimistically: a card is drawn where the person put it
// at once, while the move is stored; the stored state comes back as a change to the open
// session. `placementsHere` is what the grid draws: the stored placements with the moves
// in progress over them.
import { SvelteMap } from 'svelte/reactivity';

import { api } from '../api';
import type { Placement } from '../generated/Placement';
import type { GridPoint } from '../lib/geometry';
import { workshop } from './workshop.svelte';

class Moves {
  /**
   * Shows cards where the person put them while their moves are stored (`null`: in the
   * tray), by grid and organization; the stored state comes back as a change. A newer move
   * of the same card replaces an older one's entry, which then stays until its own reply.
   */
  pending = new SvelteMap<string, { token: number; placement: Placement | null }>();
  private nextToken = 0;

  /** The placements on the grid shown, by organization id: as stored, or as a move in
   * progress shows them. */
  readonly placementsHere: Map<string, Placement> = $derived.by(() => {
    const here = new Map<string, Placement>();
    for (const p of workshop.data?.placements ?? []) {
      if (p.gridId === workshop.gridId) here.set(p.organizationId, p);
    }
    for (const [key, { placement }] of this.pending) {
      const [gridId, organizationId] = key.split(' ');
      if (gridId !== workshop.gridId) continue;
      if (placement) here.set(organizationId, placement);
      else here.delete(organizationId);
    }
    return here;
  });

  /** Runs `store` with the cards of `shown` drawn there meanwhile; reports a failure. */
  private async moving(gridId: string, shown: Map<string, Placement | null>, store: () => Promise<void>) {
    const token = ++this.nextToken;
    for (const [organizationId, placement] of shown) this.pending.set(`${gridId} ${organizationId}`, { token, placement });
    try {
      await store();
    } catch (thrown) {
      workshop.report(thrown);
    } finally {
      for (const organizationId of shown.keys()) {
        const key = `${gridId} ${organizationId}`;
        if (this.pending.get(key)?.token === token) this.pending.delete(key);
      }
    }
  }

  /** Puts the card on the grid shown at `point`: drawn there at once, then stored. */
  async placeCard(organizationId: string, point: GridPoint) {
    const gridId = workshop.gridId;
    if (!workshop.data || !gridId) return;
    const movedBy = workshop.movingAs;
    const shown: Placement = { gridId, organizationId, x: point.x, y: point.y, movedBy, movedAt: Date.now() };
    await this.moving(gridId, new Map([[organizationId, shown]]), async () => {
      workshop.applied(await api.placeCard(gridId, organizationId, point.x, point.y, movedBy));
    });
  }

  /** Sends the card on the grid shown back to its tray (at once, then stored). */
  async returnToTray(organizationId: string) {
    const gridId = workshop.gridId;
    if (!workshop.data || !gridId || !this.placementsHere.has(organizationId)) return;
    await this.moving(gridId, new Map([[organizationId, null]]), async () => {
      workshop.applied(await api.returnCardToTray(gridId, organizationId));
    });
  }

  /** Moves several cards of the grid shown together (one step to undo): drawn at once, then stored. */
  async placeCards(moves: { organizationId: string; x: number; y: number }[]) {
    const gridId = workshop.gridId;
    if (!workshop.data || !gridId || moves.length === 0) return;
    const movedBy = workshop.movingAs;
    const shown = new Map<string, Placement | null>(
      moves.map((m) => [m.organizationId, { gridId, ...m, movedBy, movedAt: Date.now() }]),
    );
    await this.moving(gridId, shown, async () => {
      workshop.applied(await api.placeCards(gridId, moves, movedBy));
    });
  }
}

/** The cards being moved, and where the grid shown draws every card. */
export const moves = new Moves();
