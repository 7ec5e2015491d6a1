export { I18nModule } from './i18n.module';
export { Translator, MessageParams } from './translator';
export { SOURCE_LOCALE, canonicalLocaleTag, matchSupportedLocale, parseAcceptLanguage, resolveLocale } from './locales';
export { Catalogue, cataloguesDir, flattenCatalogue, loadCatalogues, placeholdersOf } from './catalogues';
