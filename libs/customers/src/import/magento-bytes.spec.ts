import { ImportBatch, pgMicros } from './import-batch';
import { ImportFileError, ParsedRow, parseImportRows } from './import-rows';
import { MagentoBytes } from './magento-bytes';
import { HEADER, row, SHA, stores, TRICKY } from './magento-rows.fixture';

/** A row as it would be written (texts and created_at in microseconds, NaN: the batch's time), or its error. */
type Outcome = { line: number; texts: string[]; micros: number } | { error: { line: number; email: string; reason: string } };

/** The general path: the whole file decoded as before, parseImportRows. */
async function general(bytes: Buffer, website?: string): Promise<Outcome[]> {
  async function* text(): AsyncGenerator<string> {
    yield new TextDecoder('utf-8').decode(bytes);
  }
  const out: Outcome[] = [];
  for await (const parsed of parseImportRows('magento', text(), stores, website)) out.push(outcome(parsed));
  return out;
}

function outcome(parsed: ParsedRow): Outcome {
  if (!parsed.ok) return { error: parsed.error };
  const r = parsed.row;
  return {
    line: r.line,
    texts: [r.email, r.websiteCode, r.storeViewCode, r.firstName, r.lastName, r.locale, r.passwordHash],
    micros: r.createdAt === null ? NaN : pgMicros(r.createdAt),
  };
}

/** The texts of a batch's row, read back from its COPY form. */
function textsOf(batch: ImportBatch, i: number): string[] {
  const end = i + 1 < batch.length ? batch.starts[i + 1] : batch.at;
  const texts: string[] = [];
  for (let at = batch.starts[i]; at < end;) {
    const length = batch.buf.readInt32BE(at);
    texts.push(batch.buf.toString('utf8', at + 4, at + 4 + length));
    at += 4 + length;
  }
  return texts;
}

/** MagentoBytes, the file given in pieces of `piece` bytes; `fast`: the lines taken on the fast path. */
function byBytes(bytes: Buffer, piece: number, website?: string): { rows: Outcome[]; fast: number[] } {
  const rows: Outcome[] = [];
  const fast: number[] = [];
  const reader = new MagentoBytes(
    stores,
    {
      take(line, email, websiteCode, micros) {
        const batch = new ImportBatch(1);
        batch.begin(email, websiteCode, micros);
        // Read back once the row's texts are written (the next call, or the end).
        pendingRows.push({ line, batch, micros });
        fast.push(line);
        return batch;
      },
      parsed(parsed) {
        flushPending();
        rows.push(outcome(parsed));
      },
    },
    website,
  );
  let pendingRows: { line: number; batch: ImportBatch; micros: number }[] = [];
  const flushPending = (): void => {
    for (const p of pendingRows) rows.push({ line: p.line, texts: textsOf(p.batch, 0), micros: p.micros });
    pendingRows = [];
  };
  for (let at = 0; at < bytes.length; at += piece) {
    reader.push(bytes.subarray(at, at + piece));
    flushPending();
  }
  reader.end();
  flushPending();
  return { rows, fast };
}

describe('MagentoBytes (the byte-level fast path) against the general path', () => {
  const cases: [string, string][] = [
    ['CRLF, a BOM', `\ufeff${HEADER}\r\n${TRICKY.join('\r\n')}\r\n`],
    ['LF, two BOMs, no final line end', `\ufeff\ufeff${HEADER}\n${TRICKY.join('\n')}`],
    ['blank lines, a quote left open at the end', `${HEADER}\n\n${TRICKY.join('\n')}\n\n"open@example.com,base`],
  ];
  for (const [name, text] of cases) {
    for (const website of [undefined, 'asia']) {
      it(`gives every row as the general path does (${name}, website ${website ?? 'from the rows'})`, async () => {
        const bytes = Buffer.from(text, 'utf8');
        const expected = await general(bytes, website);
        for (const piece of [1, 3, 17, 64, 4096, bytes.length]) {
          const { rows } = byBytes(bytes, piece, website);
          expect([piece, rows]).toEqual([piece, expected]);
        }
      });
    }
  }

  it('takes the usual rows on the fast path, and gives the general path everything unusual', () => {
    const text = `\ufeff${HEADER}\r\n${TRICKY.join('\r\n')}\r\n`;
    const { fast, rows } = byBytes(Buffer.from(text, 'utf8'), 4096);
    const emails = new Map(rows.map((r) => ('texts' in r ? [r.line, r.texts[0]] : [0, ''])));
    // A repeated address is the sink's to refuse (FirstLines), so the fast path takes it too.
    expect(fast.map((line) => emails.get(line))).toEqual([
      'customer.1@bench.example',
      'ana@example.com',
      'quoted.local+tag@sub-domain.example.co',
      'jurgen@example.de',
      'longname2@example.com',
      'widename@example.com',
      'nowebsite@example.com',
      'asia@example.com',
      'asia2@example.com',
      'customer.1@bench.example',
      'last@example.com',
    ]);
  });

  it('reads invalid UTF-8 in a name as the general path does (the replacement character)', async () => {
    const bytes = Buffer.concat([
      Buffer.from(`${HEADER}\n${row('bad@example.com', 'base', 'default', 'A', 'B', SHA, '')}\n`),
      Buffer.from('bad2@example.com,base,default,1,1,x,A'),
      Buffer.from([0xff, 0xc3]),
      Buffer.from('z,B,,\n'),
      Buffer.from('bad3@example.com,base,default,1,1,x,"\xe2\x82",B,,\n', 'latin1'),
    ]);
    const expected = await general(bytes);
    expect(expected.length).toBe(3);
    for (const piece of [1, 5, bytes.length]) expect(byBytes(bytes, piece).rows).toEqual(expected);
  });

  it('stops at a file without a header or an email column, as the general path', async () => {
    expect(() => byBytes(Buffer.from(''), 1)).toThrow(ImportFileError);
    expect(() => byBytes(Buffer.from('name;mail\nx;y\n'), 4)).toThrow('separated by ";"');
    await expect(general(Buffer.from('name;mail\nx;y\n'))).rejects.toThrow('separated by ";"');
  });
});
