import { Check, Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { STORE_CODE_PATTERN } from './store-view-fields';

/**
 * A store view (Magento's word): one storefront of a website, with the link base, sender, name,
 * support address, language and time zone of its customers' emails.
 *
 * The branding columns are nullable: null means "inherit", i.e. take today's one-store value
 * (`STOREFRONT_URL`, `MAIL_FROM`, and the `storeName`, `supportEmail`, `defaultLocale` and
 * `timezone` settings). The migration creates the `default` store view with every branding column
 * null, so a one-store shop sees exactly what it saw before, and still changes those values where it
 * always did (the environment, Password Options). An admin who sets a column overrides it for
 * that store view only (docs/configuration.md, Stores).
 */
@Entity({ tableName: 'store_view' })
@Check({ name: 'store_view_code_check', expression: `code ~ '${STORE_CODE_PATTERN.source}'` })
@Index({ name: 'store_view_website_code_idx', properties: ['websiteCode'] })
export class StoreView {
  @PrimaryKey({ type: 'text' })
  code!: string;

  /** The website it belongs to (a website is never deleted; the admin routes check it exists). */
  @Property({ type: 'text' })
  websiteCode!: string;

  /** The store's name in its emails and pages; null: the `storeName` setting. */
  @Property({ type: 'text', nullable: true })
  name: string | null = null;

  /** The fallback language of its emails (a customer's own language comes first); null: `defaultLocale`. */
  @Property({ type: 'text', nullable: true })
  locale: string | null = null;

  /** IANA time zone of the times in its emails; null: the `timezone` setting. */
  @Property({ type: 'text', nullable: true })
  timezone: string | null = null;

  /** Base of its customers' links ({baseUrl}/customer/account/createPassword?token=…); null: STOREFRONT_URL. */
  @Property({ type: 'text', nullable: true })
  baseUrl: string | null = null;

  /** The From of its emails (an address, or "Name <address>"); null: MAIL_FROM. */
  @Property({ type: 'text', nullable: true })
  mailFrom: string | null = null;

  /** The support address named in its emails and rate-limit message; null: the `supportEmail` setting. */
  @Property({ type: 'text', nullable: true })
  supportEmail: string | null = null;

  /** An inactive store view takes no storefront requests (STORE_UNKNOWN); its customers' admin emails still use it. */
  @Property({ type: 'boolean', default: true })
  isActive: boolean = true;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  updatedAt: Date = new Date();
}

/** The store view fields an admin sets; each branding field may be null (inherit). */
export const STORE_VIEW_BRANDING = ['name', 'locale', 'timezone', 'baseUrl', 'mailFrom', 'supportEmail'] as const;
export type StoreViewBrandingField = (typeof STORE_VIEW_BRANDING)[number];
