import { Inject, Injectable, Logger } from '@nestjs/common';
import { DomainError, ErrorCode } from '@customer-access/common';
import { APP_CONFIG, AppConfig } from '@customer-access/config';
import { AdminAuthService, AuthMethodRef, IssuedAdminToken } from '../access/admin-auth.service';
import { AdminActor } from '../access/admin-request';
import { AdminSignInLimiter } from '../access/admin-sign-in-limiter';
import { AdminPrincipal } from '../accounts/admin-user.entity';
import { AdminUserRepository } from '../accounts/admin-user.repository';
import { AuditAction } from '../audit/audit-event.entity';
import { AuditService } from '../audit/audit.service';
import { MfaMethod } from './admin-mfa-factor.entity';
import { MfaFactorView, MfaRepository, TotpFactor } from './mfa.repository';
import { WebAuthnCeremonies, WebAuthnOptions } from './webauthn';
import { MfaTicket, MfaTokens, mfaInvalid } from './mfa-tokens';
import { hashRecoveryCode, newRecoveryCode, normalizeRecoveryCode, RECOVERY_CODE_COUNT } from './recovery-codes';
import { SecretBox } from './secret-box';
import { newTotpSecret, totpStep, totpUrl } from './totp';

export interface TotpSetup {
  secret: string;
  otpauthUrl: string;
}

export interface MfaSignedIn {
  token: IssuedAdminToken;
  /** Only when this sign-in enrolled the admin's first factor: shown once, never again. */
  recoveryCodes?: string[];
}

const signInScope = (ticket: MfaTicket): string => `sign-in:${ticket.tokenId}`;
const accountScope = (admin: AdminPrincipal): string => `account:${admin.id}`;

/** A key's name as its admin typed it (trimmed, at most 100 characters), or a default. */
function keyName(name: unknown): string {
  const trimmed = typeof name === 'string' ? name.trim().slice(0, 100) : '';
  return trimmed || 'Security key';
}

/**
 * The second step of admin sign-in, and each admin's own factors (docs/admin-sign-in.md). Every
 * wrong code counts twice: against the mfa_token (5 end it) and in the per-admin sign-in limiter
 * (which also blocks the password step), and it is audited.
 */
@Injectable()
export class AdminMfaService {
  readonly box: SecretBox;
  private readonly logger = new Logger('AdminMfa');

  constructor(
    private readonly repo: MfaRepository,
    private readonly tokens: MfaTokens,
    private readonly admins: AdminUserRepository,
    private readonly auth: AdminAuthService,
    private readonly limiter: AdminSignInLimiter,
    private readonly audit: AuditService,
    private readonly webauthn: WebAuthnCeremonies,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.box = new SecretBox(config.mfaEncryptionKey, config.mfaEncryptionKeyPrevious);
  }

  /** A new authenticator secret for an admin who has no factor yet (it replaces an unfinished one). */
  async totpSetup(mfaToken: unknown, ip: string): Promise<TotpSetup> {
    const { admin } = await this.open(mfaToken, ip);
    if (await this.repo.hasConfirmedFactor(admin.id)) {
      throw new DomainError(ErrorCode.Forbidden, 'A second factor is already enrolled: sign in with it, then add another in My Account.');
    }
    const secret = newTotpSecret();
    if (!(await this.repo.savePendingTotp(admin.id, this.box.seal(secret, admin.id)))) {
      throw new DomainError(ErrorCode.Forbidden, 'An authenticator app is already enrolled.');
    }
    return { secret, otpauthUrl: totpUrl(secret, this.issuer(), admin.email) };
  }

  /** An authenticator code: signs in, and confirms an enrolment under way (then recovery codes). */
  async totpSignIn(mfaToken: unknown, code: unknown, ip: string): Promise<MfaSignedIn> {
    const { ticket, admin } = await this.open(mfaToken, ip);
    const factor = await this.repo.totpOf(admin.id);
    // A secret this server cannot open is the operator's problem: refused before an attempt is taken.
    const secret = factor ? this.openSecret(factor, admin.id) : null;
    await this.tokens.claimAttempt(ticket);
    const step = secret && typeof code === 'string' ? totpStep(secret, code.trim()) : null;
    const hadFactor = factor?.confirmed || (await this.repo.hasConfirmedFactor(admin.id));
    // An unfinished enrolment signs nobody in once another factor is confirmed: only that one counts.
    const usable = factor && (factor.confirmed || !hadFactor);
    if (!factor || !usable || step === null || !(await this.repo.acceptTotpStep(factor.id, step))) {
      return this.fail(ticket, admin, ip, 'totp');
    }
    await this.tokens.spend(ticket);
    let recoveryCodes: string[] | undefined;
    if (!factor.confirmed) {
      await this.audit.record({ ...admin, ip }, AuditAction.MfaEnrolled, null, { factorId: factor.id, method: 'totp' });
      if (!hadFactor) recoveryCodes = await this.newRecoveryCodes(admin);
    }
    return { token: await this.signedIn(admin, 'otp'), recoveryCodes };
  }

  /**
   * WebAuthn options for the second step: registration (navigator.credentials.create) for an admin
   * with no factor yet, authentication (.get) for one with security keys or passkeys.
   */
  async webauthnOptions(mfaToken: unknown, ip: string): Promise<WebAuthnOptions> {
    const { ticket, admin } = await this.open(mfaToken, ip);
    const keys = await this.repo.webauthnFactors(admin.id);
    if (keys.length > 0) return this.webauthn.authenticationOptions(signInScope(ticket), keys);
    if (await this.repo.hasConfirmedFactor(admin.id)) {
      throw new DomainError(ErrorCode.Forbidden, 'No security key is enrolled: use your authenticator app or a recovery code.');
    }
    return this.webauthn.registrationOptions(signInScope(ticket), admin, []);
  }

  /**
   * The answer to webauthnOptions: a new key (enrolling the first factor, then recovery codes) or
   * an assertion by one of the admin's keys. A wrong or replayed answer counts as a wrong code.
   */
  async webauthnSignIn(mfaToken: unknown, response: unknown, name: unknown, ip: string): Promise<MfaSignedIn> {
    const { ticket, admin } = await this.openAttempt(mfaToken, ip);
    const pending = await this.webauthn.take(signInScope(ticket));
    if (!pending) return this.fail(ticket, admin, ip, 'webauthn');
    if (pending.ceremony === 'register') {
      const key = await this.webauthn.verifyRegistration(response, pending.challenge, keyName(name));
      if (!key || (await this.repo.hasConfirmedFactor(admin.id))) return this.fail(ticket, admin, ip, 'webauthn');
      await this.tokens.spend(ticket);
      const added = await this.repo.addWebAuthnFactor(admin.id, key);
      if (!added) return this.fail(ticket, admin, ip, 'webauthn');
      await this.audit.record({ ...admin, ip }, AuditAction.MfaEnrolled, null, {
        factorId: added.id,
        method: 'webauthn',
        name: added.name,
        deviceType: key.deviceType,
      });
      const recoveryCodes = await this.newRecoveryCodes(admin);
      return { token: await this.signedIn(admin, 'hwk'), recoveryCodes };
    }
    const keys = await this.repo.webauthnFactors(admin.id);
    const assertion = await this.webauthn.verifyAuthentication(response, pending.challenge, keys);
    if (
      !assertion ||
      !(await this.repo.recordWebAuthnUse(
        assertion.factor.id,
        assertion.factor.signCount,
        assertion.newCounter,
        assertion.deviceType,
        assertion.backedUp,
      ))
    ) {
      return this.fail(ticket, admin, ip, 'webauthn');
    }
    await this.tokens.spend(ticket);
    return { token: await this.signedIn(admin, 'hwk') };
  }

  /** My Account, "Add a security key": registration options for the signed-in admin. */
  async accountWebauthnOptions(actor: AdminActor): Promise<WebAuthnOptions> {
    return this.webauthn.registrationOptions(accountScope(actor), actor, await this.repo.webauthnFactors(actor.id));
  }

  /** My Account: the new key's attestation. A refusal is audited; the admin stays signed in. */
  async accountWebauthnAdd(actor: AdminActor, response: unknown, name: unknown): Promise<MfaFactorView> {
    const pending = await this.webauthn.take(accountScope(actor));
    const key =
      pending?.ceremony === 'register' ? await this.webauthn.verifyRegistration(response, pending.challenge, keyName(name)) : null;
    const added = key ? await this.repo.addWebAuthnFactor(actor.id, key) : null;
    if (!key || !added) {
      await this.audit.record(actor, AuditAction.MfaFailed, null, { method: 'webauthn', enrolling: true });
      throw mfaInvalid('The security key could not be verified. Try again.');
    }
    await this.audit.record(actor, AuditAction.MfaEnrolled, null, {
      factorId: added.id,
      method: 'webauthn',
      name: added.name,
      deviceType: key.deviceType,
    });
    return added;
  }

  /** A recovery code instead of the factor: each works once. */
  async recoverySignIn(mfaToken: unknown, code: unknown, ip: string): Promise<MfaSignedIn> {
    const { ticket, admin } = await this.openAttempt(mfaToken, ip);
    const normalized = typeof code === 'string' ? normalizeRecoveryCode(code) : null;
    if (!normalized || !(await this.repo.spendRecoveryCode(admin.id, hashRecoveryCode(admin.id, normalized)))) {
      return this.fail(ticket, admin, ip, 'recovery');
    }
    await this.tokens.spend(ticket);
    const remaining = await this.repo.unusedRecoveryCodes(admin.id);
    await this.audit.record({ ...admin, ip }, AuditAction.RecoveryCodeUsed, null, { remaining });
    return { token: await this.signedIn(admin, 'rec') };
  }

  factors(admin: AdminPrincipal): Promise<MfaFactorView[]> {
    return this.repo.confirmedFactors(admin.id);
  }

  recoveryCodesLeft(admin: AdminPrincipal): Promise<number> {
    return this.repo.unusedRecoveryCodes(admin.id);
  }

  /** Whether the only factor stays (ADMIN_MFA=required): see removeFactor. */
  lastFactorKept(): boolean {
    return this.config.adminMfa === 'required';
  }

  /**
   * Removes one of the admin's own factors. With ADMIN_MFA=required the last one stays: removing it
   * would leave a signed-in admin with no second factor and no recovery codes until the next
   * sign-in (which would then enroll whatever the person at the keyboard brings). A lost last
   * factor is what a recovery code or `admin:mfa-reset` is for.
   */
  async removeFactor(actor: AdminActor, factorId: string): Promise<void> {
    const removed = await this.repo.removeFactor(actor.id, factorId, this.lastFactorKept());
    if (removed === 'last') {
      throw new DomainError(ErrorCode.Forbidden, 'This is your only second factor: add another before removing it.');
    }
    if (!removed) throw new DomainError(ErrorCode.NotFound, 'This factor does not exist.');
    await this.audit.record(actor, AuditAction.MfaRemoved, null, { factorId: removed.id, method: removed.kind, name: removed.name });
  }

  /** Replaces all recovery codes; only for an admin who has a factor (codes stand in for one). */
  async regenerateRecoveryCodes(actor: AdminActor): Promise<string[]> {
    if (!(await this.repo.hasConfirmedFactor(actor.id))) {
      throw new DomainError(ErrorCode.Forbidden, 'Enroll a second factor first.');
    }
    const codes = await this.newRecoveryCodes(actor);
    await this.audit.record(actor, AuditAction.RecoveryCodesRegenerated, null, { count: codes.length });
    return codes;
  }

  private async newRecoveryCodes(admin: AdminPrincipal): Promise<string[]> {
    const codes = new Set<string>();
    while (codes.size < RECOVERY_CODE_COUNT) codes.add(newRecoveryCode());
    await this.repo.replaceRecoveryCodes(
      admin.id,
      [...codes].map((c) => hashRecoveryCode(admin.id, c)),
    );
    return [...codes];
  }

  private async open(mfaToken: unknown, ip: string): Promise<{ ticket: MfaTicket; admin: AdminPrincipal }> {
    const ticket = await this.tokens.open(mfaToken);
    const admin = await this.admins.findPrincipal(ticket.adminId);
    if (!admin) throw mfaInvalid('The sign-in has expired. Sign in again.');
    await this.limiter.assertAllowed(admin.email, ip);
    return { ticket, admin };
  }

  /** open, and take one of the token's attempts before anything is checked (MfaTokens.claimAttempt). */
  private async openAttempt(mfaToken: unknown, ip: string): Promise<{ ticket: MfaTicket; admin: AdminPrincipal }> {
    const opened = await this.open(mfaToken, ip);
    await this.tokens.claimAttempt(opened.ticket);
    return opened;
  }

  private async fail(ticket: MfaTicket, admin: AdminPrincipal, ip: string, method: MfaMethod | 'recovery'): Promise<never> {
    const [signInEnded] = await Promise.all([this.tokens.endedByFailures(ticket), this.limiter.recordFailure(admin.email, ip)]);
    await this.audit.record({ ...admin, ip }, AuditAction.MfaFailed, null, { method, signInEnded });
    throw mfaInvalid(signInEnded ? 'Too many wrong codes. Sign in again.' : 'The authentication code is not valid.');
  }

  /** After the token was spent (MfaTokens.spend, before any effect of the success): the admin JWT. */
  private async signedIn(admin: AdminPrincipal, method: AuthMethodRef): Promise<IssuedAdminToken> {
    await this.limiter.clear(admin.email);
    return this.auth.issueToken(admin, ['pwd', method]);
  }

  /**
   * The factor's TOTP secret. A box this server cannot open (sealed under a key that is neither
   * MFA_ENCRYPTION_KEY nor MFA_ENCRYPTION_KEY_PREVIOUS, or damaged) is an operator's problem, not a
   * wrong code: a clear 401 that does not count against the sign-in, and an error in the log for
   * the operator (the key id only, never the box).
   */
  private openSecret(factor: TotpFactor, adminId: string): string {
    try {
      return this.box.open(factor.secretBox, adminId);
    } catch (error) {
      // SecretBox's messages name key ids at most, never the box or the secret.
      this.logger.error(
        `The TOTP secret of factor ${factor.id} cannot be opened: ${(error as Error).message} ` +
          'Set MFA_ENCRYPTION_KEY_PREVIOUS to the key that sealed it, or run admin:mfa-reset for this admin.',
      );
      throw mfaInvalid(
        factor.confirmed
          ? 'Your authenticator app cannot be checked on this server right now. Use a security key or a recovery code, or ask an administrator to reset your second factor.'
          : 'This authenticator app setup can no longer be finished. Start the setup again.',
      );
    }
  }

  /** The name an authenticator app shows above the code: the service and the host it runs on. */
  private issuer(): string {
    return `Customer Access (${new URL(this.config.publicUrl).hostname})`;
  }
}
