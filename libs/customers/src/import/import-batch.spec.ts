import { addressesOf, addressOrder, copyData, ImportBatch, pgMicros, prepareCopy, stampNow, withoutRows } from './import-batch';

function batchOf(rows: { email: string; createdAt: string | null }[]): ImportBatch {
  const batch = new ImportBatch(rows.length);
  for (const { email, createdAt } of rows) {
    batch.begin(email, 'base', createdAt === null ? NaN : pgMicros(createdAt));
    batch.texts({
      line: 0,
      email,
      websiteCode: 'base',
      storeViewCode: 'default',
      firstName: 'Zoë',
      lastName: 'Li',
      locale: 'en',
      passwordHash: 'x',
      createdAt,
    });
  }
  return batch;
}

describe('prepareCopy', () => {
  it('once stamped, is byte for byte the COPY data built when the transaction time is known, in address order', () => {
    const batch = batchOf([
      { email: 'c@example.com', createdAt: null },
      { email: 'a@example.com', createdAt: '2024-01-31T09:15:00.000Z' },
      { email: 'b@example.com', createdAt: null },
      { email: 'a@example.co', createdAt: '1999-12-31T23:59:59.999Z' },
    ]);
    const ids = Buffer.alloc(16 * batch.length);
    for (let i = 0; i < ids.length; i++) ids[i] = i;
    const prepared = prepareCopy(batch, ids);
    expect(prepared.undated).toHaveLength(2);
    const now = pgMicros('2026-12-07T12:00:00.123Z');
    const expected = copyData(batch, addressOrder(batch), ids, now);
    expect(stampNow(prepared, now).equals(expected)).toBe(true);
    // A retry stamps its own transaction's time over the first one's.
    const later = now + 5_000_000;
    expect(stampNow(prepared, later).equals(copyData(batch, addressOrder(batch), ids, later))).toBe(true);
  });

  it('orders the rows by address', () => {
    const batch = batchOf(['d@x.io', 'b@x.io', 'c@x.io', 'a@x.io'].map((email) => ({ email, createdAt: null })));
    expect(addressOrder(batch)).toEqual([3, 1, 2, 0]);
    expect(addressOrder(batch, [0, 2])).toEqual([2, 0]);
  });

  it('without some rows (those that already have an account) is the COPY data of the others, ids and times kept', () => {
    const batch = batchOf(
      ['d@x.io', 'b@x.io', 'c@x.io', 'a@x.io', 'e@x.io'].map((email, i) => ({
        email,
        createdAt: i % 2 ? null : '2024-01-31T09:15:00.000Z',
      })),
    );
    const ids = Buffer.alloc(16 * batch.length);
    for (let i = 0; i < ids.length; i++) ids[i] = i;
    const now = pgMicros('2026-12-07T12:00:00.123Z');
    const order = addressOrder(batch); // a, b, c, d, e
    const data = stampNow(prepareCopy(batch, ids, order), now);
    const skip = Uint8Array.from([0, 1, 0, 1, 0]); // b and d: places 1 and 3 in address order
    const kept = [0, 2, 4];
    const keptIds = Buffer.concat(kept.map((k) => ids.subarray(16 * k, 16 * k + 16)));
    expect(
      withoutRows(data, skip).equals(
        copyData(
          batch,
          kept.map((k) => order[k]),
          keptIds,
          now,
        ),
      ),
    ).toBe(true);
    expect(withoutRows(data, new Uint8Array(5)).equals(data)).toBe(true);
    expect(withoutRows(data, new Uint8Array(5).fill(1)).equals(copyData(batch, [], Buffer.alloc(0), now))).toBe(true);
  });

  it('gives back the addresses and websites of its rows, one a line, in address order (what a checked batch selects)', () => {
    const rows = [
      { email: 'zoë@exämple.com', websiteCode: 'de' },
      { email: 'b@x.io', websiteCode: 'base' },
      { email: 'a@x.io', websiteCode: 'fr_site' },
    ];
    const batch = new ImportBatch(rows.length);
    for (const { email, websiteCode } of rows) {
      batch.begin(email, websiteCode, NaN);
      batch.texts({
        line: 0,
        email,
        websiteCode,
        storeViewCode: 'default',
        firstName: 'A',
        lastName: 'B',
        locale: 'en',
        passwordHash: 'x',
        createdAt: null,
      });
    }
    const order = addressOrder(batch);
    const ids = Buffer.alloc(16 * batch.length, 7);
    const data = stampNow(prepareCopy(batch, ids, order), pgMicros('2026-12-07T12:00:00.123Z'));
    expect(addressesOf(data)).toEqual({
      emails: order.map((i) => rows[i].email).join('\n'),
      websiteCodes: order.map((i) => rows[i].websiteCode).join('\n'),
    });
    expect(addressesOf(copyData(batch, [], Buffer.alloc(0), 0))).toEqual({ emails: '', websiteCodes: '' });
  });
});
