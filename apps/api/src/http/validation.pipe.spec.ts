import 'reflect-metadata';
import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import fc from 'fast-check';
import { DomainError, INPUT_LIMITS } from '@customer-access/common';
import { MAX_CHALLENGE_PAYLOAD_LENGTH } from '@customer-access/password-reset';
import { ForgotPasswordDto, ResetPasswordDto } from '../storefront/storefront.dto';
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

/**
 * The reset body's fast path (ResetPasswordDto.acceptWellFormed) against class-validator, as above:
 * same verdict, value, code and message over thousands of bodies; the fast path taken for every
 * well-formed one.
 */
describe('validation pipe: the reset body fast path gives class-validator verdicts', () => {
  const pipe = createValidationPipe();
  const META: ArgumentMetadata = { type: 'body', metatype: ResetPasswordDto, data: undefined };
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
  const classValidator = (body: unknown) =>
    settle(async () => {
      assertSafeInput(body);
      return ValidationPipe.prototype.transform.call(pipe, body, META);
    });

  const { token: MAX_TOKEN, password: MAX_PASSWORD } = INPUT_LIMITS;
  const around = (max: number, char: string) => fc.integer({ min: max - 2, max: max + 2 }).map((n) => char.repeat(n));
  const token = fc.oneof(fc.base64String({ maxLength: 64 }), fc.constant(''), around(MAX_TOKEN, 'a'), fc.string({ maxLength: 20 }));
  // Surrogate pairs count as one character in MaxLength, not two.
  const password = fc.oneof(fc.string({ maxLength: 40 }), around(MAX_PASSWORD, 'p'), around(MAX_PASSWORD, '\u{1F600}'), fc.constant(''));
  const notAString = fc.oneof(fc.constant(null), fc.integer(), fc.boolean(), fc.constant([]), fc.constant({}));
  const body = fc.oneof(
    { weight: 6, arbitrary: fc.record({ token, password, passwordConfirmation: password }, { noNullPrototype: true }) },
    {
      weight: 2,
      arbitrary: fc.record(
        {
          token: fc.oneof(token, notAString),
          password: fc.oneof(password, notAString),
          passwordConfirmation: fc.oneof(password, notAString),
        },
        { requiredKeys: [] },
      ),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.record({ token, password, passwordConfirmation: password }),
          fc.constantFrom('customerId', 'email', 'Token', 'constructor', ''),
          fc.jsonValue(),
        )
        .map(([b, key, value]) => ({ ...b, [key]: value })),
    },
    { weight: 1, arbitrary: fc.oneof(fc.constant(null), fc.string(), fc.integer(), fc.array(fc.record({ token }), { maxLength: 2 })) },
  );

  it('same verdict, value, code and message for every body; the fast path taken for every well-formed one', async () => {
    let fast = 0;
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const ours = await withFastPath(b);
        expect(ours).toEqual(await classValidator(b));
        const accepted = ResetPasswordDto.acceptWellFormed(b);
        if (accepted) fast++;
        const wellFormed =
          'accepted' in ours &&
          Object.getPrototypeOf(b) === Object.prototype &&
          Object.keys(b as object).length === 3 &&
          ['token', 'password', 'passwordConfirmation'].every((k) => typeof ours.accepted[k] === 'string');
        expect(accepted !== undefined).toBe(wellFormed);
      }),
      { numRuns: 3000 },
    );
    expect(fast).toBeGreaterThan(300);
  }, 120_000);

  it('answers the DESIGN message of class-validator for the usual mistakes', async () => {
    for (const [b, message] of [
      [{ password: 'N3w-Secret', passwordConfirmation: 'N3w-Secret' }, 'VALIDATION: token must be shorter than or equal to 512 characters'],
      [
        { token: '', password: 'N3w-Secret', passwordConfirmation: 'N3w-Secret' },
        'VALIDATION: token must be longer than or equal to 1 characters',
      ],
      [
        { token: 't', password: 'N3w-Secret', passwordConfirmation: 'N3w-Secret', customerId: 'x' },
        'VALIDATION: property customerId should not exist',
      ],
    ] as const) {
      expect(await withFastPath(b)).toEqual({ refused: message });
    }
    expect(await withFastPath({ token: 't', password: 'N3w-Secret', passwordConfirmation: 'N3w-Secret' })).toEqual({
      accepted: { token: 't', password: 'N3w-Secret', passwordConfirmation: 'N3w-Secret' },
      type: 'ResetPasswordDto',
    });
  });
});
