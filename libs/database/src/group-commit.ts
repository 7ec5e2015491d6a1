interface PendingWrite<T> {
  item: T;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** How an 'idle' GroupCommit may hold writes back to make bigger batches. */
export interface GroupCommitLinger {
  /** A write waits at most this long for others to join it (0: never waits). */
  ms: number;
  /** …unless this many are already waiting: then they go at once. */
  enough: number;
}

export interface GroupCommitOptions {
  /** Largest batch handed to writeBatch (a longer backlog is split). Default 200. */
  maxBatch?: number;
  /**
   * When a batch is written:
   * - `'idle'` (the default): at once when no batch is in flight, else as soon as the one in flight
   *   has settled, with every write that arrived meanwhile. At most one batch is in flight.
   * - `'turn'`: at the end of the current turn of the event loop (setImmediate), with every write
   *   submitted during that turn; batches of successive turns do not wait for each other. For a
   *   writer whose single call already costs less than a batch (a lone write may take its own
   *   path in writeBatch) and that must not hold writes back behind a round trip in flight.
   */
  collect?: 'idle' | 'turn';
  /**
   * 'idle' only: a write may also wait up to `linger.ms` for others (until `linger.enough` are
   * waiting), for writers nobody waits on that want fewer statements than "one in flight" gives (the
   * webhook deliverer's outcomes). Default: none.
   */
  linger?: GroupCommitLinger;
}

/**
 * Group commit for many concurrent callers' small, independent writes (rows of one table, jobs of
 * one queue): the writes go together in one batch, one statement or pipeline and one round trip for
 * N concurrent writers instead of N. Each caller's promise settles with its own batch, so a caller
 * that awaits its write still knows it is stored (or why not). Two ways to collect a batch (see
 * GroupCommitOptions.collect): while the previous batch is in flight (no timer, no added latency
 * for an idle writer), or per turn of the event loop.
 *
 * Why (docs/performance.md, "What makes it fast"): a round trip to PostgreSQL costs the worker more
 * CPU than rendering an email, and the delivery log writes one row per email; the forgot route's
 * job adds share one Redis write per turn (MailProducer).
 */
export class GroupCommit<T> {
  private pending: PendingWrite<T>[] = [];
  private flushing = false;
  private readonly maxBatch: number;
  private readonly perTurn: boolean;
  private readonly linger: GroupCommitLinger;
  private timer?: NodeJS.Timeout;
  /** The linger of the oldest waiting write has run out. */
  private due = false;

  constructor(
    private readonly writeBatch: (items: T[]) => Promise<void>,
    { maxBatch = 200, collect = 'idle', linger = { ms: 0, enough: 1 } }: GroupCommitOptions = {},
  ) {
    this.maxBatch = maxBatch;
    this.perTurn = collect === 'turn';
    this.linger = linger;
  }

  write(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.flushing) return;
      if (this.perTurn) {
        this.flushing = true;
        setImmediate(() => this.flushTurn());
      } else if (this.ready()) void this.flush();
      else this.arm();
    });
  }

  private ready(): boolean {
    return this.pending.length > 0 && (this.linger.ms === 0 || this.due || this.pending.length >= this.linger.enough);
  }

  private arm(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.due = true;
      if (!this.flushing) void this.flush();
    }, this.linger.ms);
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.ready()) {
        this.due = false;
        await this.writeOne(this.pending.splice(0, this.maxBatch));
      }
    } finally {
      this.flushing = false;
      if (this.pending.length > 0) this.arm();
    }
  }

  /** 'turn': everything submitted this turn, in batches of at most maxBatch, none waiting for another. */
  private flushTurn(): void {
    const writes = this.pending;
    this.pending = [];
    this.flushing = false;
    for (let i = 0; i < writes.length; i += this.maxBatch) void this.writeOne(writes.slice(i, i + this.maxBatch));
  }

  private async writeOne(batch: PendingWrite<T>[]): Promise<void> {
    try {
      await this.writeBatch(batch.map((write) => write.item));
      for (const write of batch) write.resolve();
    } catch (error) {
      for (const write of batch) write.reject(error);
    }
  }
}
