import { MikroORM, TableNotFoundException } from '@mikro-orm/postgresql';
import { resolve } from 'node:path';
import { DomainError, ErrorCode, STOREFRONT_PAGES } from '@customer-access/common';
import { AppConfig } from '@customer-access/config';
import { Customer, CustomerRepository, normalizeEmail, PasswordHasher, PasswordPolicy } from '@customer-access/customers';
import { createOrmOptions } from '@customer-access/database';
import { DEFAULT_SETTINGS } from '@customer-access/settings';

export { progressReporter } from './progress';

/** Published in docs/configuration.md: which is why demo:seed refuses production. */
export const DEMO_PASSWORD = 'Demo-Customer-2026';
const FIRST_NAMES = ['Ada', 'Grace', 'Alan', 'Katherine', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Tim', 'Margaret'];
const LAST_NAMES = ['Lovelace', 'Hopper', 'Turing', 'Johnson', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Berners-Lee', 'Hamilton'];
/** BCP 47, as registration stores them (zh-CN: the store owners' own language; de-DE etc. fall back to defaultLocale). */
const LOCALES = ['en', 'zh-CN', 'de-DE', 'fr-FR', 'es-ES'];

export interface DemoSeedOptions {
  count: number;
  password: string;
  /** Default: demo.customer.NNN@example.com */
  emailDomain: string;
}

export interface DemoCustomer {
  email: string;
  firstName: string;
  lastName: string;
  created: boolean;
}

export function parseDemoSeedArgs(args: Record<string, string>, env: NodeJS.ProcessEnv = process.env): DemoSeedOptions {
  const count = args.count === undefined ? 5 : Number(args.count);
  if (!Number.isInteger(count) || count < 1 || count > 1000) throw new Error('--count must be an integer from 1 to 1000.');
  const password = args.password ?? env.DEMO_PASSWORD ?? DEMO_PASSWORD;
  const emailDomain = (args['email-domain'] ?? 'example.com').toLowerCase();
  if (!/^[a-z0-9.-]+\.[a-z]{2,}$/.test(emailDomain)) throw new Error('--email-domain must be a domain name such as example.com.');
  return { count, password, emailDomain };
}

export function demoCustomerAt(index: number, emailDomain: string): Omit<DemoCustomer, 'created'> & { locale: string } {
  const n = String(index + 1).padStart(3, '0');
  return {
    email: normalizeEmail(`demo.customer.${n}@${emailDomain}`),
    firstName: FIRST_NAMES[index % FIRST_NAMES.length],
    lastName: LAST_NAMES[Math.floor(index / FIRST_NAMES.length) % LAST_NAMES.length],
    locale: LOCALES[index % LOCALES.length],
  };
}

/**
 * Creates sample customers, idempotently: an address that already exists is left as it is (its
 * password too). Development and demos only.
 */
export async function seedDemoCustomers(
  config: Pick<AppConfig, 'databaseUrl' | 'nodeEnv'>,
  options: DemoSeedOptions,
  onProgress: (done: number, note?: string) => void = () => undefined,
): Promise<DemoCustomer[]> {
  if (config.nodeEnv === 'production') {
    throw new Error('demo:seed creates accounts with a published password and is refused when NODE_ENV=production.');
  }
  const policy = new PasswordPolicy();
  try {
    policy.assertAcceptable(options.password, DEFAULT_SETTINGS);
  } catch (error) {
    throw new DomainError(ErrorCode.PasswordPolicy, `The demo password is refused: ${(error as Error).message}`);
  }
  const hasher = new PasswordHasher();
  const orm = await MikroORM.init({ ...createOrmOptions({ databaseUrl: config.databaseUrl, poolMax: 2 }), entities: [Customer] });
  const repository = new CustomerRepository(orm.em);
  const result: DemoCustomer[] = [];
  try {
    for (let i = 0; i < options.count; i++) {
      const demo = demoCustomerAt(i, options.emailDomain);
      let created = false;
      if (!(await repository.findByEmail(demo.email))) {
        try {
          await repository.insert({
            ...demo,
            websiteCode: 'base',
            storeViewCode: 'default',
            passwordHash: await hasher.hash(options.password),
          });
          created = true;
        } catch (error) {
          // Another seed run created it in the meantime: still idempotent.
          if (!(error instanceof DomainError && error.code === ErrorCode.EmailTaken)) throw error;
        }
      }
      result.push({ email: demo.email, firstName: demo.firstName, lastName: demo.lastName, created });
      onProgress(i + 1, created ? demo.email : `${demo.email} (exists)`);
    }
  } catch (error) {
    if (error instanceof TableNotFoundException)
      throw new Error('The customer table does not exist yet: run `npm run migrate` first.', { cause: error });
    throw error;
  } finally {
    await orm.close(true);
  }
  return result;
}

/** What to do next, with commands that work as printed. */
export function demoInstructions(
  config: Pick<AppConfig, 'port' | 'smtpUrl' | 'mailDir'>,
  customers: DemoCustomer[],
  password: string,
  apiUrl = `http://localhost:${config.port}`,
): string {
  const email = customers[0]?.email ?? 'demo.customer.001@example.com';
  const created = customers.filter((c) => c.created).length;
  const mailWhere = config.smtpUrl
    ? `the SMTP server at ${smtpHost(config.smtpUrl)} (with docker compose: the mail catcher's web UI, http://localhost:8025)`
    : `${resolve(config.mailDir)}/ as .eml files (newest last; open one with any mail client)`;
  const json = (o: unknown) => `'${JSON.stringify(o)}'`;
  const post = (path: string, body: unknown) => `curl -s -X POST ${apiUrl}${path} -H 'Content-Type: application/json' -d ${json(body)}`;
  return [
    `Demo customers: ${created} created, ${customers.length - created} already there. Password of new ones: ${password}`,
    ...customers.slice(0, 10).map((c) => `  ${c.email}  ${c.firstName} ${c.lastName}${c.created ? '' : '  (existed)'}`),
    ...(customers.length > 10 ? [`  ... and ${customers.length - 10} more`] : []),
    '',
    `Try the reset flow (API and worker running: npm start):`,
    `  1. Ask for a reset link:`,
    `     ${post('/api/v1/customers/password/forgot', { email })}`,
    `  2. The email lands in ${mailWhere}.`,
    `     Copy TOKEN from its link ...${STOREFRONT_PAGES.createPassword}?token=TOKEN`,
    `  3. Check the token, then set a new password:`,
    `     ${post('/api/v1/customers/password/reset/validate', { token: 'TOKEN' })}`,
    `     ${post('/api/v1/customers/password/reset', { token: 'TOKEN', password: 'New-Demo-Pass-1', passwordConfirmation: 'New-Demo-Pass-1' })}`,
    `  4. Sign in with it:`,
    `     ${post('/api/v1/oauth/token', { grant_type: 'password', username: email, password: 'New-Demo-Pass-1' })}`,
    '',
    `Watch it: logs of both processes (JSON lines), ${apiUrl}/metrics, ${apiUrl}/docs, ${apiUrl}/health/ready`,
  ].join('\n');
}

function smtpHost(smtpUrl: string): string {
  try {
    const url = new URL(smtpUrl);
    return `${url.hostname}:${url.port || (url.protocol === 'smtps:' ? 465 : 25)}`;
  } catch {
    return 'SMTP_URL';
  }
}
