import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { CustomerPasswordSettings } from './customer-password-settings';

/** One row (id = 1) holding only the settings an admin changed; defaults fill the rest. */
@Entity({ tableName: 'settings' })
export class SettingsRow {
  @PrimaryKey({ type: 'smallint' })
  id: number = 1;

  @Property({ type: 'json' })
  values: Partial<CustomerPasswordSettings> = {};

  @Property({ type: 'timestamptz' })
  updatedAt: Date = new Date();
}
