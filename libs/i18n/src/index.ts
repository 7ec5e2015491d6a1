export { I18nModule } from './i18n.module';
export { Translator, type MessageParams } from './translator';
export { SOURCE_LOCALE, canonicalLocaleTag, matchSupportedLocale, parseAcceptLanguage, storableLocaleTag } from './locales';
export { type Catalogue, cataloguesDir, flattenCatalogue, loadCatalogues, placeholdersOf, supportedLocales } from './catalogues';
