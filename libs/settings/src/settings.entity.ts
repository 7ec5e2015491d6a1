import { Check, Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { CustomerPasswordSettings } from './customer-password-settings';

export const SETTINGS_ROW_ID = 1;

/** One row (id = 1) holding only the settings an admin changed; defaults fill the rest. */
@Entity({ tableName: 'settings' })
@Check({ name: 'settings_id_check', expression: 'id = 1' })
export class SettingsRow {
  @PrimaryKey({ columnType: 'smallint', type: 'smallint', autoincrement: false })
  id: number = SETTINGS_ROW_ID;

  @Property({ type: 'json', defaultRaw: `'{}'::jsonb` })
  values: Partial<CustomerPasswordSettings> = {};

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  updatedAt: Date = new Date();
}
