import { escapeLike } from './customer-directory.repository';

describe('escapeLike', () => {
  it('makes LIKE wildcards and the escape character literal', () => {
    expect(escapeLike('50%_off!')).toBe('50\\%\\_off!');
    expect(escapeLike('plain@example.com')).toBe('plain@example.com');
    expect(escapeLike('back\\slash')).toBe('back\\\\slash');
  });
});
