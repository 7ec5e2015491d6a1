import { CsvRecordParser, csvRecords, MAX_CSV_FIELD_LENGTH } from './csv-records';

async function* pieces(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function all(text: string, size = 3): Promise<{ line: number; fields: string[]; error?: string }[]> {
  const out = [];
  for await (const record of csvRecords(pieces(text, size))) out.push(record);
  return out;
}

describe('CsvRecordParser', () => {
  const magento =
    '\ufeff"email","_website","_store","firstname","lastname","password_hash"\r\n' +
    '"ana@example.com","base","default","Ana","O\'Neil, ""Jr""","abc:salt:1"\r\n' +
    '"bo@example.com","base","default","Bo","Multi\r\nLine",""\r\n' +
    '\r\n' +
    'cy@example.com,base,default,Cy,Smith,\r\n';

  it.each([1, 2, 3, 7, 1000])('reads a Magento export (BOM, CRLF, quotes, line breaks in a field) in pieces of %i', async (size) => {
    expect(await all(magento, size)).toEqual([
      { line: 1, fields: ['email', '_website', '_store', 'firstname', 'lastname', 'password_hash'] },
      { line: 2, fields: ['ana@example.com', 'base', 'default', 'Ana', 'O\'Neil, "Jr"', 'abc:salt:1'] },
      { line: 3, fields: ['bo@example.com', 'base', 'default', 'Bo', 'Multi\r\nLine', ''] },
      { line: 6, fields: ['cy@example.com', 'base', 'default', 'Cy', 'Smith', ''] },
    ]);
  });

  it('reads LF and lone CR line ends, and a last line without one', async () => {
    expect(await all('a,b\nc,d\re,f')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['c', 'd'] },
      { line: 3, fields: ['e', 'f'] },
    ]);
  });

  it('reports a file that ends inside a quoted field (truncated), after the complete records', async () => {
    expect(await all('a,b\n"x","unfinished')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: [], error: expect.stringContaining('ends inside a quoted field') },
    ]);
  });

  it('does not keep a field longer than the limit, and goes on with the next record', async () => {
    const long = 'x'.repeat(10_000);
    const records = await all(`a,${long},c\nd,e,f\n`, 4096);
    expect(records[0]).toMatchObject({ line: 1, error: `a field is longer than ${MAX_CSV_FIELD_LENGTH} characters` });
    expect(records[0].fields.join('')).not.toContain('xxxx');
    expect(records[1]).toEqual({ line: 2, fields: ['d', 'e', 'f'] });
  });

  it('keeps a stray quote inside a bare field as text', () => {
    const parser = new CsvRecordParser();
    expect([...parser.push('a"b,c\n'), ...parser.end()]).toEqual([{ line: 1, fields: ['a"b', 'c'] }]);
  });
});
