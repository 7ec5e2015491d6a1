import { NO_USABLE_PASSWORD } from '../password-hasher';
import { ImportFileError, ImportStores, ndjsonLines, ParsedRow, parseImportRows } from './import-rows';

const stores: ImportStores = {
  storeViews: new Map([
    ['default', { websiteCode: 'base', locale: null }],
    ['cn', { websiteCode: 'asia', locale: 'zh-CN' }],
  ]),
  defaultStoreView: new Map([
    ['base', 'default'],
    ['asia', 'cn'],
  ]),
  defaultLocale: 'en',
};

async function* once(text: string): AsyncGenerator<string> {
  yield text;
}

async function rows(format: 'magento' | 'ndjson', text: string, website?: string): Promise<ParsedRow[]> {
  const out: ParsedRow[] = [];
  for await (const row of parseImportRows(format, once(text), stores, website)) out.push(row);
  return out;
}

const SHA256 = 'a853b06f077b686f8a3af80c98acfca763cf10c0e03597c67e756f1c782d1ab0:8qnyO4H1OYIfGCUb:1';
const HEADER = 'email,_website,_store,website_id,firstname,lastname,password_hash,created_at\r\n';

describe('parseImportRows (magento)', () => {
  it('reads the columns it needs, normalizes the email, ignores the others', async () => {
    const [row] = await rows('magento', `${HEADER}" Ana@Example.COM ",base,default,1,Ana ,Lovelace,${SHA256},2024-01-31 09:15:00\r\n`);
    expect(row).toEqual({
      ok: true,
      row: {
        line: 2,
        email: 'ana@example.com',
        websiteCode: 'base',
        storeViewCode: 'default',
        firstName: 'Ana',
        lastName: 'Lovelace',
        locale: 'en',
        passwordHash: SHA256,
        createdAt: '2024-01-31T09:15:00.000Z',
      },
    });
  });

  it.each([
    ['2024-01-31 09:15:00', '2024-01-31T09:15:00.000Z'],
    ['2024-02-28 23:59:59', '2024-02-28T23:59:59.000Z'],
    ['2024-02-29 00:00:00', '2024-02-29T00:00:00.000Z'],
    ['2023-02-29 00:00:00', '2023-03-01T00:00:00.000Z'],
    ['2024-02-30 10:00:00', '2024-03-01T10:00:00.000Z'],
    ['2024-04-31 10:00:00', '2024-05-01T10:00:00.000Z'],
    ['2024-01-31 24:00:00', '2024-02-01T00:00:00.000Z'],
    ['0999-06-15 12:00:00', '0999-06-15T12:00:00.000Z'],
  ])('reads the Magento time %s as Date.parse does (%s)', async (raw, iso) => {
    const [row] = await rows('magento', `${HEADER}ana@example.com,base,default,1,Ana,Li,,${raw}\r\n`);
    expect(row).toMatchObject({ ok: true, row: { createdAt: iso } });
    expect(iso).toBe(new Date(Date.parse(`${raw.replace(' ', 'T')}Z`)).toISOString());
  });

  it.each(['2024-13-01 00:00:00', '2024-01-00 00:00:00', '2024-01-31 09:60:00', '2024-01-31 09:15:60'])(
    'refuses the impossible Magento time %s',
    async (raw) => {
      const [row] = await rows('magento', `${HEADER}ana@example.com,base,default,1,Ana,Li,,${raw}\r\n`);
      expect(row).toMatchObject({ ok: false, error: { reason: 'created_at is not a date' } });
    },
  );

  it('gives an account without a hash no usable password, and takes the store view locale', async () => {
    const [row] = await rows('magento', `${HEADER}bo@example.com,asia,cn,2,Bo,Li,,\r\n`);
    expect(row).toMatchObject({
      ok: true,
      row: { websiteCode: 'asia', storeViewCode: 'cn', locale: 'zh-CN', passwordHash: NO_USABLE_PASSWORD },
    });
  });

  it.each([
    ['a truncated row', 'cy@example.com,base,default\r\n', /truncated row: 3 of the header's 8 columns/],
    ['a wrong delimiter', 'cy@example.com;base;default;1;Cy;Li;;\r\n', /wrong delimiter.*";"/],
    ['an unknown hash format', 'cy@example.com,base,default,1,Cy,Li,not-a-hash!,\r\n', /password hash refused \(unknown-format\)/],
    ['a too costly bcrypt', `cy@example.com,base,default,1,Cy,Li,$2y$15$${'a'.repeat(53)},\r\n`, /work-factor-too-high/],
    ['a bad email', 'not-an-email,base,default,1,Cy,Li,,\r\n', /not a valid email address/],
    ['an unknown website', 'cy@example.com,moon,default,1,Cy,Li,,\r\n', /unknown website "moon"/],
    ['a store view of another website', 'cy@example.com,base,cn,1,Cy,Li,,\r\n', /store view "cn" is not in website "base"/],
    ['a missing name', 'cy@example.com,base,default,1,,Li,,\r\n', /first name is empty/],
    ['a 10,000-character field', `cy@example.com,base,default,1,${'x'.repeat(10_000)},Li,,\r\n`, /longer than 4096 characters/],
    ['a bad date', 'cy@example.com,base,default,1,Cy,Li,,yesterday\r\n', /created_at is not a date/],
  ])('refuses %s with its line and reason, and reads the next row', async (_name, bad, reason) => {
    const result = await rows('magento', `${HEADER}${bad}dee@example.com,base,default,1,Dee,Li,,\r\n`);
    expect(result).toHaveLength(2);
    expect(result[0]).toMatchObject({ ok: false, error: { line: 2, reason: expect.stringMatching(reason) } });
    expect(result[1]).toMatchObject({ ok: true, row: { line: 3, email: 'dee@example.com' } });
    // A hash is never part of a reason.
    if (!result[0].ok) expect(result[0].error.reason).not.toContain('aaaa');
  });

  it('moves every row to --website, with its default store view', async () => {
    const [row] = await rows('magento', `${HEADER}bo@example.com,base,default,1,Bo,Li,,\r\n`, 'asia');
    expect(row).toMatchObject({ ok: true, row: { websiteCode: 'asia', storeViewCode: 'cn' } });
  });

  it('stops on a header without an email column or with another delimiter', async () => {
    await expect(rows('magento', 'name,phone\r\nx,y\r\n')).rejects.toThrow(ImportFileError);
    await expect(rows('magento', 'email;_website\r\nx;y\r\n')).rejects.toThrow(/separated by ";"/);
    await expect(rows('magento', '')).rejects.toThrow(/empty/);
  });
});

describe('parseImportRows (ndjson)', () => {
  it('reads objects line by line, with their line numbers', async () => {
    const text = [
      JSON.stringify({
        email: 'A@example.com',
        firstName: 'A',
        lastName: 'B',
        locale: 'zh_CN',
        passwordHash: SHA256,
        createdAt: '2024-02-01T00:00:00Z',
      }),
      '',
      '{not json',
      JSON.stringify({ email: 'c@example.com', firstName: 'C', lastName: 'D', website: 'asia' }),
      JSON.stringify([1]),
      JSON.stringify({ email: 'e@example.com', firstName: 5, lastName: 'D' }),
    ].join('\r\n');
    const result = await rows('ndjson', text);
    expect(result).toEqual([
      { ok: true, row: expect.objectContaining({ line: 1, email: 'a@example.com', locale: 'zh-CN', passwordHash: SHA256 }) },
      { ok: false, error: { line: 3, email: '', reason: 'not valid JSON' } },
      { ok: true, row: expect.objectContaining({ line: 4, websiteCode: 'asia', storeViewCode: 'cn', passwordHash: NO_USABLE_PASSWORD }) },
      { ok: false, error: { line: 5, email: '', reason: 'not a JSON object' } },
      { ok: false, error: { line: 6, email: '', reason: 'firstName is not a string' } },
    ]);
  });

  it('refuses a too long line without keeping it', async () => {
    async function* big(): AsyncGenerator<string> {
      yield '{"email":"';
      for (let i = 0; i < 20; i++) yield 'x'.repeat(10_000);
      yield '"}\n{"a":1}\n';
    }
    const lines = [];
    for await (const line of ndjsonLines(big())) lines.push(line);
    expect(lines).toEqual([
      { line: 1, text: '', error: expect.stringContaining('longer than') },
      { line: 2, text: '{"a":1}' },
    ]);
  });
});
