// Counts the Temporal Cloud actions a document's workflow causes, for its cost. Counting only: it adds
// no command, so histories replay unchanged.

/** What Temporal Cloud bills as an action (see DESIGN.md, "Facts: Temporal"). */
export const ActionKind = {
  START: 'start',
  /** An activity scheduled, local ones included (completeClaim). */
  ACTIVITY: 'activity',
  HEARTBEAT: 'heartbeat',
  SIGNAL: 'signal',
  UPDATE: 'update',
  TIMER: 'timer',
  UPSERT: 'upsert',
} as const;
export type ActionKind = (typeof ActionKind)[keyof typeof ActionKind];

/**
 * The actions counted so far, by kind. What the workflow cannot see is left out: activity retries,
 * heartbeats other than the Textract poll's, and queries (they do not reach the workflow's history).
 */
export class ActionCounter {
  private readonly counts = new Map<ActionKind, number>([[ActionKind.START, 1]]);

  add(kind: ActionKind, n = 1): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + n);
  }

  get total(): number {
    let sum = 0;
    for (const n of this.counts.values()) sum += n;
    return sum;
  }

  byKind(): Partial<Record<ActionKind, number>> {
    return Object.fromEntries(this.counts);
  }
}
