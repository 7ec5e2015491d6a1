import { MigrationObject } from '@mikro-orm/core';
import { Migration20261127000000InitialSchema } from './Migration20261127000000InitialSchema';
import { Migration20261127100000AdminAccess } from './Migration20261127100000AdminAccess';
import { Migration20261130010651_ResetTokenSuperseded } from './Migration20261130010651_ResetTokenSuperseded';
import { Migration20261130011949_RetentionIndexes } from './Migration20261130011949_RetentionIndexes';
import { Migration20261130013117_EmailLog } from './Migration20261130013117_EmailLog';
import { Migration20261206085819_EmailChangedTemplate } from './Migration20261206085819_EmailChangedTemplate';
import { Migration20261206091043_AdminMfaAndApiKeys } from './Migration20261206091043_AdminMfaAndApiKeys';
import { Migration20261206115931_WebAuthnDeviceType } from './Migration20261206115931_WebAuthnDeviceType';
import { Migration20261206125500_Stores } from './Migration20261206125500_Stores';
import { Migration20261206161121_Webhooks } from './Migration20261206161121_Webhooks';
import { Migration20261206173000_CustomerImport } from './Migration20261206173000_CustomerImport';
import { Migration20261206224614_WebhookDeliveryDue } from './Migration20261206224614_WebhookDeliveryDue';
import { Migration20261206232900_DropCustomerImportStaging } from './Migration20261206232900_DropCustomerImportStaging';
import { Migration20261207133000_WebhookDeliveryNoPendingIndex } from './Migration20261207133000_WebhookDeliveryNoPendingIndex';
import { Migration20261207134000_WebhookDeliveryNoCreatedAtIndex } from './Migration20261207134000_WebhookDeliveryNoCreatedAtIndex';

/**
 * Every migration, in order. Listed explicitly (not globbed from disk) so that the same list
 * works from ts sources and from dist/. Append new migrations at the end.
 */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261127000000InitialSchema', class: Migration20261127000000InitialSchema },
  { name: 'Migration20261127100000AdminAccess', class: Migration20261127100000AdminAccess },
  { name: 'Migration20261130010651_ResetTokenSuperseded', class: Migration20261130010651_ResetTokenSuperseded },
  { name: 'Migration20261130011949_RetentionIndexes', class: Migration20261130011949_RetentionIndexes },
  { name: 'Migration20261130013117_EmailLog', class: Migration20261130013117_EmailLog },
  { name: 'Migration20261206085819_EmailChangedTemplate', class: Migration20261206085819_EmailChangedTemplate },
  { name: 'Migration20261206091043_AdminMfaAndApiKeys', class: Migration20261206091043_AdminMfaAndApiKeys },
  { name: 'Migration20261206115931_WebAuthnDeviceType', class: Migration20261206115931_WebAuthnDeviceType },
  { name: 'Migration20261206125500_Stores', class: Migration20261206125500_Stores },
  { name: 'Migration20261206161121_Webhooks', class: Migration20261206161121_Webhooks },
  { name: 'Migration20261206173000_CustomerImport', class: Migration20261206173000_CustomerImport },
  { name: 'Migration20261206224614_WebhookDeliveryDue', class: Migration20261206224614_WebhookDeliveryDue },
  { name: 'Migration20261206232900_DropCustomerImportStaging', class: Migration20261206232900_DropCustomerImportStaging },
  { name: 'Migration20261207133000_WebhookDeliveryNoPendingIndex', class: Migration20261207133000_WebhookDeliveryNoPendingIndex },
  { name: 'Migration20261207134000_WebhookDeliveryNoCreatedAtIndex', class: Migration20261207134000_WebhookDeliveryNoCreatedAtIndex },
];
