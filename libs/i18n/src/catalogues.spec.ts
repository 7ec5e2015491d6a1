import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cataloguesDir, flattenCatalogue, loadCatalogues, placeholdersOf, supportedLocales } from './catalogues';
import { matchSupportedLocale, SOURCE_LOCALE } from './locales';
import { Translator } from './translator';

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

  it('are the supported languages: one file each, the source first', () => {
    const files = readdirSync(cataloguesDir()).filter((f) => f.endsWith('.json'));
    expect([...supportedLocales()].sort()).toEqual(files.map((f) => f.slice(0, -'.json'.length)).sort());
    expect(supportedLocales()[0]).toBe(SOURCE_LOCALE);
    expect(new Translator().locales).toEqual(supportedLocales());
  });

  it('make adding a language adding one file: a new catalogue is supported, matched and named in itself', () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalogues-'));
    try {
      for (const file of readdirSync(cataloguesDir())) copyFileSync(join(cataloguesDir(), file), join(dir, file));
      const french = { ...catalogues[SOURCE_LOCALE], meta: { languageName: 'Français' } };
      writeFileSync(join(dir, 'fr.json'), JSON.stringify(french));
      const translator = new Translator(loadCatalogues(dir));
      expect(translator.locales[0]).toBe(SOURCE_LOCALE);
      expect([...translator.locales].sort()).toEqual([...Object.keys(catalogues), 'fr'].sort());
      expect(translator.resolve(['fr-FR'])).toBe('fr');
      expect(matchSupportedLocale('fr_CA', translator.locales)).toBe('fr');
      expect(translator.t('fr', 'meta.languageName')).toBe('Français');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
