import { DEFAULT_SETTINGS } from '@customer-access/settings';
import { settingChanges } from './admin-settings.service';

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
