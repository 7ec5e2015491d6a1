import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { supportedLocales } from '@customer-access/i18n';
import { CustomerPasswordSettingsPatch, DEFAULT_SETTINGS, RESET_PROTECTION_TYPES } from './customer-password-settings';
import { SETTING_FIELDS, SETTING_GROUPS, SettingField } from './setting-fields';

/** The console checks values with SETTING_FIELDS; the server with the patch class made from them. They must agree. */
const accepts = (name: string, value: unknown): boolean =>
  validateSync(plainToInstance(CustomerPasswordSettingsPatch, { [name]: value }), { forbidUnknownValues: true }).length === 0;

describe('SETTING_FIELDS', () => {
  it('describes every setting, and only settings', () => {
    expect(Object.keys(SETTING_FIELDS).sort()).toEqual(Object.keys(DEFAULT_SETTINGS).sort());
  });

  it('puts every setting in one of the console groups, and leaves no group empty', () => {
    const groups = Object.values(SETTING_FIELDS).map((field) => field.group);
    expect(groups.every((group) => (SETTING_GROUPS as readonly string[]).includes(group))).toBe(true);
    expect([...new Set(groups)].sort()).toEqual([...SETTING_GROUPS].sort());
  });

  it('gives every property of the patch class its rules', () => {
    for (const name of Object.keys(SETTING_FIELDS))
      expect({ name, accepts: accepts(name, { not: 'a value' }) }).toEqual({ name, accepts: false });
  });

  it.each(Object.entries(SETTING_FIELDS) as Array<[string, SettingField]>)(
    '%s: the server accepts exactly what the console allows',
    (name, field) => {
      switch (field.kind) {
        case 'integer':
          expect([accepts(name, field.min), accepts(name, field.max)]).toEqual([true, true]);
          expect([accepts(name, field.min - 1), accepts(name, field.max + 1), accepts(name, field.min + 0.5)]).toEqual([
            false,
            false,
            false,
          ]);
          break;
        case 'choice':
          if (name === 'resetProtectionType') expect([...field.options]).toEqual([...RESET_PROTECTION_TYPES]);
          for (const option of field.options) expect(accepts(name, option)).toBe(true);
          expect(accepts(name, 'captcha')).toBe(false);
          break;
        case 'locale':
          // One per catalogue file, and nothing else.
          for (const locale of supportedLocales()) expect(accepts(name, locale)).toBe(true);
          expect([accepts(name, 'fr'), accepts(name, 'zh-cn'), accepts(name, '')]).toEqual([false, false, false]);
          break;
        case 'boolean':
          expect([accepts(name, true), accepts(name, false)]).toEqual([true, true]);
          break;
        case 'text':
          expect(accepts(name, 'x'.repeat(field.maxLength))).toBe(true);
          expect([accepts(name, 'x'.repeat(field.maxLength + 1)), accepts(name, ' '), accepts(name, 'a\nb')]).toEqual([
            false,
            false,
            false,
          ]);
          break;
        case 'timeZone':
          expect(['UTC', 'Asia/Shanghai', 'America/Argentina/Buenos_Aires', 'Etc/GMT+8'].map((z) => accepts(name, z))).toEqual([
            true,
            true,
            true,
            true,
          ]);
          expect(['Mars/Olympus', '+08:00', 'Asia/Shanghai ', '', 'x'.repeat(field.maxLength + 1)].map((z) => accepts(name, z))).toEqual([
            false,
            false,
            false,
            false,
            false,
          ]);
          break;
        case 'email':
          expect(accepts(name, 'help@shop.example')).toBe(true);
          expect(accepts(name, 'not-an-email')).toBe(false);
          expect(accepts(name, `${'a'.repeat(field.maxLength)}@shop.example`)).toBe(false);
          break;
      }
    },
  );
});
