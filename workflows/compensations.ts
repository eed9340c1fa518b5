// The saga shape: each step that must be undone if the workflow ends early registers its
// undo; on the way out the undos run last first, each told why the workflow is ending.
export class Compensations {
  private readonly undos: ((reason: unknown) => Promise<void>)[] = [];

  add(undo: (reason: unknown) => Promise<void>): void {
    this.undos.push(undo);
  }

  async unwind(reason: unknown): Promise<void> {
    for (const undo of [...this.undos].reverse()) await undo(reason);
  }
}
