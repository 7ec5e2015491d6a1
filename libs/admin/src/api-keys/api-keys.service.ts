import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DomainError, ErrorCode, hashToken } from '@customer-access/common';
import { APP_CONFIG, AppConfig } from '@customer-access/config';
import { adminUnauthorized } from '../access/admin-jwt-claims';
import { AdminActor } from '../access/admin-request';
import { Permission, roleHasPermission } from '../access/admin-roles';
import { AdminPrincipal } from '../accounts/admin-user.entity';
import { AuditAction } from '../audit/audit-event.entity';
import { AuditService } from '../audit/audit.service';
import { ApiKeyRepository, ApiKeyView } from './api-key.repository';

/** `ca_` and 32 random bytes, base64url (43 characters). */
const API_KEY = /^ca_[A-Za-z0-9_-]{43}$/;
/** A key's last use is written at most this often (a write per request would cost every request). */
const LAST_USED_RESOLUTION_MS = 60_000;
/** What a key may never carry: managing keys, one's own factors and the queue dashboard need a person. */
const NOT_FOR_KEYS: readonly string[] = [Permission.ApiKeysManage, Permission.QueuesView, Permission.AccountManage];

export interface NewApiKeyInput {
  name: string;
  permissions: string[];
  expiresInDays: number;
}

export const isApiKey = (bearer: string): boolean => bearer.startsWith('ca_');

/**
 * API keys for automation (docs/admin-sign-in.md, "API keys"). A key acts as its creator, with the
 * permissions both the key and the creator's role have at the moment of use.
 */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Only from a signed-in session that gave a second factor (or where none is required). */
  async create(actor: AdminActor, input: NewApiKeyInput): Promise<{ id: string; key: string }> {
    this.assertPersonWithSecondFactor(actor);
    const permissions = [...new Set(input.permissions)].sort();
    const problems: string[] = [];
    for (const p of permissions) {
      if (!(Object.values(Permission) as string[]).includes(p)) problems.push(`Unknown permission "${p}".`);
      else if (NOT_FOR_KEYS.includes(p)) problems.push(`An API key cannot have ${p}.`);
      else if (!roleHasPermission(actor.role, p as Permission)) problems.push(`Your role (${actor.role}) does not have ${p}.`);
    }
    if (permissions.length === 0) problems.push('permissions must name at least one permission.');
    if (problems.length > 0) throw new DomainError(ErrorCode.Validation, problems.join(' '));

    const key = `ca_${randomBytes(32).toString('base64url')}`;
    const expiresAt = new Date(Date.now() + input.expiresInDays * 86_400_000);
    const row = await this.keys.insert({ adminId: actor.id, name: input.name, keyHash: hashToken(key), permissions, expiresAt });
    await this.audit.record(actor, AuditAction.ApiKeyCreated, null, {
      apiKeyId: row.id,
      name: input.name,
      permissions,
      expiresAt: expiresAt.toISOString(),
    });
    return { id: row.id, key };
  }

  list(actor: AdminActor): Promise<ApiKeyView[]> {
    this.assertPerson(actor);
    return this.keys.list();
  }

  async revoke(actor: AdminActor, id: string): Promise<void> {
    this.assertPerson(actor);
    const revoked = await this.keys.revoke(id);
    if (!revoked) throw new DomainError(ErrorCode.NotFound, 'There is no such API key, or it is already revoked.');
    await this.audit.record(actor, AuditAction.ApiKeyRevoked, null, { apiKeyId: id, name: revoked.name });
  }

  /** The principal a key stands for, or 401: unknown, revoked, expired, or its creator deleted. */
  async authenticate(bearer: string, ip: string): Promise<AdminPrincipal> {
    if (!API_KEY.test(bearer)) throw adminUnauthorized();
    const key = await this.keys.findForAuth(hashToken(bearer));
    const now = Date.now();
    if (!key || key.revokedAt || key.expiresAt.getTime() <= now) throw adminUnauthorized();
    const principal: AdminPrincipal = {
      ...key.admin,
      credential: { kind: 'api_key', keyId: key.id, name: key.name, permissions: key.permissions },
    };
    if (!key.lastUsedAt) {
      if (await this.keys.markUsed(key.id, true)) {
        await this.audit.record({ ...principal, ip }, AuditAction.ApiKeyFirstUsed, null, {});
      }
    } else if (now - key.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await this.keys.markUsed(key.id, false);
    }
    return principal;
  }

  private assertPerson(actor: AdminPrincipal): void {
    if (actor.credential?.kind === 'api_key') {
      throw new DomainError(ErrorCode.Forbidden, 'API keys are managed by a signed-in admin, not with an API key.');
    }
  }

  private assertPersonWithSecondFactor(actor: AdminPrincipal): void {
    this.assertPerson(actor);
    if (actor.credential?.kind === 'session' && !actor.credential.secondFactor && this.config.adminMfa === 'required') {
      throw new DomainError(ErrorCode.Forbidden, 'Sign in with your second factor to create an API key.');
    }
  }
}
