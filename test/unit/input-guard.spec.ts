import { DomainError, ErrorCode } from '@customer-access/common';
import { assertSafeInput, MAX_INPUT_DEPTH } from '../../apps/api/src/http/input-guard';

/** The API's pre-validation guard against input that would crash the libraries behind it. */
describe('assertSafeInput', () => {
  const nestArrays = (depth: number): unknown => JSON.parse('['.repeat(depth) + ']'.repeat(depth));
  const nestObjects = (depth: number): unknown => JSON.parse('{"a":'.repeat(depth) + 'null' + '}'.repeat(depth));

  const refused = (value: unknown): DomainError => {
    try {
      assertSafeInput(value);
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe(ErrorCode.Validation);
      return error as DomainError;
    }
    throw new Error(`accepted ${JSON.stringify(value)?.slice(0, 80)}`);
  };

  it('accepts ordinary bodies, emoji and every plane of Unicode', () => {
    for (const ok of [null, 1, 'x', [], {}, { email: 'jane@example.com' }, { password: 'Pässwörd-😀-密码' }, { a: [{ b: ['c'] }] }]) {
      expect(() => assertSafeInput(ok)).not.toThrow();
    }
    expect(() => assertSafeInput(nestArrays(MAX_INPUT_DEPTH))).not.toThrow();
  });

  it('refuses nesting deeper than the limit, however deep, without overflowing itself', () => {
    expect(refused(nestArrays(MAX_INPUT_DEPTH + 1)).message).toMatch(/nested too deeply/);
    refused(nestObjects(MAX_INPUT_DEPTH + 1));
    refused(nestArrays(100_000));
    refused(nestObjects(50_000));
  });

  it('refuses lone surrogates in values and in keys', () => {
    expect(refused({ email: '\ud800@example.com' }).message).toMatch(/not valid Unicode/);
    refused({ password: 'abc\udfff' });
    refused({ ['\ud83d']: 1 });
    refused([['x', ['\udc00']]]);
  });
});
