import 'reflect-metadata';
import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import fc from 'fast-check';
import { DomainError } from '@customer-access/common';
import { MAX_CHALLENGE_PAYLOAD_LENGTH } from '@customer-access/password-reset';
import { ForgotPasswordDto } from '../storefront/storefront.dto';
import { assertSafeInput } from './input-guard';
import { createValidationPipe } from './validation.pipe';

type Outcome = { accepted: Record<string, unknown>; type: string } | { refused: string };

/**
 * The forgot body's fast path (ForgotPasswordDto.acceptWellFormed) against class-validator: over
 * thousands of bodies, the pipe with the fast path gives exactly the verdict, the value and the
 * error code and message of the same pipe without it, and it takes the fast path for every
 * well-formed body (else it would buy nothing).
 */
describe('validation pipe: the forgot body fast path gives class-validator verdicts', () => {
  const pipe = createValidationPipe();
  const META: ArgumentMetadata = { type: 'body', metatype: ForgotPasswordDto, data: undefined };

  const settle = async (run: () => Promise<unknown>): Promise<Outcome> => {
    try {
      const value = (await run()) as object;
      return { accepted: { ...value }, type: value.constructor.name };
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return { refused: `${error.code}: ${error.message}` };
    }
  };
  const withFastPath = (body: unknown) => settle(() => pipe.transform(body, META));
  // The same pipe instance and options, through class-transformer and class-validator alone.
  const classValidator = (body: unknown) =>
    settle(async () => {
      assertSafeInput(body);
      return ValidationPipe.prototype.transform.call(pipe, body, META);
    });

  // Addresses valid, nearly valid and invalid for validator's isEmail, and lengths around 254
  // (surrogate pairs count as one character in MaxLength, not two).
  const local = fc.stringMatching(/^[a-zA-Z0-9._%+\-"!#$&'*/=?^`{|}~]{0,70}$/);
  const domain = fc.oneof(
    fc.domain(),
    fc.stringMatching(/^[a-z0-9.\-_]{0,30}$/),
    fc.constantFrom('[127.0.0.1]', 'localhost', 'example', 'xn--80ak6aa92e.com', 'exa mple.com', '例子.测试', '😀.com'),
  );
  const email = fc.oneof(
    fc.emailAddress(),
    fc.tuple(local, domain).map(([l, d]) => `${l}@${d}`),
    fc.tuple(fc.emailAddress(), fc.constantFrom(' ', '\t', '<', '>', 'Name <', '..', '@', '\u00e9', '\u{1F600}')).map(([e, s]) => s + e),
    fc.integer({ min: 230, max: 260 }).map((n) => `${'a'.repeat(60)}@${`${'b'.repeat(60)}.`.repeat(8).slice(0, n - 65)}.com`),
    fc.integer({ min: 120, max: 132 }).map((n) => `a@${'\u{1F600}'.repeat(n)}.com`),
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 12 }),
  );
  const altcha = fc.oneof(
    fc.base64String({ maxLength: 200 }),
    fc.integer({ min: MAX_CHALLENGE_PAYLOAD_LENGTH - 2, max: MAX_CHALLENGE_PAYLOAD_LENGTH + 2 }).map((n) => 'A'.repeat(n)),
    fc.constant(''),
  );
  const notAString = fc.oneof(
    fc.constant(null),
    fc.integer(),
    fc.boolean(),
    fc.constant([]),
    fc.constant({}),
    fc.array(fc.string(), { maxLength: 2 }),
  );
  const body = fc.oneof(
    { weight: 6, arbitrary: fc.record({ email, altcha }, { requiredKeys: ['email'], noNullPrototype: true }) },
    { weight: 1, arbitrary: fc.record({ email: fc.oneof(email, notAString), altcha: fc.oneof(altcha, notAString) }, { requiredKeys: [] }) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.record({ email, altcha }, { requiredKeys: ['email'] }),
          fc.constantFrom('redirectUrl', 'Email', 'constructor', 'password', ''),
          fc.jsonValue(),
        )
        .map(([b, key, value]) => ({ ...b, [key]: value })),
    },
    { weight: 1, arbitrary: fc.oneof(fc.constant(null), fc.string(), fc.integer(), fc.array(fc.record({ email }), { maxLength: 2 })) },
  );

  it('same verdict, value, code and message for every body; the fast path taken for every well-formed one', async () => {
    let fast = 0;
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const ours = await withFastPath(b);
        expect(ours).toEqual(await classValidator(b));
        const accepted = ForgotPasswordDto.acceptWellFormed(b);
        if (accepted) fast++;
        // A well-formed body: a plain object with a string email and maybe a string altcha, nothing else.
        const wellFormed =
          'accepted' in ours &&
          Object.getPrototypeOf(b) === Object.prototype && // as JSON.parse makes them (not fast-check's null-prototype records)
          typeof ours.accepted.email === 'string' &&
          (ours.accepted.altcha === undefined || typeof ours.accepted.altcha === 'string') &&
          Object.keys(b as object).every((k) => k === 'email' || (k === 'altcha' && typeof ours.accepted.altcha === 'string'));
        expect(accepted !== undefined).toBe(wellFormed);
      }),
      { numRuns: 3000 },
    );
    // The fast path is not vacuous: a good share of the generated bodies took it.
    expect(fast).toBeGreaterThan(300);
  }, 120_000);

  it('answers the DESIGN message of class-validator for the usual mistakes', async () => {
    for (const [b, message] of [
      [{}, 'VALIDATION: email must be an email'],
      [{ email: 'not-an-email' }, 'VALIDATION: email must be an email'],
      [{ email: 'jane@example.com', redirectUrl: 'https://evil.example/' }, 'VALIDATION: property redirectUrl should not exist'],
      [{ email: 'jane@example.com', altcha: 5 }, 'VALIDATION: altcha must be shorter than or equal to 4096 characters'],
      [{ email: `${'a'.repeat(250)}@example.com` }, 'VALIDATION: email must be an email'],
    ] as const) {
      expect(await withFastPath(b)).toEqual({ refused: message });
    }
    expect(await withFastPath({ email: 'jane@example.com', altcha: 'x' })).toEqual({
      accepted: { email: 'jane@example.com', altcha: 'x' },
      type: 'ForgotPasswordDto',
    });
  });
});
