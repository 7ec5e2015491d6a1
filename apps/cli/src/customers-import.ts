import type { AppConfig } from '@customer-access/config';
import {
  exportCustomers,
  IMPORT_FORMATS,
  ImportFileError,
  ImportFormat,
  importCustomers,
  ImportSummary,
} from '@customer-access/customers/import';
import { progressReporter } from './progress';

/** A boolean option: present (`--dry-run`) or `--dry-run=true|false`. */
export function flag(args: Record<string, string>, name: string): boolean {
  const value = args[name];
  if (value === undefined || value === 'false') return false;
  if (value === '' || value === 'true') return true;
  throw new Error(`--${name} takes no value.`);
}

export function parseFormat(value: string | undefined, file: string): ImportFormat {
  const format = (value ?? (/\.(nd)?jsonl?$/i.test(file) ? 'ndjson' : 'magento')) as ImportFormat;
  if (!IMPORT_FORMATS.includes(format)) throw new Error(`--format must be one of ${IMPORT_FORMATS.join(', ')}.`);
  return format;
}

/** `imported N, skipped N, failed N in S s`: the last line customers:import prints. */
export function summaryLine(summary: Pick<ImportSummary, 'imported' | 'skipped' | 'failed' | 'seconds'>): string {
  return `imported ${summary.imported}, skipped ${summary.skipped}, failed ${summary.failed} in ${summary.seconds.toFixed(1)} s`;
}

/**
 * customers:import --file F [--format magento|ndjson] [--website CODE] [--dry-run] (docs/importing.md).
 * Exit 0 whatever the rows held; 1 only when the file cannot be read (or the database is unreachable).
 */
export async function runCustomersImport(config: Pick<AppConfig, 'databaseUrl'>, args: Record<string, string>): Promise<void> {
  const file = args.file;
  if (!file) throw new Error('--file is required: the Magento "Customers Main File" CSV export or an NDJSON file.');
  const format = parseFormat(args.format, file);
  const dryRun = flag(args, 'dry-run');
  const out = process.stdout;
  const bar = out.isTTY ? progressReporter(1000, dryRun ? 'Checking' : 'Importing', out) : undefined;
  try {
    const summary = await importCustomers(config.databaseUrl, { file, format, website: args.website, dryRun }, (read, total) =>
      bar?.(total === 0 ? 1000 : Math.min(1000, Math.floor((read / total) * 1000))),
    );
    if (summary.failed > 0) {
      if (summary.errorsFile) console.log(`Rows not imported, with their line and reason: ${summary.errorsFile}`);
      else {
        for (const e of summary.firstErrors) console.log(`  line ${e.line}: ${e.reason}`);
        if (summary.failed > summary.firstErrors.length) console.log(`  ... and ${summary.failed - summary.firstErrors.length} more`);
      }
    }
    console.log(`${dryRun ? '(dry run, nothing written) ' : ''}${summaryLine(summary)}`);
  } catch (error) {
    if (error instanceof ImportFileError) {
      console.error(`Cannot import ${file}: ${error.message}`);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
}

/** customers:export --file F [--format magento|ndjson] [--with-password-hashes] (docs/importing.md). */
export async function runCustomersExport(config: Pick<AppConfig, 'databaseUrl'>, args: Record<string, string>): Promise<void> {
  const file = args.file;
  if (!file) throw new Error('--file is required: where to write the customers.');
  const format = parseFormat(args.format, file);
  const withPasswordHashes = flag(args, 'with-password-hashes');
  const started = process.hrtime.bigint();
  const count = await exportCustomers(config.databaseUrl, { file, format, withPasswordHashes });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`exported ${count}${withPasswordHashes ? ' with password hashes' : ''} to ${file} in ${seconds.toFixed(1)} s`);
}

/** INVITATION_RATE_PER_SECOND (default 20): at most this many invitations a second. */
export function invitationRate(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.INVITATION_RATE_PER_SECOND ?? '20';
  const rate = Number(raw);
  if (!Number.isInteger(rate) || rate < 1 || rate > 10_000)
    throw new Error(`INVITATION_RATE_PER_SECOND must be an integer from 1 to 10000, not "${raw}".`);
  return rate;
}

/** customers:invite [--website CODE] (docs/importing.md). */
export async function runCustomersInvite(config: Pick<AppConfig, 'databaseUrl'>, args: Record<string, string>): Promise<void> {
  const ratePerSecond = invitationRate();
  const started = process.hrtime.bigint();
  const out = process.stdout;
  // The invitations need the notification lib (outbox, mail jobs): loaded only for this command.
  const { inviteCustomers } = await import('@customer-access/customers');
  const invited = await inviteCustomers(config.databaseUrl, { website: args.website || undefined, ratePerSecond }, (n) => {
    if (out.isTTY) out.write(`\rInvited ${n}\x1b[K`);
  });
  if (out.isTTY) out.write('\n');
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(
    `invited ${invited} in ${seconds.toFixed(1)} s (the worker sends the emails; a rerun invites only the accounts not yet invited)`,
  );
}
