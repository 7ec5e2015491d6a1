import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode, Messages } from '@customer-access/common';
import { CustomerRepository } from '@customer-access/customers';
import { CustomerPasswordSettings, CustomerPasswordSettingsPatch, SettingsService } from '@customer-access/settings';
import { AdminActor } from '../access/admin-request';
import { AuditAction } from '../audit/audit-event.entity';
import { AuditService } from '../audit/audit.service';

export interface SettingChange {
  setting: string;
  from: unknown;
  to: unknown;
}

/** The admin side of the settings: read, change (every instance reloads), and audit the change. */
@Injectable()
export class AdminSettingsService {
  constructor(
    private readonly settings: SettingsService,
    private readonly audit: AuditService,
    private readonly customers: CustomerRepository,
  ) {}

  /** The settings in force on this instance. */
  current(): CustomerPasswordSettings {
    return { ...this.settings.current() };
  }

  /**
   * Changes the settings and records the change in the audit log, in one transaction. Sharing
   * customer accounts globally is refused (ACCOUNT_SHARING_CONFLICT, nothing changed) while an
   * email has accounts in two websites.
   */
  async update(actor: AdminActor, patch: CustomerPasswordSettingsPatch): Promise<CustomerPasswordSettings> {
    const after = await this.settings.update(patch, async (tx, before, after) => {
      if (
        before.accountSharingScope !== 'global' &&
        after.accountSharingScope === 'global' &&
        (await this.customers.emailInTwoWebsites(tx))
      ) {
        throw new DomainError(ErrorCode.AccountSharingConflict, Messages.accountSharingConflict, {
          messageKey: 'api.accountSharingConflict',
        });
      }
      const changes = settingChanges(before, after);
      // A list of {setting, from, to}: setting values are not secrets, and as values (not keys)
      // their names never look like secret fields to a reader or a scanner.
      if (changes.length > 0) await this.audit.record(actor, AuditAction.SettingsChanged, null, { changes }, tx);
    });
    return { ...after };
  }
}

export function settingChanges(before: CustomerPasswordSettings, after: CustomerPasswordSettings): SettingChange[] {
  return (Object.keys(after) as Array<keyof CustomerPasswordSettings>)
    .filter((key) => before[key] !== after[key])
    .map((key) => ({ setting: key, from: before[key], to: after[key] }));
}
