import { Check, Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { STORE_CODE_PATTERN } from './store-view-fields';

/**
 * A website (Magento's word): a group of store views whose customers share accounts. With
 * `accountSharingScope` = website, an email has at most one account per website. Websites are
 * never deleted (there is no route for it), so a customer's website always exists.
 */
@Entity({ tableName: 'website' })
@Check({ name: 'website_code_check', expression: `code ~ '${STORE_CODE_PATTERN.source}'` })
export class Website {
  @PrimaryKey({ type: 'text' })
  code!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  updatedAt: Date = new Date();
}
