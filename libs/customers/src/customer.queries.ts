import { columns, defineQueries, rawSql, Row, Sql, sql } from '@customer-access/database';
import { WebhookEventSql, WebhookEventType } from '@customer-access/webhooks';
import { Customer } from './customer.entity';

/** The advisory lock key's name for the account-sharing scope (see CustomerSql.lockSharingScopeShared). */
const SHARING_SCOPE_LOCK = 'customer-access:account-sharing-scope';

/** The customer's properties an email needs: where it goes, whom it greets, in which language. */
const CONTACT = ['id', 'email', 'firstName', 'lastName', 'locale', 'passwordChangedAt', 'websiteCode', 'storeViewCode'] as const;

/** What an email to a customer needs of the account (`email`: the stored, normalized address). */
export type CustomerContact = Pick<Customer, (typeof CONTACT)[number]>;

/** A contact as selected (columns aliased to the entity's names); read by {@link customerContactFromRow}. */
export type CustomerContactRow = Row<Customer, (typeof CONTACT)[number]>;

export const customerContactFromRow = (row: CustomerContactRow): CustomerContact => ({
  id: row.id,
  email: row.email,
  firstName: row.firstName,
  lastName: row.lastName,
  locale: row.locale,
  passwordChangedAt: new Date(row.passwordChangedAt),
  websiteCode: row.websiteCode,
  storeViewCode: row.storeViewCode,
});

/**
 * Which customer: by the stored (normalized) address within a website (`websiteCode` null: in any
 * website, as accountSharingScope = global has at most one), or by id.
 */
export type CustomerSelector = { email: string; websiteCode: string | null } | { id: string | Sql };

const EXAMPLE_ID = '00000000-0000-4000-8000-000000000001';

/** The raw SQL of the customer table (docs/development.md, "Raw SQL"); simple reads stay on the ORM. */
export const CustomerSql = defineQueries(
  {
    /**
     * The contact of the customer `selector` names, so that a larger statement can take it from a
     * CTE; its rows go through {@link customerContactFromRow}.
     */
    contact: (selector: CustomerSelector): Sql<CustomerContactRow> =>
      'email' in selector
        ? selector.websiteCode === null
          ? sql`select ${columns(Customer, CONTACT)} from customer where email = ${selector.email} order by created_at limit 1`
          : sql`select ${columns(Customer, CONTACT)} from customer where email = ${selector.email} and website_code = ${selector.websiteCode}`
        : sql`select ${columns(Customer, CONTACT)} from customer where id = ${selector.id}`,

    /**
     * The contacts of the customers the rows of `selectors` name, each with its row's `n`: a relation
     * (a CTE of the caller's statement) with `n`, `"customerId"` (uuid), `email` and `"websiteCode"`
     * (text), read as {@link CustomerSelector}: by id when `"customerId"` is set, else by address
     * within the website, or in any website when `"websiteCode"` is null. A row naming nobody gives
     * none. For a statement that serves many selectors at once (one plan for all).
     */
    contactsOf: (selectors: Sql): Sql<CustomerContactRow & { n: number }> =>
      sql`select s.n, c.* from ${selectors} s cross join lateral (
            (select ${columns(Customer, CONTACT)} from customer where id = s."customerId")
            union all
            (select ${columns(Customer, CONTACT)} from customer where email = s.email and website_code = s."websiteCode")
            union all
            (select ${columns(Customer, CONTACT)} from customer
             where s."customerId" is null and s."websiteCode" is null and email = s.email order by created_at limit 1)
          ) c`,

    /** The stored language of the customer `customerId` (an id, or an SQL expression selecting it). */
    locale: (customerId: string | Sql): Sql<Pick<Customer, 'locale'>> => sql`select locale from customer where id = ${customerId}`,

    /** The stored email of the customer `customerId` (an id, or an SQL expression selecting it). */
    email: (customerId: string | Sql): Sql<Pick<Customer, 'email'>> => sql`select email from customer where id = ${customerId}`,

    /**
     * Stores a new password hash for the customer `customerId` (an id, or an SQL expression so that
     * a larger statement can take it from a CTE): the change is dated and any lockout lifted.
     * Returns the id of the changed row.
     */
    setPassword: (customerId: string | Sql, passwordHash: string): Sql<Pick<Customer, 'id'>> =>
      sql`update customer set password_hash = ${passwordHash}, password_changed_at = now(), failed_login_count = 0,
            locked_until = null, updated_at = now()
          where id = ${customerId}
          returning id`,

    /**
     * Counts a failed sign-in in one statement (no lost updates between instances). Reaching the
     * threshold locks the account and restarts the count for after the lock; the lock writes the
     * customer.locked webhook event `eventId` in the same statement.
     */
    recordFailedLogin: (customerId: string, lockoutFailures: number, lockoutMinutes: number, eventId: string): Sql =>
      sql`with counted as (
            update customer set
              locked_until = case when failed_login_count + 1 >= ${lockoutFailures} then now() + ${lockoutMinutes} * interval '1 minute' else locked_until end,
              failed_login_count = case when failed_login_count + 1 >= ${lockoutFailures} then 0 else failed_login_count + 1 end,
              updated_at = now()
            where id = ${customerId}
            returning ${columns(Customer, CONTACT)}, locked_until as "lockedUntil", failed_login_count = 0 and locked_until > now() as "justLocked"
          )
          ${WebhookEventSql.forCustomer(eventId, WebhookEventType.CustomerLocked, rawSql('select * from counted'), rawSql(`jsonb_build_object('lockedUntil', c."lockedUntil")`), rawSql('c."justLocked"'))}`,

    /** The customer.created webhook event `eventId` for the customer `customerId`, in the registration's transaction. */
    createdEvent: (customerId: string, eventId: string): Sql =>
      WebhookEventSql.forCustomer(
        eventId,
        WebhookEventType.CustomerCreated,
        sql`select ${columns(Customer, CONTACT)} from customer where id = ${customerId}`,
      ),

    /**
     * Replaces a legacy hash (one brought by an import) with this service's argon2id hash after a
     * successful sign-in, only if the row still holds the hash that was verified: a reset or another
     * sign-in in between wins. The password did not change, so password_changed_at stays.
     */
    replaceLegacyPasswordHash: (customerId: string, verifiedHash: string, passwordHash: string): Sql<Pick<Customer, 'id'>> =>
      sql`update customer set password_hash = ${passwordHash}, updated_at = now()
          where id = ${customerId} and password_hash = ${verifiedHash}
          returning id`,

    /**
     * Whether some email has accounts in two websites, which `accountSharingScope` = global cannot
     * allow. Walks customer_email_website_code_unique in email order, no sort: an admin's rare check.
     */
    emailInTwoWebsites: (): Sql<{ found: boolean }> =>
      sql`select exists (select 1 from customer a join customer b on b.email = a.email and b.website_code > a.website_code) as found`,

    /**
     * Holds a transaction-scoped advisory lock on one normalized address until the transaction ends:
     * under accountSharingScope = global, registrations of the same address (in any website) queue
     * up on it, so the check "no account in any website" and the insert cannot interleave with
     * another's. Keyed by a 64-bit hash of the address in its own namespace (the prefix).
     */
    lockEmail: (normalizedEmail: string): Sql =>
      sql`select pg_advisory_xact_lock(hashtextextended(${`customer-email:${normalizedEmail}`}, 0))`,

    /**
     * The account-sharing scope lock (transaction-scoped advisory lock, one key for the installation).
     * Every registration holds it shared while it reads the scope in force and inserts; the switch to
     * accountSharingScope = global holds it exclusively while it looks for duplicates, so a
     * registration either commits before that check (which then sees it) or reads the new scope after
     * the switch commits (and is judged by the global rule). Never both: no duplicate in global mode.
     */
    lockSharingScopeShared: (): Sql => sql`select pg_advisory_xact_lock_shared(hashtextextended(${SHARING_SCOPE_LOCK}, 0))`,
    lockSharingScopeExclusive: (): Sql => sql`select pg_advisory_xact_lock(hashtextextended(${SHARING_SCOPE_LOCK}, 0))`,

    /**
     * Whether accountSharingScope = global is stored (committed) in the settings row: read in its own
     * statement after lockSharingScopeShared, so that in READ COMMITTED it sees a switch that committed
     * while this transaction waited for the lock. (A stored value that is not a valid choice counts as
     * the default, website, as SettingsService reads it.)
     */
    sharingScopeIsGlobal: (): Sql<{ global: boolean }> =>
      sql`select coalesce((select "values"->>'accountSharingScope' = 'global' from settings where id = 1), false) as global`,

    /** Whether the address has an account in any website (in the caller's transaction, after lockEmail). */
    emailExists: (normalizedEmail: string): Sql<{ found: boolean }> =>
      sql`select exists (select 1 from customer where email = ${normalizedEmail}) as found`,

    clearFailedLogins: (customerId: string): Sql =>
      sql`update customer set failed_login_count = 0, updated_at = now() where id = ${customerId} and failed_login_count > 0`,
  },
  {
    contact: [[{ email: 'ana@example.com', websiteCode: 'base' }], [{ email: 'ana@example.com', websiteCode: null }], [{ id: EXAMPLE_ID }]],
    contactsOf: [[rawSql(`(select 1 as n, null::uuid as "customerId", 'ana@example.com'::text as email, 'base'::text as "websiteCode")`)]],
    locale: [[EXAMPLE_ID]],
    email: [[EXAMPLE_ID]],
    setPassword: [[EXAMPLE_ID, '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA']],
    recordFailedLogin: [[EXAMPLE_ID, 5, 15, '00000000-0000-4000-8000-0000000000c1']],
    createdEvent: [[EXAMPLE_ID, '00000000-0000-4000-8000-0000000000c1']],
    replaceLegacyPasswordHash: [
      [
        EXAMPLE_ID,
        'a853b06f077b686f8a3af80c98acfca763cf10c0e03597c67e756f1c782d1ab0:8qnyO4H1OYIfGCUb:1',
        '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
      ],
    ],
    clearFailedLogins: [[EXAMPLE_ID]],
    lockEmail: [['ana@example.com']],
    emailExists: [['ana@example.com']],
    emailInTwoWebsites: [[]],
    lockSharingScopeShared: [[]],
    lockSharingScopeExclusive: [[]],
    sharingScopeIsGlobal: [[]],
  },
);
