import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Where customers:import COPYs a batch of checked rows before one set-based insert into `customer`
 * (docs/importing.md). UNLOGGED (its migration): nothing in it outlives the batch's transaction,
 * which copies, inserts and deletes its rows, so a killed import leaves nothing behind. `batchId`
 * keeps two concurrent imports apart. The service's code never reads it otherwise.
 */
@Entity({ tableName: 'customer_import_staging' })
export class CustomerImportStaging {
  @PrimaryKey({ type: 'uuid' })
  batchId!: string;

  /** The row's line in the source file. */
  @PrimaryKey({ type: 'integer' })
  line!: number;

  @Property({ type: 'text' })
  email!: string;

  @Property({ type: 'text' })
  websiteCode!: string;

  @Property({ type: 'text' })
  storeViewCode!: string;

  @Property({ type: 'text' })
  firstName!: string;

  @Property({ type: 'text' })
  lastName!: string;

  @Property({ type: 'text' })
  locale!: string;

  @Property({ type: 'text' })
  passwordHash!: string;

  @Property({ type: 'timestamptz', nullable: true })
  createdAt!: Date | null;
}
