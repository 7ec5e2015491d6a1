import 'reflect-metadata';
import { ConfigValidationError, loadConfig } from '@customer-access/config';
import { createAdminAccount } from '@customer-access/admin';
import { migrateDatabase } from '@customer-access/database';
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
  'admin:create': {
    summary: 'Create an admin user: --email E --password P --role administrator|support.',
    run: async (args) => {
      const { databaseUrl } = loadConfig();
      // A bad role or a weak password throws with the reason; main() prints it and exits 1.
      const admin = await createAdminAccount(databaseUrl, { email: args.email, password: args.password, role: args.role });
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
