import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { TOTP } from 'otpauth';
import { DomainError, ErrorCode } from '@customer-access/common';
import { AppConfig } from '@customer-access/config';
import { AdminAuthService } from '../access/admin-auth.service';
import { AdminSignInLimiter } from '../access/admin-sign-in-limiter';
import { AdminPrincipal } from '../accounts/admin-user.entity';
import { AdminUserRepository } from '../accounts/admin-user.repository';
import { AuditService } from '../audit/audit.service';
import { AdminMfaService } from './admin-mfa.service';
import { MfaRepository, TotpFactor } from './mfa.repository';
import { MfaTokens } from './mfa-tokens';
import { SecretBox } from './secret-box';
import { newTotpSecret } from './totp';
import { WebAuthnCeremonies } from './webauthn';

const KEY = 'current-mfa-key-current-mfa-key-0123456789';
const OLD_KEY = 'retired-mfa-key-retired-mfa-key-0123456789';

function setup(factor: (adminId: string) => TotpFactor | null) {
  const admin: AdminPrincipal = { id: randomUUID(), email: 'boss@example.com', role: 'administrator' };
  const ticket = { adminId: admin.id, tokenId: randomUUID() };
  const repo = {
    totpOf: jest.fn(async () => factor(admin.id)),
    hasConfirmedFactor: jest.fn(async () => true),
    acceptTotpStep: jest.fn(async () => true),
  } as unknown as MfaRepository;
  const tokens = {
    open: jest.fn(async () => ticket),
    claimAttempt: jest.fn(async () => undefined),
    endedByFailures: jest.fn(async () => false),
    spend: jest.fn(async () => undefined),
  } as unknown as MfaTokens;
  const admins = { findPrincipal: jest.fn(async () => admin) } as unknown as AdminUserRepository;
  const auth = {
    issueToken: jest.fn(async () => ({ accessToken: 'jwt', expiresIn: 900, role: admin.role })),
  } as unknown as AdminAuthService;
  const limiter = { assertAllowed: jest.fn(), recordFailure: jest.fn(), clear: jest.fn() } as unknown as AdminSignInLimiter;
  const audit = { record: jest.fn() } as unknown as AuditService;
  const config = { mfaEncryptionKey: KEY, mfaEncryptionKeyPrevious: undefined, publicUrl: 'http://localhost:3000' } as unknown as AppConfig;
  const service = new AdminMfaService(repo, tokens, admins, auth, limiter, audit, {} as WebAuthnCeremonies, config);
  return { admin, service, tokens, limiter, repo };
}

const codeOf = (secret: string) => new TOTP({ secret, digits: 6, period: 30, algorithm: 'SHA1' }).generate();

describe('AdminMfaService.totpSignIn', () => {
  beforeEach(() => jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('signs in with a code of a secret sealed under MFA_ENCRYPTION_KEY', async () => {
    const secret = newTotpSecret();
    const { service } = setup((adminId) => ({ id: randomUUID(), secretBox: new SecretBox(KEY).seal(secret, adminId), confirmed: true }));
    await expect(service.totpSignIn('t', codeOf(secret), '10.0.0.1')).resolves.toMatchObject({ token: { accessToken: 'jwt' } });
  });

  it.each([
    ['sealed under a key this server does not have', (adminId: string) => new SecretBox(OLD_KEY).seal(newTotpSecret(), adminId)],
    ['damaged', () => 'v1.abc.not-an-iv.x.y'],
  ])('a TOTP secret %s: 401 MFA_INVALID with a clear message, not a 500, and no wrong code counted', async (_what, box) => {
    const secret = newTotpSecret();
    const { service, tokens, limiter } = setup((adminId) => ({ id: randomUUID(), secretBox: box(adminId), confirmed: true }));
    const error = await service.totpSignIn('t', codeOf(secret), '10.0.0.1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(ErrorCode.MfaInvalid);
    expect((error as DomainError).message).toMatch(/cannot be checked on this server.*recovery code/);
    expect(tokens.claimAttempt).not.toHaveBeenCalled();
    expect(tokens.endedByFailures).not.toHaveBeenCalled();
    expect(limiter.recordFailure).not.toHaveBeenCalled();
    // The operator learns why, without the box in the log.
    const logged = (Logger.prototype.error as jest.Mock).mock.calls.map((c) => String(c[0])).join('\n');
    expect(logged).toMatch(/cannot be opened/);
  });
});
