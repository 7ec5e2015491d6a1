import { MigrationObject } from '@mikro-orm/core';
import { Migration20261127000000InitialSchema } from './Migration20261127000000InitialSchema';

/**
 * Every migration, in order. Listed explicitly (not globbed from disk) so that the same list
 * works from ts sources and from dist/. Append new migrations at the end.
 */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261127000000InitialSchema', class: Migration20261127000000InitialSchema },
];
