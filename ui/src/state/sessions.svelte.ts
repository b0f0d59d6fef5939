// The list of sessions: every session, the recently deleted ones, read anew when any
// program changes the list; and what is done to a session from the list — create, rename,
// copy, delete, restore, import, start a follow-up, open the sample.
import { api } from '../api';
import type { FollowUpFields } from '../generated/FollowUpFields';
import type { SessionFields } from '../generated/SessionFields';
import type { SessionListing } from '../generated/SessionListing';
import { t } from '../lib/i18n.svelte';
import { workshop } from './workshop.svelte';

class Sessions {
  /** Every session, most recent first. */
  all = $state<SessionListing[]>([]);
  /** Sessions deleted in the last 30 days, which can still be restored. */
  deleted = $state<SessionListing[]>([]);
  /** Whether the session list has been read at least once. */
  loaded = $state(false);

  async refresh() {
    [this.all, this.deleted] = await Promise.all([api.listSessions(), api.deletedSessions()]);
    this.loaded = true;
  }

  /** Whether the session list is being read, and whether it must be read once more after. */
  private listing: Promise<void> | null = null;
  private listAgain = false;

  /**
   * The list of sessions changed (created, renamed, deleted, restored — by this window or
   * any other program): it is read anew, once for a burst of changes. An open session that
   * left the list closes, saying why.
   */
  async changed() {
    if (this.listing) {
      this.listAgain = true;
      return this.listing;
    }
    this.listing = (async () => {
      do {
        this.listAgain = false;
        try {
          await this.refresh();
        } catch (thrown) {
          workshop.report(thrown);
          return;
        }
      } while (this.listAgain);
      const open = workshop.data?.session.id;
      if (open && !this.all.some((s) => s.id === open)) await workshop.reload();
    })().finally(() => (this.listing = null));
    return this.listing;
  }

  async create(fields: SessionFields) {
    const session = await api.createSession(fields);
    await workshop.openSession(session.id);
  }

  /** Renames a session on the list: shown at once; the list read anew follows, as every
   * window's does. */
  async rename(id: string, title: string) {
    const renamed = await api.renameSession(id, title);
    this.all = this.all.map((s) => (s.id === id ? { ...s, title: renamed.value.title } : s));
  }

  /** Imports a map made elsewhere (Powermap, Kumu, Oligrapher) as a new session and opens it. */
  async importMap(paths: string[]) {
    const id = await api.importMap(paths);
    await workshop.openSession(id);
    workshop.inform(t('window.state.imported', { title: workshop.data?.session.title ?? '' }));
  }

  /** Starts the next meeting of the session's campaign and opens it. */
  async startFollowUp(id: string, fields: FollowUpFields) {
    const next = await api.startFollowUp(id, fields);
    await workshop.openSession(next.id);
    const reviews = workshop.data?.reviews.length ?? 0;
    workshop.inform(
      reviews === 0
        ? t('window.state.started-none', { title: next.title })
        : t('window.state.started', { title: next.title, count: reviews }),
    );
  }

  async duplicate(id: string) {
    const copy = await api.duplicateSession(id);
    workshop.inform(t('window.state.copied', { title: copy.title }));
  }

  /**
   * Deletes a session: it moves to "recently deleted" (kept 30 days, also across restarts);
   * the notice that follows offers Undo.
   */
  async delete(id: string) {
    const deleted = await api.deleteSession(id);
    workshop.notice = {
      kind: 'info',
      text: t('window.state.deleted', { title: deleted.title }),
      action: { label: t('window.common.undo'), run: () => this.restore(id) },
    };
  }

  /** Brings a deleted session back into the list. */
  async restore(id: string) {
    const restored = await api.restoreSession(id);
    workshop.inform(t('window.state.restored', { title: restored.title }));
  }

  async openSample() {
    const id = await api.createSampleSession();
    await workshop.openSession(id);
  }
}

/** The list of sessions. */
export const sessions = new Sessions();
