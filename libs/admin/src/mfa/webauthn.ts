import { Inject, Injectable } from '@nestjs/common';
import {
  AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { APP_CONFIG, AppConfig } from '@customer-access/config';
import { adminWebAuthnChallengeKey, REDIS_CLIENT, RedisConnection } from '@customer-access/redis';
import { AdminPrincipal } from '../accounts/admin-user.entity';
import { NewWebAuthnFactor, WebAuthnFactor } from './mfa.repository';

/** How long a challenge waits for its answer: as long as an mfa_token lives. */
const CHALLENGE_TTL_SECONDS = 300;
/** What the browser is told to wait for the key (ms); the library's default, as WebAuthn suggests. */
const CEREMONY_TIMEOUT_MS = 60_000;

export type WebAuthnCeremony = 'register' | 'authenticate';

export type WebAuthnOptions =
  | { ceremony: 'register'; options: PublicKeyCredentialCreationOptionsJSON }
  | { ceremony: 'authenticate'; options: PublicKeyCredentialRequestOptionsJSON };

/** A verified assertion: the new counter and backup state to store. */
export interface VerifiedAssertion {
  factor: WebAuthnFactor;
  newCounter: number;
  deviceType: string;
  backedUp: boolean;
}

/**
 * WebAuthn ceremonies with @simplewebauthn/server (docs/admin-sign-in.md, "Security keys and
 * passkeys"). The relying party is the host of PUBLIC_URL and the only accepted origin is its
 * origin. Each challenge is kept in Redis under its scope (the mfa_token's id, or the admin's id in
 * My Account) and taken at the answer: it works once, on any API instance, and only for the
 * ceremony it was issued for.
 */
@Injectable()
export class WebAuthnCeremonies {
  private readonly rpId: string;
  private readonly origin: string;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisConnection,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const url = new URL(config.publicUrl);
    this.rpId = url.hostname;
    this.origin = url.origin;
  }

  /** Options for navigator.credentials.create: a new key, never one the admin already has. */
  async registrationOptions(scope: string, admin: AdminPrincipal, existing: WebAuthnFactor[]): Promise<WebAuthnOptions> {
    const options = await generateRegistrationOptions({
      rpName: 'Customer Access',
      rpID: this.rpId,
      userName: admin.email,
      userDisplayName: admin.email,
      userID: new TextEncoder().encode(admin.id),
      attestationType: 'none',
      timeout: CEREMONY_TIMEOUT_MS,
      excludeCredentials: existing.map((f) => ({ id: f.credentialId, transports: f.transports })),
      // Security keys and passkeys alike; a discoverable credential when the authenticator can.
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
    });
    await this.remember(scope, 'register', options.challenge);
    return { ceremony: 'register', options };
  }

  /** Options for navigator.credentials.get, limited to the admin's own keys. */
  async authenticationOptions(scope: string, factors: WebAuthnFactor[]): Promise<WebAuthnOptions> {
    const options = await generateAuthenticationOptions({
      rpID: this.rpId,
      timeout: CEREMONY_TIMEOUT_MS,
      allowCredentials: factors.map((f) => ({ id: f.credentialId, transports: f.transports })),
      userVerification: 'preferred',
    });
    await this.remember(scope, 'authenticate', options.challenge);
    return { ceremony: 'authenticate', options };
  }

  /** Takes the scope's challenge (single use): the ceremony it was issued for, or null. */
  async take(scope: string): Promise<{ ceremony: WebAuthnCeremony; challenge: string } | null> {
    const raw = await this.redis.getdel(adminWebAuthnChallengeKey(scope));
    if (!raw) return null;
    const [ceremony, challenge] = raw.split(' ');
    return ceremony === 'register' || ceremony === 'authenticate' ? { ceremony, challenge } : null;
  }

  /** A new key's attestation, checked against the challenge, origin and relying party; null if it fails. */
  async verifyRegistration(response: unknown, challenge: string, name: string): Promise<NewWebAuthnFactor | null> {
    try {
      const result = await verifyRegistrationResponse({
        response: response as RegistrationResponseJSON,
        expectedChallenge: challenge,
        expectedOrigin: this.origin,
        expectedRPID: this.rpId,
        requireUserVerification: false,
      });
      if (!result.verified) return null;
      const { credential, credentialDeviceType, credentialBackedUp } = result.registrationInfo;
      return {
        name,
        credentialId: credential.id,
        publicKey: Buffer.from(credential.publicKey).toString('base64url'),
        signCount: credential.counter,
        transports: credential.transports ?? [],
        deviceType: credentialDeviceType,
        backedUp: credentialBackedUp,
      };
    } catch {
      // A malformed answer, a wrong origin or challenge: all the same refusal.
      return null;
    }
  }

  /**
   * An assertion by one of `factors`, checked against the challenge, origin, relying party, the
   * key's public key and its counter (a counter that does not move forward is a cloned key).
   */
  async verifyAuthentication(response: unknown, challenge: string, factors: WebAuthnFactor[]): Promise<VerifiedAssertion | null> {
    const id = typeof response === 'object' && response !== null ? (response as { id?: unknown }).id : undefined;
    const factor = factors.find((f) => f.credentialId === id);
    if (!factor) return null;
    try {
      const result = await verifyAuthenticationResponse({
        response: response as AuthenticationResponseJSON,
        expectedChallenge: challenge,
        expectedOrigin: this.origin,
        expectedRPID: this.rpId,
        credential: {
          id: factor.credentialId,
          publicKey: new Uint8Array(Buffer.from(factor.publicKey, 'base64url')),
          counter: factor.signCount,
          transports: factor.transports,
        },
        requireUserVerification: false,
      });
      if (!result.verified) return null;
      const info = result.authenticationInfo;
      return { factor, newCounter: info.newCounter, deviceType: info.credentialDeviceType, backedUp: info.credentialBackedUp };
    } catch {
      return null;
    }
  }

  private async remember(scope: string, ceremony: WebAuthnCeremony, challenge: string): Promise<void> {
    await this.redis.set(adminWebAuthnChallengeKey(scope), `${ceremony} ${challenge}`, 'EX', CHALLENGE_TTL_SECONDS);
  }
}
