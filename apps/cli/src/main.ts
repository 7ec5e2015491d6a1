import 'reflect-metadata';
import { ConfigValidationError, loadConfig } from '@customer-access/config';
import { createAdminAccount } from '@customer-access/admin';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '@customer-access/common';
import { buildSnapshots, checkDatabase, createMigrationFromEntities, migrateDatabase, staleSnapshots } from '@customer-access/database';
import { readPassword } from './read-password';
import { SCHEMA_ENTITIES } from './schema-entities';
import { demoInstructions, parseDemoSeedArgs, progressReporter, seedDemoCustomers } from './demo-seed';

type Command = (args: Record<string, string>) => Promise<void>;

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
      const { created, applied } = await migrateDatabase(databaseMigrationUrl);
      if (created) console.log(`Created database ${new URL(databaseMigrationUrl).pathname.slice(1)}`);
      console.log(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'Database schema is up to date.');
    },
  },
  'db:check': {
    // Uses a scratch database on the DATABASE_MIGRATION_URL server (creating one needs the server itself).
    summary:
      'Fail when the entities and the committed migrations disagree, when a *.queries.sql snapshot is stale, or when PostgreSQL cannot EXPLAIN a raw statement (uses a scratch database).',
    run: async () => {
      const snapshots = buildSnapshots(projectRoot(), loadBuiltModule);
      const stale = staleSnapshots(projectRoot(), snapshots);
      const statements = snapshots.flatMap((snapshot) => snapshot.statements);
      const { drift, broken } = await checkDatabase(loadConfig().databaseMigrationUrl, SCHEMA_ENTITIES, statements);
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
