interface PendingWrite<T> {
  item: T;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for many concurrent callers' small, independent writes to one table: at most one
 * statement is in flight; the writes that arrive meanwhile go together in the next one. An idle
 * writer sends a write at once (no timer, no added latency); under load, N concurrent writers
 * share one round trip instead of N. Each caller's promise settles with its own batch, so a caller
 * that awaits its write still knows it is stored (or why not).
 *
 * Why (docs/performance.md, "What makes it fast"): a round trip to PostgreSQL costs the worker more
 * CPU than rendering an email, and the delivery log writes one row per email.
 */
export class GroupCommit<T> {
  private pending: PendingWrite<T>[] = [];
  private flushing = false;

  constructor(
    private readonly writeBatch: (items: T[]) => Promise<void>,
    private readonly maxBatch = 200,
  ) {}

  write(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, this.maxBatch);
        try {
          await this.writeBatch(batch.map((write) => write.item));
          for (const write of batch) write.resolve();
        } catch (error) {
          for (const write of batch) write.reject(error);
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
