import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '@customer-access/common';
import { SOURCE_LOCALE } from './locales';

/** A catalogue: nested objects whose leaves are message strings with `{{placeholder}}`s. */
export interface Catalogue {
  [key: string]: string | Catalogue;
}

/** Where the catalogues live: one `<locale>.json` per language (shipped as-is, not compiled). */
export function cataloguesDir(): string {
  return join(projectRoot(), 'libs/i18n/locales');
}

/** Every catalogue, keyed by its locale (the file name). Read once per process. */
export function loadCatalogues(dir = cataloguesDir()): Record<string, Catalogue> {
  const catalogues: Record<string, Catalogue> = {};
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    catalogues[file.slice(0, -'.json'.length)] = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Catalogue;
  }
  return catalogues;
}

/** Flattens a catalogue to `{ 'api.passwordUpdated': '...' }`. */
export function flattenCatalogue(catalogue: Catalogue, prefix = ''): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(catalogue)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') flat[path] = value;
    else Object.assign(flat, flattenCatalogue(value, path));
  }
  return flat;
}

/** The `{{name}}` placeholders of a message, sorted and unique. */
export function placeholdersOf(message: string): string[] {
  return [...new Set([...message.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1]))].sort();
}

let supportedCache: readonly string[] | undefined;

/**
 * The supported locales: one per catalogue file, the source locale first. Read from disk once per
 * process, for code that needs the list before (or without) a Translator, such as settings validation.
 */
export function supportedLocales(): readonly string[] {
  supportedCache ??= Object.freeze([SOURCE_LOCALE, ...Object.keys(loadCatalogues()).filter((l) => l !== SOURCE_LOCALE)]);
  return supportedCache;
}
