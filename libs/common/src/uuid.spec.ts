import { randomUUID } from 'node:crypto';
import { isUuid } from './uuid';

describe('isUuid', () => {
  it('accepts a UUID in its canonical form, in either case', () => {
    const id = randomUUID();
    expect(isUuid(id)).toBe(true);
    expect(isUuid(id.toUpperCase())).toBe(true);
  });

  it('refuses anything else', () => {
    for (const value of [
      '',
      'not-a-uuid',
      randomUUID().replace(/-/g, ''),
      `${randomUUID()}x`,
      ` ${randomUUID()}`,
      '{' + randomUUID() + '}',
    ]) {
      expect(isUuid(value)).toBe(false);
    }
  });
});
