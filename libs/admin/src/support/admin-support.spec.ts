import { DEFAULT_SETTINGS } from '@customer-access/settings';
import { settingChanges } from './admin-settings.service';
import { escapeLike } from './customer-directory.repository';

describe('escapeLike', () => {
  it('makes LIKE wildcards and the escape character literal', () => {
    expect(escapeLike('50%_off!')).toBe('50\\%\\_off!');
    expect(escapeLike('plain@example.com')).toBe('plain@example.com');
    expect(escapeLike('back\\slash')).toBe('back\\\\slash');
  });
});

describe('settingChanges', () => {
  it('lists only the settings whose value changed, as values rather than keys', () => {
    const after = { ...DEFAULT_SETTINGS, minPasswordLength: 12, supportEmail: 'help@example.com' };
    expect(settingChanges({ ...DEFAULT_SETTINGS }, after)).toEqual([
      { setting: 'minPasswordLength', from: 6, to: 12 },
      { setting: 'supportEmail', from: 'support@example.com', to: 'help@example.com' },
    ]);
    expect(settingChanges({ ...DEFAULT_SETTINGS }, { ...DEFAULT_SETTINGS })).toEqual([]);
  });
});
