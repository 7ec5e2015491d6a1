export { I18nModule } from './i18n.module';
export { Translator, MessageParams } from './translator';
export { SOURCE_LOCALE, canonicalLocaleTag, matchSupportedLocale, parseAcceptLanguage, storableLocaleTag } from './locales';
export { Catalogue, cataloguesDir, flattenCatalogue, loadCatalogues, placeholdersOf, supportedLocales } from './catalogues';
