import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { DomainError, ErrorCode } from '@customer-access/common';
import { AppConfig } from '@customer-access/config';
import { PasswordHasher } from '@customer-access/customers';
import { AdminPrincipal, AdminUser } from '../accounts/admin-user.entity';
import { AdminUserRepository } from '../accounts/admin-user.repository';
import { ADMIN_JWT, AdminAuthService } from './admin-auth.service';
import { MfaMethod } from '../mfa/admin-mfa-factor.entity';
import { MfaRepository } from '../mfa/mfa.repository';
import { MfaTokens } from '../mfa/mfa-tokens';
import { AdminSignInLimiter } from './admin-sign-in-limiter';

const SECRET = 'unit-test-secret-unit-test-secret-0123456789';
const config = { jwtSecret: SECRET, adminTokenTtlSeconds: 900, adminMfa: 'optional' } as AppConfig;

function setup(overrides: Partial<AppConfig> = {}, enrolled: MfaMethod[] = []) {
  const admin: AdminPrincipal = { id: randomUUID(), email: 'boss@example.com', role: 'administrator' };
  const rows = new Map<string, AdminPrincipal>([[admin.id, admin]]);
  const repo = {
    findByEmail: jest.fn(async (email: string) =>
      email === admin.email ? Object.assign(new AdminUser(), { ...admin, passwordHash: 'hash' }) : null,
    ),
    findPrincipal: jest.fn(async (id: string) => rows.get(id) ?? null),
  } as unknown as AdminUserRepository;
  const hasher = {
    verify: jest.fn(async (_hash: string, password: string) => password === 'right-password-123'),
    verifyDummy: jest.fn(async () => false as const),
  } as unknown as PasswordHasher;
  const limiter = { assertAllowed: jest.fn(), recordFailure: jest.fn(), clear: jest.fn() } as unknown as AdminSignInLimiter;
  const jwt = new JwtService({});
  const mfa = { confirmedFactors: jest.fn(async () => enrolled.map((kind) => ({ kind }))) } as unknown as MfaRepository;
  const mfaTokens = { issue: jest.fn(async () => 'the-mfa-token') } as unknown as MfaTokens;
  const service = new AdminAuthService(repo, hasher, jwt, limiter, mfa, mfaTokens, { ...config, ...overrides });
  const signIn = async (email: string, password: string, ip: string) => {
    const result = await service.signIn(email, password, ip);
    if (!result.token) throw new Error('expected a token, got an MFA challenge');
    return result.token;
  };
  return { admin, rows, service, jwt, hasher, limiter, signIn };
}

async function expect401(promise: Promise<unknown>): Promise<void> {
  await expect(promise).rejects.toBeInstanceOf(DomainError);
  await promise.catch((error: DomainError) => {
    expect(error.realm).toBe('admin');
    expect(error.code).toBe(ErrorCode.Unauthorized);
  });
}

const validClaims = (sub: string) => ({ sub, typ: 'admin' });
const noExpiry = { secret: SECRET, algorithm: 'HS256' as const, issuer: ADMIN_JWT.issuer, audience: ADMIN_JWT.audience };
const validOptions = { ...noExpiry, expiresIn: 60 };

describe('AdminAuthService', () => {
  it('issues a token that authenticates the admin, with the role read from the database', async () => {
    const { admin, rows, service, signIn } = setup();
    const issued = await signIn('Boss@Example.com', 'right-password-123', '10.0.0.1');
    expect(issued.expiresIn).toBe(900);
    expect(await service.authenticate(issued.accessToken)).toEqual({ ...admin, credential: { kind: 'session', secondFactor: false } });

    rows.set(admin.id, { ...admin, role: 'support' });
    expect((await service.authenticate(issued.accessToken)).role).toBe('support');
  });

  it('puts the distinguishing claims in the token and nothing secret', async () => {
    const { jwt, signIn } = setup();
    const { accessToken } = await signIn('boss@example.com', 'right-password-123', '10.0.0.1');
    const decoded = jwt.decode(accessToken, { complete: true }) as { header: Record<string, unknown>; payload: Record<string, unknown> };
    expect(decoded.header.alg).toBe('HS256');
    expect(decoded.payload).toMatchObject({ typ: 'admin', iss: ADMIN_JWT.issuer, aud: ADMIN_JWT.audience, amr: ['pwd'] });
    expect(Object.keys(decoded.payload).sort()).toEqual(['amr', 'aud', 'exp', 'iat', 'iss', 'sub', 'typ']);
    expect((decoded.payload.exp as number) - (decoded.payload.iat as number)).toBe(900);
  });

  it('answers a wrong password and an unknown email with the same 401, and counts both', async () => {
    const { service, hasher, limiter } = setup();
    await expect401(service.signIn('boss@example.com', 'wrong', '10.0.0.1'));
    await expect401(service.signIn('nobody@example.com', 'right-password-123', '10.0.0.1'));
    expect(hasher.verifyDummy).toHaveBeenCalledTimes(1);
    expect(limiter.recordFailure).toHaveBeenCalledTimes(2);
    expect(limiter.clear).not.toHaveBeenCalled();
  });

  it('refuses a deleted admin', async () => {
    const { admin, rows, service, signIn } = setup();
    const { accessToken } = await signIn('boss@example.com', 'right-password-123', '10.0.0.1');
    rows.delete(admin.id);
    await expect401(service.authenticate(accessToken));
  });

  it('with ADMIN_MFA=required, answers a right password with an mfa_token and no access token', async () => {
    const { service, limiter } = setup({ adminMfa: 'required' });
    const result = await service.signIn('boss@example.com', 'right-password-123', '10.0.0.1');
    expect(result).toEqual({ challenge: { mfaToken: 'the-mfa-token', enrolled: false, methods: ['totp', 'webauthn'] } });
    // Only a complete sign-in clears the count: a known password must not wipe wrong codes.
    expect(limiter.clear).not.toHaveBeenCalled();
  });

  it('with ADMIN_MFA=optional, still asks an admin who enrolled a factor for it', async () => {
    const { service } = setup({ adminMfa: 'optional' }, ['totp']);
    expect(await service.signIn('boss@example.com', 'right-password-123', '10.0.0.1')).toEqual({
      challenge: { mfaToken: 'the-mfa-token', enrolled: true, methods: ['totp'] },
    });
  });

  it('marks a token issued after a second factor, and only that one', async () => {
    const { admin, service } = setup();
    const withCode = await service.issueToken(admin, ['pwd', 'otp']);
    expect((await service.authenticate(withCode.accessToken)).credential).toEqual({ kind: 'session', secondFactor: true });
    const passwordOnly = await service.issueToken(admin, ['pwd']);
    expect((await service.authenticate(passwordOnly.accessToken)).credential).toEqual({ kind: 'session', secondFactor: false });
  });

  it.each([
    [
      'another key',
      (sub: string) => new JwtService({}).sign(validClaims(sub), { ...validOptions, secret: 'another-secret-another-secret-0123456789' }),
    ],
    ['no typ claim', (sub: string) => new JwtService({}).sign({ sub }, validOptions)],
    ['another typ', (sub: string) => new JwtService({}).sign({ sub, typ: 'customer' }, validOptions)],
    ['another audience', (sub: string) => new JwtService({}).sign(validClaims(sub), { ...validOptions, audience: 'storefront' })],
    ['another issuer', (sub: string) => new JwtService({}).sign(validClaims(sub), { ...validOptions, issuer: 'someone-else' })],
    ['expired', (sub: string) => new JwtService({}).sign({ ...validClaims(sub), exp: Math.floor(Date.now() / 1000) - 10 }, noExpiry)],
    ['no exp', (sub: string) => new JwtService({}).sign(validClaims(sub), noExpiry)],
    [
      'issued too long ago',
      (sub: string) =>
        new JwtService({}).sign({ ...validClaims(sub), iat: Math.floor(Date.now() / 1000) - 3600 }, { ...validOptions, expiresIn: 7200 }),
    ],
    ['HS512 with the right key', (sub: string) => new JwtService({}).sign(validClaims(sub), { ...validOptions, algorithm: 'HS512' })],
    [
      'alg none',
      (sub: string) =>
        unsigned({ ...validClaims(sub), iss: ADMIN_JWT.issuer, aud: ADMIN_JWT.audience, exp: Math.floor(Date.now() / 1000) + 60 }),
    ],
    ['a non-uuid subject', () => new JwtService({}).sign(validClaims('1 or 1=1'), validOptions)],
    ['malformed', () => 'not.a.jwt'],
    ['a customer access token', () => 'dGhpcy1pcy1hLWN1c3RvbWVyLWFjY2Vzcy10b2tlbi0xMjM'],
  ])('refuses a token with %s', async (_name, make) => {
    const { admin, service } = setup();
    await expect401(service.authenticate(make(admin.id)));
  });
});

function unsigned(payload: object): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(payload)}.`;
}
