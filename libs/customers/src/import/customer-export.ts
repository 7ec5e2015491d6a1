import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { clientRows } from '@customer-access/database/sql';
import { CustomerExportSql } from './customer-export.queries';
import { ImportFormat } from './import-rows';

export interface ExportOptions {
  file: string;
  format: ImportFormat;
  withPasswordHashes: boolean;
}

/**
 * customers:export: every customer into `file`, streamed by COPY … TO STDOUT straight into the file
 * (memory stays flat), in the format customers:import reads back: Magento's "Customers Main File"
 * columns as CSV (header, every field quoted, as Magento's fputcsv writes it) or NDJSON. Password
 * hashes only with `withPasswordHashes`; an account without a usable password has none either way.
 * The count and the rows come from one snapshot. Returns the number of customers written.
 */
export async function exportCustomers(databaseUrl: string, options: ExportOptions): Promise<number> {
  const client = new Client({ connectionString: databaseUrl, application_name: 'customers:export' });
  await client.connect();
  try {
    const magento = options.format === 'magento';
    const query = magento ? CustomerExportSql.magento(options.withPasswordHashes) : CustomerExportSql.ndjson(options.withPasswordHashes);
    // The statements take no parameters (COPY cannot), so their text is complete as it is.
    const copy = magento
      ? `copy (${query.text}) to stdout with (format csv, header, force_quote *)`
      : // CSV with a quote and a delimiter that JSON text never holds (it escapes control characters): each line comes out as it is.
        `copy (${query.text}) to stdout with (format csv, quote e'\\x01', delimiter e'\\x02')`;
    await client.query('begin isolation level repeatable read read only');
    const [{ count }] = await clientRows(client, CustomerExportSql.count());
    await pipeline(client.query(copyTo(copy)), createWriteStream(options.file));
    await client.query('commit');
    return count;
  } finally {
    await client.end();
  }
}
