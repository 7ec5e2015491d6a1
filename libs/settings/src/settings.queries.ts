import { defineQueries, Sql, sql } from '@customer-access/database/sql';
import type { CustomerPasswordSettings } from './customer-password-settings';

/** The settings row read without the ORM, for the light CLI commands (admin:create; stored-settings.ts). */
export const SettingsSql = defineQueries(
  {
    /** The overrides an admin stored (id = 1, SETTINGS_ROW_ID); no row means the defaults. */
    storedValues: (): Sql<{ values: Partial<CustomerPasswordSettings> }> => sql`select "values" from settings where id = 1`,
  },
  { storedValues: [[]] },
);
