/**
 * Runs tasks one after another in the order they were added, each to its end (awaits included) before the
 * next starts. A task that throws hands its error to its own `fail` and the queue goes on with the next.
 */
export class CommandQueue {
  private tail: Promise<void> = Promise.resolve();

  add(task: () => Promise<void> | void, fail: (error: unknown) => void): void {
    this.tail = this.tail.then(async () => {
      try {
        await task();
      } catch (error) {
        fail(error);
      }
    });
  }
}
