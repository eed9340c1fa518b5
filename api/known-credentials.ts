// The hashes of every live API key and console session, kept in memory by each API process,
// so a credential can be told good from unknown without asking Postgres: a good key goes
// through even while its client's address is throttled for a flood of unknown ones, and the
// flood itself costs no database work. The set is reloaded when a hash is not in it (at most
// once per `reloadAfterMs`, one load at a time), so a key made by another API process is known
// within that time. A revoked key's lookup refuses it and takes it out of the set, so its
// next requests are throttled like guesses.
export class KnownCredentials {
  private hashes = new Set<string>();
  private loadedAt = Number.NEGATIVE_INFINITY;
  private loading: Promise<void> | undefined;

  constructor(
    private readonly load: () => Promise<readonly string[]>,
    private readonly reloadAfterMs = 2_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether `hash` is (as far as this process knows) a live credential. */
  async has(hash: string): Promise<boolean> {
    if (this.hashes.has(hash)) return true;
    if (this.now() - this.loadedAt >= this.reloadAfterMs) await this.reload();
    return this.hashes.has(hash);
  }

  /** A credential this process just made. */
  add(hash: string): void {
    this.hashes.add(hash);
  }

  /** A credential its lookup found revoked or ended: from now on it is a guess like any other, until a reload says otherwise. */
  forget(hash: string): void {
    this.hashes.delete(hash);
  }

  private reload(): Promise<void> {
    this.loading ??= this.load()
      .then((hashes) => {
        this.hashes = new Set(hashes);
      })
      .finally(() => {
        // A failed load (Postgres not answering) also waits its turn: a flood must not become a flood of loads.
        this.loadedAt = this.now();
        this.loading = undefined;
      });
    return this.loading;
  }
}
