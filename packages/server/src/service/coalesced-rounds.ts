/**
 * Runs a round of work when asked: rounds never overlap, and every request made during a round
 * folds into one more round after it (so a burst of commits costs two rounds, not one each).
 */
export class CoalescedRounds {
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly round: () => Promise<void>,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Asks for a round. */
  request(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.round()
      .catch(this.onError)
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.request();
        }
      });
  }

  /** Runs no more rounds; waits for the one in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }
}
