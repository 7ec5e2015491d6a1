export {
  ACCOUNT_SHARING_SCOPES,
  type AccountSharingScope,
  type CustomerPasswordSettings,
  CustomerPasswordSettingsPatch,
  DEFAULT_SETTINGS,
  MAX_PASSWORD_LENGTH,
  RESET_PROTECTION_TYPES,
  type ResetProtectionType,
  type BreachedPasswordCheckMode,
  type ResetChallengeMode,
  RESET_CHALLENGE_DEFAULT_MAX_NUMBER,
} from './customer-password-settings';
export {
  isTimeZone,
  SETTING_FIELDS,
  SETTING_GROUPS,
  type SettingField,
  type SettingGroup,
  type SettingName,
  type SettingRule,
} from './setting-fields';
export { SettingsModule } from './settings.module';
export { SettingsRow } from './settings.entity';
export { SettingsService, mergeWithDefaults } from './settings.service';
export { Website } from './stores/website.entity';
export { MAX_BASE_URL_LENGTH, parseStoreBaseUrl, STORE_CODE_PATTERN } from './stores/store-view-fields';
export { STORE_VIEW_BRANDING, StoreView, type StoreViewBrandingField } from './stores/store-view.entity';
export { StoreRepository, type StoreViewChanges } from './stores/store.repository';
export {
  BASE_WEBSITE,
  DEFAULT_STORE_VIEW,
  type ResolvedStoreView,
  resolve as resolveStoreView,
  StoreRegistry,
  storeUnknown,
  type WebsiteView,
} from './stores/store-registry';
export {
  checkBaseUrl,
  checkCode,
  checkLocale,
  checkMailFrom,
  checkName,
  checkSupportEmail,
  checkTimezone,
} from './stores/store-view-rules';
