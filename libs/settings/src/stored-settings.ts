import { clientRows, SqlClient } from '@customer-access/database/sql';
import { CustomerPasswordSettings, mergeWithDefaults } from './customer-password-settings';
import { SettingsSql } from './settings.queries';

/**
 * The settings in force, read on a plain pg connection: what SettingsService holds, for a CLI
 * command that loads no Nest or ORM (admin:create). An invalid stored value gives its default.
 */
export async function readStoredSettings(client: SqlClient): Promise<CustomerPasswordSettings> {
  const [row] = await clientRows(client, SettingsSql.storedValues());
  return mergeWithDefaults(row?.values ?? {});
}
