import { flattenCatalogue, loadCatalogues, placeholdersOf } from './catalogues';
import { SOURCE_LOCALE } from './locales';

/** Every catalogue must say everything the source catalogue says, with the same placeholders. */
describe('catalogues', () => {
  const catalogues = loadCatalogues();
  const source = flattenCatalogue(catalogues[SOURCE_LOCALE]);
  const others = Object.keys(catalogues).filter((l) => l !== SOURCE_LOCALE);

  it('include the source language and at least one other', () => {
    expect(Object.keys(catalogues)).toEqual(expect.arrayContaining([SOURCE_LOCALE, 'zh-CN']));
  });

  it.each(others)('%s has exactly the keys of the source catalogue', (locale) => {
    const flat = flattenCatalogue(catalogues[locale]);
    expect({ missing: Object.keys(source).filter((k) => !(k in flat)), extra: Object.keys(flat).filter((k) => !(k in source)) }).toEqual({
      missing: [],
      extra: [],
    });
  });

  /** How a language addresses the customer is its own choice: by first name (en) or by full name (zh-CN). */
  const placeholders = (message: string): string => placeholdersOf(message.replace(/\{\{\s*fullName\s*\}\}/g, '{{firstName}}')).join();

  it.each(others)('%s uses the same placeholders as the source in every message', (locale) => {
    const flat = flattenCatalogue(catalogues[locale]);
    const differing = Object.keys(source).filter((k) => k in flat && placeholders(flat[k]) !== placeholders(source[k]));
    expect(differing).toEqual([]);
  });

  it.each(Object.keys(catalogues))('%s has no empty message', (locale) => {
    const flat = flattenCatalogue(catalogues[locale]);
    expect(Object.keys(flat).filter((k) => !flat[k].trim())).toEqual([]);
  });

  it('finds placeholders with and without spaces', () => {
    expect(placeholdersOf('a {{b}} c {{ a }} {{b}}')).toEqual(['a', 'b']);
  });
});
