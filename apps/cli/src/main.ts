import 'reflect-metadata';
import { ConfigValidationError, loadConfig } from '@customer-access/config';
import { createAdminAccount } from '@customer-access/admin';
import { createMigrationFromEntities, migrateDatabase, schemaDrift } from '@customer-access/database';
import { readPassword } from './read-password';
import { SCHEMA_ENTITIES } from './schema-entities';
import { demoInstructions, parseDemoSeedArgs, progressReporter, seedDemoCustomers } from './demo-seed';

type Command = (args: Record<string, string>) => Promise<void>;

const commands: Record<string, { summary: string; run: Command }> = {
  migrate: {
    summary: 'Create the database if it is missing and apply pending migrations.',
    run: async () => {
      // DATABASE_MIGRATION_URL (default DATABASE_URL): past PgBouncer, creating the database needs
      // the server's maintenance database, and a long migration is no business of the pool.
      const { databaseMigrationUrl } = loadConfig();
      const { created, applied } = await migrateDatabase(databaseMigrationUrl);
      if (created) console.log(`Created database ${new URL(databaseMigrationUrl).pathname.slice(1)}`);
      console.log(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'Database schema is up to date.');
    },
  },
  'db:check': {
    // Both use a scratch database on the DATABASE_MIGRATION_URL server (creating one needs the server itself).
    summary: 'Fail when the entities and the committed migrations disagree (uses a scratch database).',
    run: async () => {
      const drift = await schemaDrift(loadConfig().databaseMigrationUrl, SCHEMA_ENTITIES);
      if (!drift) {
        console.log('The entities and the migrations agree.');
        return;
      }
      console.error(
        `The entities and the migrations disagree. After migrating, the entities would still need:\n\n${drift}\n\n` +
          'Change the entity or add a migration (npm run migration:create), see docs/development.md, "Changing the schema".',
      );
      process.exitCode = 1;
    },
  },
  'migration:create': {
    summary:
      'Write a migration for what the entities have that the committed migrations lack, and list it: [--name Name]. Review it before committing.',
    run: async (args) => {
      const fileName = await createMigrationFromEntities(loadConfig().databaseMigrationUrl, SCHEMA_ENTITIES, args.name);
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
      const { databaseUrl } = loadConfig();
      const password = await readPassword(args.password);
      // A bad role or a weak password throws with the reason; main() prints it and exits 1.
      const admin = await createAdminAccount(databaseUrl, { email: args.email, password, role: args.role });
      console.log(`Created ${admin.role} ${admin.email} (id ${admin.id}). Sign in with POST /api/v1/admin/auth/token.`);
    },
  },
  'demo:seed': {
    summary:
      'Create sample customers (idempotent; not in production) and print how to try the reset flow: [--count N] [--password P] [--api-url URL].',
    run: async (args) => {
      const config = loadConfig();
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
    args[match[1]] = match[2] ?? argv[++i] ?? '';
  }
  return args;
}

async function main(): Promise<void> {
  const [name, ...rest] = process.argv.slice(2);
  const command = name ? commands[name] : undefined;
  if (!command) {
    console.error(
      `Usage: npm run cli -- <command> [--option value]\n\nCommands:\n${Object.entries(commands)
        .map(([n, c]) => `  ${n.padEnd(14)} ${c.summary}`)
        .join('\n')}`,
    );
    process.exit(name ? 2 : 0);
  }
  await command.run(parseArgs(rest));
}

main().catch((error) => {
  console.error(error instanceof ConfigValidationError ? error.message : `Error: ${(error as Error).message}`);
  process.exit(1);
});
