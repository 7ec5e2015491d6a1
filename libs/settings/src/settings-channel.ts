/** Redis channel on which a settings change is announced to every process (SettingsService). */
export const SETTINGS_CHANGED_CHANNEL = 'customer-access:settings-changed';
