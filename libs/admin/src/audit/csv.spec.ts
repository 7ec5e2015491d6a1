import { csvCell, toCsvRow } from './csv';

describe('CSV export cells', () => {
  it.each(['=1+1', '+1', '-2+3', '@SUM(A1)', '\t=cmd', '\r=cmd', '=HYPERLINK("http://x","y")'])(
    'neutralizes %j so that a spreadsheet shows it as text',
    (value) => {
      const cell = csvCell(value);
      const unquoted = cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
      expect(unquoted).toBe(`'${value}`);
    },
  );

  it('quotes quotes, commas and line breaks, and leaves plain text alone', () => {
    expect(csvCell('Jane "J" Doe')).toBe('"Jane ""J"" Doe"');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('张 伟')).toBe('张 伟');
    expect(csvCell(null)).toBe('');
    expect(csvCell(42)).toBe('42');
  });

  it('ends each row with CRLF', () => {
    expect(toCsvRow(['a', '=b', null])).toBe("a,'=b,\r\n");
  });
});
