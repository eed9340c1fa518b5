// A first-come-first-served gate: at most `limit` holders at once, the rest queue in arrival
// order, each for at most its own time. Order intake puts `?wait=routed` behind one: past a
// few concurrent routing waits a single Temporal server only gets slower for all of them, so
// queueing the rest keeps every wait short instead of making a few very long (the tail).
export class FifoGate {
  private active = 0;
  private readonly waiting: { grant: () => void }[] = [];

  constructor(readonly limit: number) {}

  /** Waits for a place: the function that gives it back, or undefined when `timeoutMs` ran out first. */
  acquire(timeoutMs: number): Promise<(() => void) | undefined> {
    if (this.active < this.limit && this.waiting.length === 0) {
      this.active += 1;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve) => {
      const entry = {
        grant: () => {
          clearTimeout(timer);
          this.active += 1;
          resolve(this.releaser());
        },
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(entry), 1);
        resolve(undefined);
      }, Math.max(0, timeoutMs));
      this.waiting.push(entry);
    });
  }

  /** Holders and queued requests right now (for metrics and tests). */
  get load(): { active: number; queued: number } {
    return { active: this.active, queued: this.waiting.length };
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active -= 1;
      this.waiting.shift()?.grant();
    };
  }
}
