import { ImportBatch, pgMicros } from './import-batch';
import { ImportFileError, ImportStores, ParsedRow, parseImportRows } from './import-rows';
import { MagentoBytes } from './magento-bytes';

const stores: ImportStores = {
  storeViews: new Map([
    ['default', { websiteCode: 'base', locale: null }],
    ['cn', { websiteCode: 'asia', locale: 'zh-CN' }],
    ['asia_en', { websiteCode: 'asia', locale: null }],
  ]),
  defaultStoreView: new Map([
    ['base', 'default'],
    ['asia', 'cn'],
  ]),
  defaultLocale: 'en',
};

/** A row as it would be written (texts and created_at in microseconds, NaN: the batch's time), or its error. */
type Outcome = { line: number; texts: string[]; micros: number } | { error: { line: number; email: string; reason: string } };

const SHA = 'a853b06f077b686f8a3af80c98acfca763cf10c0e03597c67e756f1c782d1ab0:8qnyO4H1OYIfGCUb:1';
const BCRYPT = '$2y$10$abcdefghijklmnopqrstuu0123456789ABCDEFGHIJKLMNOPQRSTU';
const HEADER = '"email","_website","_store","website_id","store_id","created_in","firstname","lastname","password_hash","created_at"';
const row = (email: string, website: string, store: string, first: string, last: string, hash: string, created: string): string =>
  `${email},${website},${store},"1","1","Default Store View",${first},${last},${hash},${created}`;

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

const TRICKY = [
  row('"customer.1@bench.example"', '"base"', '"default"', '"First 1"', '"Last"', `"${SHA}"`, '"2024-01-31 09:15:00"'),
  row(
    '" Ana@Example.COM "',
    'base',
    'default',
    'Ana ',
    ' Lovelace',
    SHA.toUpperCase().replace(':8QNYO4H1OYIFGCUB:1', ':salt:1'),
    '2024-02-29 23:59:59',
  ),
  row('ｍｉｋｅ@example.com', 'base', 'default', 'Mike', 'Full', SHA, ''),
  row('not-an-email', 'base', 'default', 'A', 'B', SHA, ''),
  row('"""a b""@example.com"', 'base', 'default', 'A', 'B', SHA, ''),
  row('"quoted.local+tag@sub-domain.example.co"', 'base', 'default', 'A', 'B', SHA, ''),
  row('x@localhost', 'base', 'default', 'A', 'B', SHA, ''),
  row('jurgen@example.de', 'base', 'default', '"Jürgen"', '"Müller-Lüdenscheidt"', '', ''),
  row('jose@example.es', 'base', 'default', '"José"', '"Núñez"', '', ''),
  row('nbsp@example.com', 'base', 'default', 'Nb\u00a0', 'Sp', '', ''),
  row('emptyname@example.com', 'base', 'default', '""', 'Sp', '', ''),
  row('spacesname@example.com', 'base', 'default', '"   "', 'Sp', '', ''),
  row('longname@example.com', 'base', 'default', 'x'.repeat(256), 'Sp', '', ''),
  row('longname2@example.com', 'base', 'default', 'x'.repeat(255), 'Sp', '', ''),
  row('widename@example.com', 'base', 'default', `a${'é'.repeat(126)}z`, 'Sp', '', ''),
  row('nowebsite@example.com', '', '', 'A', 'B', SHA, ''),
  row('asia@example.com', 'asia', '', 'A', 'B', SHA, ''),
  row('asia2@example.com', ' asia ', 'asia_en', 'A', 'B', SHA, ''),
  row('asia3@example.com', 'asia', 'default', 'A', 'B', SHA, ''),
  row('unknown@example.com', 'mars', '', 'A', 'B', SHA, ''),
  row('unknownview@example.com', 'base', 'moon', 'A', 'B', SHA, ''),
  row('bcrypt@example.com', 'base', 'default', 'A', 'B', BCRYPT, ''),
  row('badhash@example.com', 'base', 'default', 'A', 'B', 'abc', ''),
  row('colonhash@example.com', 'base', 'default', 'A', 'B', SHA.replace(':1', ':x:1'), ''),
  row('v2hash@example.com', 'base', 'default', 'A', 'B', SHA.replace(/:1$/, ':2'), ''),
  row('leap@example.com', 'base', 'default', 'A', 'B', SHA, '2023-02-29 10:00:00'),
  row('april@example.com', 'base', 'default', 'A', 'B', SHA, '2024-04-31 00:00:00'),
  row('midnight@example.com', 'base', 'default', 'A', 'B', SHA, '2024-01-31 24:00:00'),
  row('oldyear@example.com', 'base', 'default', 'A', 'B', SHA, '0999-01-01 00:00:00'),
  row('iso@example.com', 'base', 'default', 'A', 'B', SHA, '2024-01-31T09:15:00Z'),
  row('month13@example.com', 'base', 'default', 'A', 'B', SHA, '2024-13-01 00:00:00'),
  row('second60@example.com', 'base', 'default', 'A', 'B', SHA, '2024-01-01 00:00:60'),
  row('month0@example.com', 'base', 'default', 'A', 'B', SHA, '2024-00-10 00:00:00'),
  row('day0@example.com', 'base', 'default', 'A', 'B', SHA, '2024-01-00 00:00:00'),
  row('notadate@example.com', 'base', 'default', 'A', 'B', SHA, 'yesterday'),
  row('multi@example.com', 'base', 'default', '"Line\none"', 'B', SHA, ''),
  row('crlfin@example.com', 'base', 'default', '"Line\r\ntwo"', 'B', SHA, ''),
  row('doubled@example.com', 'base', 'default', '"Say ""hi"""', 'B', SHA, ''),
  row('barequote@example.com', 'base', 'default', 'Ana "the" B', 'B', SHA, ''),
  row('afterquote@example.com', 'base', 'default', '"Ana"x', 'B', SHA, ''),
  row('tab@example.com', 'base', 'default', 'A\tB', 'B', SHA, ''),
  row('long@example.com', 'base', 'default', 'y'.repeat(5000), 'B', SHA, ''),
  `${row('extra@example.com', 'base', 'default', 'A', 'B', SHA, '')},`,
  'truncated@example.com,base,default,1',
  'wrong;delimiter;row',
  '',
  '   ',
  'customer.1@bench.example,base,default,1,1,x,Dup,Row,,',
  row('"cr-only@example.com"', 'base', 'default', 'A', 'B', SHA, '') +
    '\r' +
    row('after-cr@example.com', 'base', 'default', 'A', 'B', SHA, ''),
  row('del@example.com', 'base', 'default', 'A\x7f', 'B', SHA, ''),
  row('last@example.com', 'base', 'default', 'A', 'B', SHA, '2000-01-01 00:00:00'),
];

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
