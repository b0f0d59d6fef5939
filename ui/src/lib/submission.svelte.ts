// What every dialog does with its work: busy while it runs (its buttons wait), and a failure
// put into words for the person, kept until the next try. One place, so the dialogs agree.
import { toApiError } from '../api';

export class Submission {
  busy = $state(false);
  error = $state('');

  /** Runs `work`; true if it succeeded, else false with `error` saying why. */
  async run(work: () => Promise<unknown>): Promise<boolean> {
    this.busy = true;
    this.error = '';
    try {
      await work();
      return true;
    } catch (thrown) {
      this.error = toApiError(thrown).message;
      return false;
    } finally {
      this.busy = false;
    }
  }

  /** A dialog opened afresh: no failure shown. */
  reset() {
    this.error = '';
  }
}
