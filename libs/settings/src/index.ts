export {
  CustomerPasswordSettings,
  CustomerPasswordSettingsPatch,
  DEFAULT_SETTINGS,
  MAX_PASSWORD_LENGTH,
  RESET_PROTECTION_TYPES,
  ResetProtectionType,
  BreachedPasswordCheckMode,
} from './customer-password-settings';
export { isTimeZone, SETTING_FIELDS, SETTING_GROUPS, SettingField, SettingGroup, SettingName, SettingRule } from './setting-fields';
export { SettingsModule } from './settings.module';
export { SettingsRow } from './settings.entity';
export { SettingsService, mergeWithDefaults } from './settings.service';
