import { MikroORM } from '@mikro-orm/postgresql';
import { createOrmOptions } from '@customer-access/database';
import { WebhookEndpoint, WebhookRepository, WebhookSecrets } from '@customer-access/webhooks';
import { AdminUser } from '../accounts/admin-user.entity';
import { AuditEvent } from '../audit/audit-event.entity';
import { AdminMfaFactor } from './admin-mfa-factor.entity';
import { AdminRecoveryCode } from './admin-recovery-code.entity';
import { MfaRepository } from './mfa.repository';
import { SecretBox } from './secret-box';

/**
 * `admin:mfa-rekey` through plain MikroORM (the repositories' own reads and compare-and-swap updates of
 * the sealed secrets): a few tables, no queue, Redis or settings reloads. The other admin recovery
 * commands are a light entry (accounts/admin-recovery.ts).
 */
async function withOrm<T>(databaseUrl: string, run: (orm: MikroORM) => Promise<T>): Promise<T> {
  const orm = await MikroORM.init({
    ...createOrmOptions({ databaseUrl, poolMax: 1 }),
    entities: [AdminUser, AdminMfaFactor, AdminRecoveryCode, AuditEvent, WebhookEndpoint],
  });
  try {
    return await run(orm);
  } finally {
    await orm.close(true);
  }
}

/** What `admin:mfa-rekey` did, per kind of secret. */
export interface RekeyOutcome {
  totp: { rekeyed: number; alreadyCurrent: number };
  /** Webhook endpoints' signing secrets (the current one, and the previous one while it is accepted). */
  webhooks: { rekeyed: number; alreadyCurrent: number; expiredDropped: number };
}

/**
 * `admin:mfa-rekey`: re-seals every secret sealed with a key derived from MFA_ENCRYPTION_KEY (the
 * admins' TOTP secrets and the webhook endpoints' signing secrets, docs/webhooks.md "Secrets at
 * rest") under the current key, opening those sealed with MFA_ENCRYPTION_KEY_PREVIOUS. One
 * transaction: a secret that opens with neither key fails the command and nothing is changed, so
 * the previous key is never dropped with some rows still needing it. A rotated-out webhook secret
 * whose 24 hours are over is dropped rather than re-sealed (it is never used again). Idempotent;
 * safe while the API runs (each row is swapped only if unchanged since it was read).
 */
export async function rekeyMfaSecrets(databaseUrl: string, keys: { current: string; previous?: string }): Promise<RekeyOutcome> {
  const totpBox = new SecretBox(keys.current, keys.previous);
  const webhookBox = new WebhookSecrets(keys.current, keys.previous);
  return withOrm(databaseUrl, (orm) =>
    orm.em.fork().transactional(async (em) => {
      const outcome: RekeyOutcome = {
        totp: { rekeyed: 0, alreadyCurrent: 0 },
        webhooks: { rekeyed: 0, alreadyCurrent: 0, expiredDropped: 0 },
      };
      const mfa = new MfaRepository(em);
      for (const row of await mfa.sealedSecrets(em)) {
        if (SecretBox.keyIdOf(row.secretBox) === totpBox.currentKeyId) {
          outcome.totp.alreadyCurrent++;
          continue;
        }
        const resealed = totpBox.seal(totpBox.open(row.secretBox, row.adminId), row.adminId);
        if (await mfa.replaceSealedSecret(row.id, row.secretBox, resealed, em)) outcome.totp.rekeyed++;
      }

      const webhooks = new WebhookRepository(em);
      const current = (box: string) => SecretBox.keyIdOf(box) === webhookBox.currentKeyId;
      const reseal = (box: string, endpointId: string) =>
        current(box) ? box : webhookBox.seal(webhookBox.open(box, endpointId), endpointId);
      for (const row of await webhooks.sealedSecrets(em)) {
        const previousLive =
          !!row.previousSecretSealed && !!row.previousSecretExpiresAt && row.previousSecretExpiresAt.getTime() > Date.now();
        const expired = !!row.previousSecretSealed && !previousLive;
        if (current(row.secretSealed) && (!previousLive || current(row.previousSecretSealed!)) && !expired) {
          outcome.webhooks.alreadyCurrent++;
          continue;
        }
        const to = {
          secretSealed: reseal(row.secretSealed, row.id),
          previousSecretSealed: previousLive ? reseal(row.previousSecretSealed!, row.id) : null,
          previousSecretExpiresAt: previousLive ? row.previousSecretExpiresAt : null,
        };
        if (await webhooks.replaceSealedSecrets(row, to, em)) {
          outcome.webhooks.rekeyed++;
          if (expired) outcome.webhooks.expiredDropped++;
        }
      }
      return outcome;
    }),
  );
}
