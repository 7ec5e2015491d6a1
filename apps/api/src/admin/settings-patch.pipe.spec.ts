import { DomainError } from '@customer-access/common';
import { SettingsPatchPipe } from './settings-patch.pipe';

const pipe = new SettingsPatchPipe();
const run = (value: unknown) => pipe.transform(value, { type: 'body', metatype: Object });

async function rejection(value: unknown): Promise<DomainError> {
  const error = await run(value).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe('VALIDATION');
  return error as DomainError;
}

describe('SettingsPatchPipe', () => {
  it('accepts a valid partial update, and an empty one', async () => {
    await expect(
      run({ resetLinkExpirationHours: 1, resetProtectionType: 'ip', revokeTokensOnReset: false, supportEmail: 'help@shop.example' }),
    ).resolves.toMatchObject({
      resetLinkExpirationHours: 1,
      resetProtectionType: 'ip',
      revokeTokensOnReset: false,
    });
    await expect(run({})).resolves.toEqual({});
    await expect(run({ maxResetRequestsPerHour: 0, minSecondsBetweenResetRequests: 0 })).resolves.toBeTruthy();
  });

  it.each([
    [{ resetLinkExpirationHours: 0 }, /resetLinkExpirationHours/],
    [{ resetLinkExpirationHours: 25 }, /resetLinkExpirationHours/],
    [{ resetLinkExpirationHours: 1.5 }, /resetLinkExpirationHours/],
    [{ maxResetRequestsPerHour: -1 }, /maxResetRequestsPerHour/],
    [{ minSecondsBetweenResetRequests: -1 }, /minSecondsBetweenResetRequests/],
    [{ minPasswordLength: 5 }, /minPasswordLength/],
    [{ minPasswordLength: 257 }, /minPasswordLength/],
    [{ requiredCharacterClasses: 0 }, /requiredCharacterClasses/],
    [{ requiredCharacterClasses: 5 }, /requiredCharacterClasses/],
    [{ resetProtectionType: 'captcha' }, /resetProtectionType/],
    [{ supportEmail: 'not-an-email' }, /supportEmail/],
  ])('refuses an out-of-range value %j', async (body, field) => {
    expect((await rejection(body)).message).toMatch(field);
  });

  it.each([
    [{ resetLinkExpirationHours: '5' }, 'resetLinkExpirationHours must be a number'],
    [{ resetLinkExpirationHours: true }, 'resetLinkExpirationHours must be a number'],
    [{ resetLinkExpirationHours: [5] }, 'resetLinkExpirationHours must be a number'],
    [{ minPasswordLength: null }, 'minPasswordLength must be a number'],
    [{ revokeTokensOnReset: 'false' }, 'revokeTokensOnReset must be a boolean'],
    [{ supportEmail: 5 }, 'supportEmail must be a string'],
  ])('refuses a wrong JSON type %j', async (body, message) => {
    expect((await rejection(body)).message).toContain(message);
  });

  it('refuses unknown settings and non-object bodies', async () => {
    expect((await rejection({ isAdmin: true })).message).toMatch(/isAdmin should not exist/);
    await rejection([]);
    await rejection(null);
    await rejection('minPasswordLength=8');
    await rejection(undefined);
  });
});
