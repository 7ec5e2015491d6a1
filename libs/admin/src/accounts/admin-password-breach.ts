import type { MikroORM } from '@mikro-orm/postgresql';
import { BreachedPasswordCheck } from '@customer-access/customers';
import { mergeWithDefaults, SettingsRow } from '@customer-access/settings';

/**
 * Admin passwords get the breached-password check too (docs/api.md, "Abuse protection"), as the
 * `breachedPasswordCheck` setting says. The CLI has no shared cache: it asks the range API at
 * `pwnedPasswordsUrl` (only the first 5 hex characters of the SHA-1 leave).
 */
export async function assertAdminPasswordNotBreached(orm: MikroORM, pwnedPasswordsUrl: string, password: string): Promise<void> {
  const row = await orm.em.fork().findOne(SettingsRow, { id: 1 });
  const { breachedPasswordCheck } = mergeWithDefaults(row?.values ?? {});
  await BreachedPasswordCheck.standalone({ baseUrl: pwnedPasswordsUrl }).assertNotBreached(password, breachedPasswordCheck);
}
