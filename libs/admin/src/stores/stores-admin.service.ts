import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@customer-access/common';
import { APP_CONFIG, AppConfig } from '@customer-access/config';
import {
  checkBaseUrl,
  checkCode,
  checkLocale,
  checkMailFrom,
  checkName,
  checkSupportEmail,
  checkTimezone,
  DEFAULT_STORE_VIEW,
  ResolvedStoreView,
  SettingsService,
  STORE_VIEW_BRANDING,
  StoreRegistry,
  StoreRepository,
  StoreViewBrandingField,
  StoreViewChanges,
  WebsiteView,
} from '@customer-access/settings';
import { AdminActor } from '../access/admin-request';
import { AuditAction } from '../audit/audit-event.entity';
import { AuditService } from '../audit/audit.service';

/** A store view's branding fields as an admin sends them: a value, or null to inherit (docs/api.md, Stores). */
export type StoreViewInput = Partial<Record<StoreViewBrandingField, string | null>> & { isActive?: boolean };

export interface NewStoreViewInput extends StoreViewInput {
  code: string;
  websiteCode: string;
}

export interface WebsiteWithViews extends WebsiteView {
  storeViewCodes: string[];
}

/** One changed field of a store view: what it was and what it became (null: inherited). */
export interface StoreViewFieldChange {
  field: StoreViewBrandingField | 'isActive';
  from: string | boolean | null;
  to: string | boolean | null;
}

const notFound = (code: string) => new DomainError(ErrorCode.NotFound, `Store view ${code} not found.`);

/**
 * The admin side of websites and store views: list, create, change. Every change is audited in its
 * own transaction, then comes into force on this instance at once and on every other one within
 * seconds (StoreRegistry: the settings broadcast).
 */
@Injectable()
export class StoresAdminService {
  private readonly production: boolean;

  constructor(
    private readonly em: EntityManager,
    private readonly repository: StoreRepository,
    private readonly registry: StoreRegistry,
    private readonly settings: SettingsService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.production = config.nodeEnv === 'production';
  }

  websites(): { items: WebsiteWithViews[] } {
    const views = this.registry.storeViews();
    return {
      items: this.registry.websites().map((w) => ({
        ...w,
        storeViewCodes: views.filter((v) => v.websiteCode === w.code).map((v) => v.code),
      })),
    };
  }

  storeViews(): { items: ResolvedStoreView[] } {
    return { items: this.registry.storeViews() };
  }

  async createWebsite(actor: AdminActor, input: { code: string; name: string }): Promise<WebsiteWithViews> {
    const code = checkCode('website', input.code);
    const name = checkName('name', input.name);
    await this.em.fork().transactional(async (tx: EntityManager) => {
      await this.repository.insertWebsite(code, name, tx);
      await this.audit.record(actor, AuditAction.WebsiteCreated, null, { websiteCode: code, name }, tx);
    });
    await this.changed();
    return { code, name, storeViewCodes: [] };
  }

  async createStoreView(actor: AdminActor, input: NewStoreViewInput): Promise<ResolvedStoreView> {
    const code = checkCode('store view', input.code);
    const websiteCode = checkCode('website', input.websiteCode);
    const values = this.checked(input);
    if (values.name === undefined || values.name === null) throw new DomainError(ErrorCode.Validation, 'name is required');
    await this.em.fork().transactional(async (tx: EntityManager) => {
      if (!(await this.repository.websiteExists(websiteCode, tx))) {
        throw new DomainError(ErrorCode.Validation, `websiteCode must name a website; there is no website ${websiteCode}`);
      }
      await this.repository.insertStoreView({ ...values, code, websiteCode }, tx);
      await this.audit.record(actor, AuditAction.StoreViewCreated, null, { storeViewCode: code, websiteCode, values }, tx);
    });
    await this.changed();
    return this.registry.get(code)!;
  }

  /**
   * Changes the fields sent (null: inherit again); the others keep their values. Every changed
   * field is audited with its old and new value: a changed baseUrl changes where this store view's
   * links point. Links already sent keep working: a token is not tied to the base it was sent with.
   */
  async updateStoreView(actor: AdminActor, code: string, input: StoreViewInput): Promise<ResolvedStoreView> {
    if (!this.registry.get(code) && !(await this.reloadKnows(code))) throw notFound(code);
    const values = this.checked(input);
    if (code === DEFAULT_STORE_VIEW && values.isActive === false) {
      throw new DomainError(
        ErrorCode.Validation,
        'The default store view serves requests without a Store header and cannot be deactivated',
      );
    }
    await this.em.fork().transactional(async (tx: EntityManager) => {
      const result = await this.repository.updateStoreView(code, values, tx);
      if (!result) throw notFound(code);
      const changes: StoreViewFieldChange[] = [...STORE_VIEW_BRANDING, 'isActive' as const]
        .filter((field) => field in values && result.before[field] !== result.after[field])
        .map((field) => ({ field, from: result.before[field], to: result.after[field] }));
      if (changes.length > 0) {
        await this.audit.record(
          actor,
          AuditAction.StoreViewUpdated,
          null,
          { storeViewCode: code, websiteCode: result.after.websiteCode, changes },
          tx,
        );
      }
    });
    await this.changed();
    return this.registry.get(code)!;
  }

  private async reloadKnows(code: string): Promise<boolean> {
    await this.registry.reload();
    return this.registry.get(code) !== undefined;
  }

  /** The fields sent, checked and normalized; null stays null (inherit). */
  private checked(input: StoreViewInput): StoreViewChanges {
    const out: StoreViewChanges = {};
    const take = <F extends StoreViewBrandingField>(field: F, check: (value: unknown) => string) => {
      const value = input[field];
      if (value === undefined) return;
      out[field] = value === null ? null : check(value);
    };
    take('name', (v) => checkName('name', v));
    take('locale', checkLocale);
    take('timezone', checkTimezone);
    take('baseUrl', (v) => checkBaseUrl(v, this.production));
    take('mailFrom', checkMailFrom);
    take('supportEmail', checkSupportEmail);
    if (input.isActive !== undefined) {
      if (typeof input.isActive !== 'boolean') throw new DomainError(ErrorCode.Validation, 'isActive must be a boolean');
      out.isActive = input.isActive;
    }
    return out;
  }

  /** Into force here at once, and on every other instance on the broadcast. */
  private async changed(): Promise<void> {
    await this.registry.reload();
    await this.settings.broadcast();
  }
}
