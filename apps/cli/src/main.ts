import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '@customer-access/common';
import { ConfigValidationError, loadConfig } from '@customer-access/config/app-config';
import { missingDatabaseMessage } from './missing-database';
import { readPassword } from './read-password';

// Each command loads what it needs when it runs (import() below): the admin, ORM and mail modules
// take seconds and about 100 MiB to load, which customers:import (bench/import.js) and admin:create
// (a light entry, plain pg) must not pay.
const adminLib = () => import('@customer-access/admin');
const adminCreate = () => import('@customer-access/admin/accounts/create-admin');
const adminRecovery = () => import('@customer-access/admin/accounts/admin-recovery');
const database = () => import('@customer-access/database');
const transfer = () => import('./customers-import');
const demo = () => import('./demo-seed');
const schemaEntities = async () => (await import('./schema-entities')).SCHEMA_ENTITIES;

type Command = (args: Record<string, string>) => Promise<void>;

/**
 * The breached-password check's warning when the range API fails (the password is then allowed), for
 * the light admin commands. Nest's Logger is loaded only then, so that the warning reads as the apps' do.
 */
const breachedCheckWarning = async (message: string): Promise<void> =>
  new (await import('@nestjs/common')).Logger('BreachedPasswordCheck').warn(message);

/** A source file's built module: the CLI runs from dist/, which mirrors the source tree. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loadBuiltModule = (source: string): Record<string, unknown> => require(join(projectRoot(), 'dist', source.replace(/\.ts$/, '.js')));

const commands: Record<string, { summary: string; run: Command }> = {
  migrate: {
    summary: 'Create the database if it is missing and apply pending migrations.',
    run: async () => {
      // DATABASE_MIGRATION_URL (default DATABASE_URL): past PgBouncer, creating the database needs
      // the server's maintenance database, and a long migration is no business of the pool.
      const { databaseMigrationUrl } = loadConfig();
      const { created, applied } = await (await database()).migrateDatabase(databaseMigrationUrl);
      if (created) console.log(`Created database ${new URL(databaseMigrationUrl).pathname.slice(1)}`);
      console.log(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'Database schema is up to date.');
    },
  },
  'db:check': {
    // Uses a scratch database on the DATABASE_MIGRATION_URL server (creating one needs the server itself).
    summary:
      'Fail when the entities and the committed migrations disagree, when a *.queries.sql snapshot is stale, or when PostgreSQL cannot EXPLAIN a raw statement (uses a scratch database).',
    run: async () => {
      const { buildSnapshots, checkDatabase, staleSnapshots } = await database();
      const snapshots = buildSnapshots(projectRoot(), loadBuiltModule);
      const stale = staleSnapshots(projectRoot(), snapshots);
      const statements = snapshots.flatMap((snapshot) => snapshot.statements);
      const { drift, broken } = await checkDatabase(loadConfig().databaseMigrationUrl, await schemaEntities(), statements);
      if (drift) {
        console.error(
          `The entities and the migrations disagree. After migrating, the entities would still need:\n\n${drift}\n\n` +
            'Change the entity or add a migration (npm run migration:create), see docs/development.md.',
        );
      } else console.log('The entities and the migrations agree.');
      if (stale.length) {
        console.error(`Stale SQL snapshots (run npm run db:sql and review the diff):\n${stale.map((p) => `  ${p}`).join('\n')}`);
      } else console.log(`The SQL snapshots are current (${snapshots.length} files, ${statements.length} statements).`);
      for (const { name, error } of broken) console.error(`EXPLAIN failed for ${name}: ${error}`);
      if (drift || stale.length || broken.length) process.exitCode = 1;
    },
  },
  'db:sql': {
    summary: "Write each *.queries.ts file's statements, built from its samples, to the *.queries.sql beside it (review the diff).",
    run: async () => {
      const { buildSnapshots, staleSnapshots } = await database();
      const root = projectRoot();
      const snapshots = buildSnapshots(root, loadBuiltModule);
      const stale = new Set(staleSnapshots(root, snapshots));
      for (const snapshot of snapshots) if (stale.has(snapshot.path)) writeFileSync(join(root, snapshot.path), snapshot.text);
      const orphans = [...stale].filter((path) => !snapshots.some((s) => s.path === path));
      console.log(`Wrote ${snapshots.filter((s) => stale.has(s.path)).length} of ${snapshots.length} SQL snapshots.`);
      if (orphans.length) console.log(`No query file for (delete them): ${orphans.join(', ')}`);
    },
  },
  'migration:create': {
    summary:
      'Write a migration for what the entities have that the committed migrations lack, and list it: [--name Name]. Review it before committing.',
    run: async (args) => {
      const fileName = await (
        await database()
      ).createMigrationFromEntities(loadConfig().databaseMigrationUrl, await schemaEntities(), args.name);
      console.log(
        fileName
          ? `Wrote libs/database/src/migrations/${fileName} and listed it in migrations/index.ts: review its SQL.`
          : 'Nothing to do: the migrations already match the entities.',
      );
    },
  },
  'admin:create': {
    summary: 'Create an admin user: --email E --role administrator|support; the password from --password P, standard input, or a prompt.',
    run: async (args) => {
      const { databaseUrl, pwnedPasswordsUrl } = loadConfig();
      const password = await readPassword(args.password);
      // A bad role or a weak password throws with the reason; main() prints it and exits 1.
      const admin = await (
        await adminCreate()
      ).createAdminAccount(databaseUrl, { email: args.email, password, role: args.role }, pwnedPasswordsUrl, breachedCheckWarning);
      console.log(`Created ${admin.role} ${admin.email} (id ${admin.id}). Sign in with POST /api/v1/admin/auth/token.`);
    },
  },
  'mail:last': {
    summary: 'Print the newest email written under MAIL_DIR (SMTP_URL unset): subject, recipient and link: [--to EMAIL].',
    run: async (args) => {
      const { mailDir } = loadConfig();
      const { formatMail, newestMail } = await import('./mail-last');
      const mail = await newestMail(mailDir, args.to);
      if (!mail) {
        console.error(`No email${args.to ? ` to ${args.to}` : ''} under ${mailDir}/ yet.`);
        process.exitCode = 1;
        return;
      }
      console.log(formatMail(mail));
    },
  },
  'admin:set-password': {
    summary: "Set an admin's password (audited): --email E; the password from standard input or a prompt.",
    run: async (args) => {
      const { databaseUrl, pwnedPasswordsUrl } = loadConfig();
      // Not --password: a recovery password does not belong in the shell history or the process list.
      if (args.password !== undefined)
        throw new Error('--password is not accepted here: pipe the password on standard input or type it at the prompt.');
      const password = await readPassword(undefined);
      const admin = await (
        await adminRecovery()
      ).setAdminPassword(databaseUrl, { email: args.email, password }, pwnedPasswordsUrl, breachedCheckWarning);
      console.log(`Set the password of ${admin.role} ${admin.email} (id ${admin.id}). If they are locked out, run admin:unlock too.`);
    },
  },
  'admin:unlock': {
    summary: "Lift an admin's sign-in lockout after too many failed attempts (audited): --email E.",
    run: async (args) => {
      const { databaseUrl, redis } = loadConfig();
      const { admin, wasLocked } = await (await adminRecovery()).unlockAdmin(databaseUrl, redis, { email: args.email });
      console.log(wasLocked ? `Unlocked ${admin.email}: they can sign in again.` : `${admin.email} was not locked out; nothing to lift.`);
    },
  },
  'admin:mfa-reset': {
    summary: "Remove an admin's second factors and recovery codes (lost phone): --email E. Audited; the next sign-in enrolls anew.",
    run: async (args) => {
      const outcome = await (await adminRecovery()).resetAdminMfa(loadConfig().databaseUrl, args.email);
      console.log(
        `Removed ${outcome.factors} factor(s) and ${outcome.recoveryCodes} recovery code(s) of ${outcome.admin.email}. ` +
          'Their next sign-in asks them to enroll a second factor.',
      );
    },
  },
  'admin:mfa-rekey': {
    summary:
      'Re-encrypt every secret sealed with MFA_ENCRYPTION_KEY (TOTP secrets, webhook signing secrets) after a rotation; MFA_ENCRYPTION_KEY_PREVIOUS opens the old ones. One transaction.',
    run: async () => {
      const config = loadConfig();
      const { totp, webhooks } = await (
        await adminLib()
      ).rekeyMfaSecrets(config.databaseUrl, {
        current: config.mfaEncryptionKey,
        previous: config.mfaEncryptionKeyPrevious,
      });
      console.log(
        `Re-encrypted ${totp.rekeyed + webhooks.rekeyed} secret(s) (${totp.rekeyed} TOTP, ${webhooks.rekeyed} webhook endpoint(s)); ` +
          `${totp.alreadyCurrent + webhooks.alreadyCurrent} already used the current key.` +
          (webhooks.expiredDropped ? ` Dropped ${webhooks.expiredDropped} expired previous webhook secret(s).` : '') +
          ' MFA_ENCRYPTION_KEY_PREVIOUS can be removed once every API and worker runs with the new key.',
      );
    },
  },
  'customers:import': {
    summary:
      'Import customers with their password hashes: --file F [--format magento|ndjson] [--website CODE] [--dry-run] (docs/importing.md).',
    run: async (args) => (await transfer()).runCustomersImport(loadConfig(), args),
  },
  'customers:invite': {
    summary:
      'Email an account invitation to every customer without a usable password not yet invited, at most INVITATION_RATE_PER_SECOND (20) a second: [--website CODE]. Resumable.',
    run: async (args) => (await transfer()).runCustomersInvite(loadConfig(), args),
  },
  'customers:export': {
    summary:
      'Export every customer, streamed, in the format customers:import reads: --file F [--format magento|ndjson] [--with-password-hashes].',
    run: async (args) => (await transfer()).runCustomersExport(loadConfig(), args),
  },
  'demo:seed': {
    summary:
      'Create sample customers (idempotent; not in production) and print how to try the reset flow: [--count N] [--password P] [--api-url URL].',
    run: async (args) => {
      const config = loadConfig();
      const { demoInstructions, parseDemoSeedArgs, progressReporter, seedDemoCustomers } = await demo();
      const options = parseDemoSeedArgs(args);
      const customers = await seedDemoCustomers(config, options, progressReporter(options.count, 'Seeding demo customers'));
      console.log(`\n${demoInstructions(config, customers, options.password, args['api-url'])}`);
    },
  },
};

function parseArgs(argv: string[]): Record<string, string> {
  const args: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!match) throw new Error(`Unexpected argument "${argv[i]}"`);
    // A flag without a value (--dry-run) is followed by the next option, or nothing.
    const next = argv[i + 1];
    args[match[1]] = match[2] ?? (next === undefined || next.startsWith('--') ? '' : argv[++i]);
  }
  return args;
}

async function main(): Promise<void> {
  const [name, ...rest] = process.argv.slice(2);
  const command = name ? commands[name] : undefined;
  if (!command) {
    console.error(
      `Usage: npm run cli -- <command> [--option value]\n\nCommands:\n${Object.entries(commands)
        .map(([n, c]) => `  ${n.padEnd(19)} ${c.summary}`)
        .join('\n')}`,
    );
    process.exit(name ? 2 : 0);
  }
  await command.run(parseArgs(rest));
}

main().catch((error) => {
  const message =
    error instanceof ConfigValidationError
      ? error.message
      : (missingDatabaseMessage(error, loadConfig().databaseUrl) ?? `Error: ${(error as Error).message}`);
  console.error(message);
  process.exit(1);
});
