import { breachedSuffixes, pwnedHashParts } from './pwned-range';

describe('Pwned Passwords range helpers', () => {
  it('splits the SHA-1 into the 5 characters that leave and the 35 that stay', () => {
    // SHA-1("password") = 5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8
    expect(pwnedHashParts('password')).toEqual({ prefix: '5BAA6', suffix: '1E4C9B93F3F0682250B6CF8331B7EE68FD8' });
  });

  it('keeps the suffixes with a count, drops padding (count 0) and lines of another form', () => {
    const body = [
      '1E4C9B93F3F0682250B6CF8331B7EE68FD8:10434004',
      '0018A45C4D1DEF81644B54AB7F969B88D65:0',
      '00D4F6E8FA6EECAD2A3AA415EEC418D38EC:2\r',
      'not a line',
      '',
    ].join('\n');
    expect(breachedSuffixes(body)).toEqual(['1E4C9B93F3F0682250B6CF8331B7EE68FD8', '00D4F6E8FA6EECAD2A3AA415EEC418D38EC']);
  });
});
