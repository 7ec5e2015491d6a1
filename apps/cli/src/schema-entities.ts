import { EntityClass } from '@mikro-orm/core';
import { AdminApiKey, AdminMfaFactor, AdminRecoveryCode, AdminUser, AuditEvent } from '@customer-access/admin';
import { Customer } from '@customer-access/customers';
import { EmailLogEntry, OutboxMessage } from '@customer-access/notification';
import { AccessToken } from '@customer-access/oauth';
import { PasswordResetToken } from '@customer-access/password-reset';
import { SettingsRow, StoreView, Website } from '@customer-access/settings';
import { WebhookDelivery, WebhookEndpoint } from '@customer-access/webhooks';

/**
 * Every entity, i.e. the whole schema (db:check, migration:create). A new table = a new entity here
 * plus its migration. Apps load only the entities of the libs they import (autoLoadEntities).
 */
export const SCHEMA_ENTITIES: EntityClass<unknown>[] = [
  Customer,
  PasswordResetToken,
  AccessToken,
  SettingsRow,
  OutboxMessage,
  AdminUser,
  AuditEvent,
  AdminMfaFactor,
  AdminRecoveryCode,
  AdminApiKey,
  EmailLogEntry,
  Website,
  StoreView,
  WebhookEndpoint,
  WebhookDelivery,
];
