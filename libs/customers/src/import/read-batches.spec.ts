import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { ImportFileError } from './import-rows';
import { HEADER, row, SHA, stores, TRICKY } from './magento-rows.fixture';
import { ReadOptions, ReadPiece, readBatches } from './read-batches';
import { BatchesFromPort, MAX_AHEAD, postBatches } from './read-batches-port';

const dir = mkdtempSync(join(tmpdir(), 'read-batches-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fileOf(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** The tricky rows, then enough plain ones (some without created_at, some repeated) to fill several batches. */
const MAGENTO = [
  `\ufeff${HEADER}`,
  ...TRICKY,
  ...Array.from({ length: 60 }, (_, i) =>
    row(
      `user.${i % 50}@example.com`,
      i % 3 ? 'base' : 'asia',
      '',
      `First ${i}`,
      'Last',
      i % 4 ? SHA : '',
      i % 5 ? '2024-01-31 09:15:00' : '',
    ),
  ),
].join('\r\n');
const NDJSON = [
  ...Array.from({ length: 30 }, (_, i) => JSON.stringify({ email: `nd.${i % 25}@example.com`, firstName: 'A', lastName: 'B' })),
  '{not json',
].join('\n');

/** A ReadPiece with each COPY data's ids (16 random bytes a row, different on every read) zeroed. */
function withoutIds(pieces: ReadPiece[]): ReadPiece[] {
  for (const { batches } of pieces) {
    for (const { copy } of batches) {
      if (!copy) continue;
      const data = copy.data;
      for (let at = 19; data.readInt16BE(at) !== -1;) {
        data.fill(0, at + 6, at + 22); // after the field count (2) and the id's length (4)
        at += 2;
        for (let field = 0; field < 10; field++) at += 4 + Math.max(0, data.readInt32BE(at));
      }
    }
  }
  return pieces;
}

async function all(pieces: AsyncIterable<ReadPiece>, onBatch: () => void = () => undefined): Promise<ReadPiece[]> {
  const out: ReadPiece[] = [];
  for await (const piece of pieces) {
    out.push(piece);
    for (const _ of piece.batches) onBatch();
  }
  return out;
}

/** The same reading through a message channel, as the import's worker thread posts it. */
async function throughPort(options: ReadOptions): Promise<ReadPiece[]> {
  const { port1, port2 } = new MessageChannel();
  postBatches(port1);
  const from = new BatchesFromPort(port2).start(options);
  try {
    return await all(from, () => from.written());
  } finally {
    port1.close();
    port2.close();
  }
}

describe('the reader on a worker thread (read-batches-port) against the reader on this thread', () => {
  const base = { stores, batchSize: 7 };
  const cases: [string, Omit<ReadOptions, 'readSize'>][] = [
    ['Magento', { ...base, file: fileOf('rows.csv', MAGENTO), format: 'magento', scope: 'website', dryRun: false }],
    ['Magento, global scope', { ...base, file: fileOf('rows.csv', MAGENTO), format: 'magento', scope: 'global', dryRun: false }],
    [
      'Magento, one website',
      { ...base, file: fileOf('rows.csv', MAGENTO), format: 'magento', scope: 'website', website: 'asia', dryRun: false },
    ],
    ['Magento, dry run', { ...base, file: fileOf('rows.csv', MAGENTO), format: 'magento', scope: 'website', dryRun: true }],
    ['NDJSON', { ...base, file: fileOf('rows.ndjson', NDJSON), format: 'ndjson', scope: 'website', dryRun: false }],
  ];
  for (const [name, options] of cases) {
    it(`gives the same row errors and batches, byte for byte, in the same order (${name}, every read size)`, async () => {
      for (const readSize of [5, 17, 64, 1000, 4096, 256 * 1024]) {
        const here = withoutIds(await all(readBatches({ ...options, readSize })));
        const there = withoutIds(await throughPort({ ...options, readSize }));
        expect([readSize, there]).toEqual([readSize, here]);
        expect(here.flatMap((p) => p.batches).length).toBeGreaterThan(3);
        expect(here.flatMap((p) => p.errors).length).toBeGreaterThan(3);
      }
    }, 60_000);
  }

  it('stays at most MAX_AHEAD batches ahead of the writes', async () => {
    const { port1, port2 } = new MessageChannel();
    postBatches(port1);
    const from = new BatchesFromPort(port2).start({
      ...base,
      file: fileOf('rows.csv', MAGENTO),
      format: 'magento',
      scope: 'website',
      dryRun: false,
      readSize: 64,
    });
    const received: number[] = [];
    port2.on('message', (message: { piece?: ReadPiece }) => received.push(message.piece?.batches.length ?? 0));
    try {
      const iterator = from[Symbol.asyncIterator]();
      await iterator.next();
      await new Promise((resolve) => setTimeout(resolve, 100)); // nothing written: the reader must wait
      const posted = received.reduce((sum, n) => sum + n, 0);
      expect(posted).toBeGreaterThanOrEqual(1);
      expect(posted).toBeLessThanOrEqual(MAX_AHEAD);
      from.written();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(received.reduce((sum, n) => sum + n, 0)).toBeGreaterThan(posted);
    } finally {
      port1.close();
      port2.close();
    }
  });

  it('ends with the ImportFileError the reader met', async () => {
    const options: ReadOptions = {
      ...base,
      file: fileOf('bad.csv', 'name;mail\nx;y\n'),
      format: 'magento',
      scope: 'website',
      dryRun: false,
    };
    await expect(all(readBatches(options))).rejects.toThrow('separated by ";"');
    const failed = throughPort(options);
    await expect(failed).rejects.toThrow(ImportFileError);
    await expect(failed).rejects.toThrow('separated by ";"');
  });
});
