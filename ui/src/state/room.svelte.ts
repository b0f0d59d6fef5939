// The room on its own devices: participants' browsers on the local network join the open
// session (its address, code and how many joined); started, moved and stopped from here.
import { api } from '../api';
import type { RoomInfo } from '../generated/RoomInfo';
import { t } from '../lib/i18n.svelte';
import { workshop } from './workshop.svelte';

class Room {
  /** The open room (participants' devices may join), if any. */
  info = $state<RoomInfo | null>(null);

  /** Lets the room join the open session (on `address`, one of this computer's, if given:
   * a room already open moves there, with a new code). */
  async start(address: string | null = null) {
    if (!workshop.data) return;
    this.info = await api.startRoom(workshop.data.session.id, address);
  }

  async refresh() {
    this.info = await api.roomInfo();
  }

  /** Something happened at the room's door: the room is read anew, and a changed code is
   *  said at once (the old one opens nothing any more). */
  async atDoor(what: string) {
    await this.refresh().catch(() => undefined);
    if (what === 'code-changed' && this.info) {
      workshop.warn(t('window.room.code-changed', { code: this.info.code }));
    }
    if (what === 'synced') workshop.inform(t('window.room.laptop-synced'));
  }

  async stop() {
    await api.stopRoom();
    this.info = null;
  }
}

/** The room open to participants' devices. */
export const room = new Room();
