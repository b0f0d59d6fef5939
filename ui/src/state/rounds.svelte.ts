// Private rounds of the open session: everyone places the cards alone, on their own device,
// then the answers are revealed together and the room agrees each card's place. This holds
// the round under way, how many have answered, the revealed answers and the card discussed.
import { api } from '../api';
import type { Round } from '../generated/Round';
import type { RoundFields } from '../generated/RoundFields';
import type { RoundProgress } from '../generated/RoundProgress';
import type { RoundResults } from '../generated/RoundResults';
import { moves } from './moves.svelte';
import { workshop } from './workshop.svelte';

class Rounds {
  /** While a private round takes answers: how many have answered (read again and again). */
  progress = $state<RoundProgress | null>(null);
  /** A revealed round's answers, shown on its grid. */
  results = $state<RoundResults | null>(null);
  /** The card of the revealed round the room is discussing (its answers are drawn). */
  focus = $state<string | null>(null);

  /** The session's round that has not ended (taking answers, or revealed), if any. */
  get current(): Round | null {
    const last = workshop.data?.rounds.at(-1);
    return last && last.closedAt === null ? last : null;
  }

  /** Starts a private round; the grid shown becomes the round's. */
  async start(fields: RoundFields) {
    if (!workshop.data) return;
    const round = workshop.applied(await api.startRound(workshop.data.session.id, fields));
    workshop.gridId = round.gridId;
    this.results = null;
    this.progress = null;
  }

  async refreshProgress() {
    const round = this.current;
    this.progress = round ? await api.roundProgress(round.id) : null;
  }

  /** Reveals the round's answers: the most disputed card first, on the round's grid. */
  async reveal() {
    const round = this.current;
    if (!round) return;
    workshop.applied(await api.revealRound(round.id));
    await this.readResults();
    this.focus = this.results?.cards[0]?.organizationId ?? null;
    workshop.selectedId = this.focus;
    workshop.gridId = round.gridId;
  }

  /** Reads the revealed round's answers (again, after names were shown or hidden). */
  async readResults() {
    const round = this.current;
    this.results = round && round.revealedAt !== null ? await api.roundResults(round.id) : null;
  }

  async showNames(shown: boolean) {
    const round = this.current;
    if (!round) return;
    workshop.applied(await api.showRoundNames(round.id, shown));
    await this.readResults();
  }

  async end() {
    const round = this.current;
    if (!round) return;
    workshop.applied(await api.endRound(round.id));
    this.results = null;
    this.progress = null;
    this.focus = null;
  }

  /** Sets the agreed place of a revealed card: at the answers' median. */
  async agreeAtMedian(organizationId: string) {
    const card = this.results?.cards.find((c) => c.organizationId === organizationId);
    const round = this.current;
    if (!card || !round) return;
    workshop.gridId = round.gridId;
    await moves.placeCard(organizationId, { x: card.medianX, y: card.medianY });
  }
}

/** The open session's private round. */
export const rounds = new Rounds();
