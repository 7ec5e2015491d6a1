import { GroupCommit } from './group-commit';

/** A batch writer whose statements the test finishes by hand. */
function controlledWriter() {
  const batches: number[][] = [];
  const finish: Array<(error?: Error) => void> = [];
  const writeBatch = (items: number[]) =>
    new Promise<void>((resolve, reject) => {
      batches.push(items);
      finish.push((error) => (error ? reject(error) : resolve()));
    });
  return { batches, finish, writeBatch };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommit', () => {
  it('writes an idle write at once, and groups the writes that arrive while a statement is in flight', async () => {
    const writer = controlledWriter();
    const commit = new GroupCommit(writer.writeBatch);
    const first = commit.write(1);
    expect(writer.batches).toEqual([[1]]);
    const later = [commit.write(2), commit.write(3), commit.write(4)];
    expect(writer.batches).toEqual([[1]]); // waiting for the statement in flight
    writer.finish[0]();
    await first;
    await tick();
    expect(writer.batches).toEqual([[1], [2, 3, 4]]);
    writer.finish[1]();
    await Promise.all(later);
  });

  it("settles each caller with its own batch: a failed statement rejects only that batch's writes", async () => {
    const writer = controlledWriter();
    const commit = new GroupCommit(writer.writeBatch);
    const first = commit.write(1);
    const second = commit.write(2);
    writer.finish[0](new Error('connection lost'));
    await expect(first).rejects.toThrow('connection lost');
    await tick();
    writer.finish[1]();
    await expect(second).resolves.toBeUndefined();
  });

  it('splits a backlog into batches of at most maxBatch', async () => {
    const writer = controlledWriter();
    const commit = new GroupCommit(writer.writeBatch, { maxBatch: 2 });
    const writes = [1, 2, 3, 4, 5].map((n) => commit.write(n));
    for (let i = 0; i < 3; i++) {
      await tick();
      writer.finish[i]();
    }
    await Promise.all(writes);
    expect(writer.batches).toEqual([[1], [2, 3], [4, 5]]);
  });

  describe("collect: 'turn'", () => {
    it('writes everything submitted in one turn of the event loop as one batch at its end, nothing before', async () => {
      const writer = controlledWriter();
      const commit = new GroupCommit(writer.writeBatch, { collect: 'turn' });
      const writes = [commit.write(1), commit.write(2), commit.write(3)];
      expect(writer.batches).toEqual([]); // not even the first: the turn is not over
      await tick();
      expect(writer.batches).toEqual([[1, 2, 3]]);
      writer.finish[0]();
      await Promise.all(writes);
    });

    it('writes the next turn without waiting for the batch in flight, and settles each caller with its own batch', async () => {
      const writer = controlledWriter();
      const commit = new GroupCommit(writer.writeBatch, { collect: 'turn' });
      const first = commit.write(1);
      await tick();
      const second = [commit.write(2), commit.write(3)];
      await tick();
      expect(writer.batches).toEqual([[1], [2, 3]]); // the first is still in flight
      writer.finish[1]();
      await Promise.all(second);
      writer.finish[0](new Error('connection lost'));
      await expect(first).rejects.toThrow('connection lost');
    });

    it('splits a turn of more than maxBatch writes', async () => {
      const writer = controlledWriter();
      const commit = new GroupCommit(writer.writeBatch, { collect: 'turn', maxBatch: 2 });
      const writes = [1, 2, 3, 4, 5].map((n) => commit.write(n));
      await tick();
      expect(writer.batches).toEqual([[1, 2], [3, 4], [5]]);
      for (const finish of writer.finish) finish();
      await Promise.all(writes);
    });

    it('rejects the callers of a batch whose writer throws at once', async () => {
      const commit = new GroupCommit<number>(
        () => {
          throw new Error('no connection');
        },
        { collect: 'turn' },
      );
      const write = commit.write(1);
      await expect(write).rejects.toThrow('no connection');
    });
  });
});

describe('GroupCommit with a linger', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('holds a write up to linger.ms for others, and sends at once when linger.enough are waiting', async () => {
    const writer = controlledWriter();
    const commit = new GroupCommit(writer.writeBatch, { linger: { ms: 20, enough: 3 } });
    const first = [commit.write(1), commit.write(2)];
    expect(writer.batches).toEqual([]);
    jest.advanceTimersByTime(19);
    expect(writer.batches).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(writer.batches).toEqual([[1, 2]]);
    writer.finish[0]();
    await Promise.all(first);
    const second = [commit.write(3), commit.write(4), commit.write(5)];
    expect(writer.batches).toEqual([
      [1, 2],
      [3, 4, 5],
    ]);
    writer.finish[1]();
    await Promise.all(second);
  });

  it('writes that arrive while a statement is in flight wait their own linger unless enough of them came', async () => {
    const writer = controlledWriter();
    const commit = new GroupCommit(writer.writeBatch, { linger: { ms: 20, enough: 2 } });
    const first = [commit.write(1), commit.write(2)];
    const late = commit.write(3);
    writer.finish[0]();
    await Promise.all(first);
    expect(writer.batches).toEqual([[1, 2]]);
    jest.advanceTimersByTime(20);
    expect(writer.batches).toEqual([[1, 2], [3]]);
    writer.finish[1]();
    await late;
  });
});
