export {
  ACCOUNT_SHARING_SCOPES,
  AccountSharingScope,
  CustomerPasswordSettings,
  CustomerPasswordSettingsPatch,
  DEFAULT_SETTINGS,
  MAX_PASSWORD_LENGTH,
  RESET_PROTECTION_TYPES,
  ResetProtectionType,
  BreachedPasswordCheckMode,
  ResetChallengeMode,
  RESET_CHALLENGE_DEFAULT_MAX_NUMBER,
} from './customer-password-settings';
export { isTimeZone, SETTING_FIELDS, SETTING_GROUPS, SettingField, SettingGroup, SettingName, SettingRule } from './setting-fields';
export { SettingsModule } from './settings.module';
export { SettingsRow } from './settings.entity';
export { SettingsService, mergeWithDefaults } from './settings.service';
export { Website } from './stores/website.entity';
export { MAX_BASE_URL_LENGTH, parseStoreBaseUrl, STORE_CODE_PATTERN } from './stores/store-view-fields';
export { STORE_VIEW_BRANDING, StoreView, StoreViewBrandingField } from './stores/store-view.entity';
export { StoreRepository, StoreViewChanges } from './stores/store.repository';
export {
  BASE_WEBSITE,
  DEFAULT_STORE_VIEW,
  ResolvedStoreView,
  resolve as resolveStoreView,
  StoreRegistry,
  storeUnknown,
  WebsiteView,
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
