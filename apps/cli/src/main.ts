import 'reflect-metadata';
import { ConfigValidationError, loadConfig } from '@customer-access/config';
import { migrateDatabase } from '@customer-access/database';

type Command = (args: Record<string, string>) => Promise<void>;

const commands: Record<string, { summary: string; run: Command }> = {
  migrate: {
    summary: 'Create the database if it is missing and apply pending migrations.',
    run: async () => {
      const { databaseUrl } = loadConfig();
      const { created, applied } = await migrateDatabase(databaseUrl);
      if (created) console.log(`Created database ${new URL(databaseUrl).pathname.slice(1)}`);
      console.log(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'Database schema is up to date.');
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
    console.error(`Usage: npm run cli -- <command> [--option value]\n\nCommands:\n${Object.entries(commands)
      .map(([n, c]) => `  ${n.padEnd(14)} ${c.summary}`)
      .join('\n')}`);
    process.exit(name ? 2 : 0);
  }
  await command.run(parseArgs(rest));
}

main().catch((error) => {
  console.error(error instanceof ConfigValidationError ? error.message : `Error: ${(error as Error).message}`);
  process.exit(1);
});
