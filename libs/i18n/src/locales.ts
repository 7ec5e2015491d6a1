/**
 * BCP 47 locale handling. The supported locales are the catalogue files in libs/i18n/locales/, so
 * adding a language is adding one file; everything here matches against that list.
 */

/** The language every catalogue is checked against, and the last fallback. */
export const SOURCE_LOCALE = 'en';

/**
 * The canonical BCP 47 form of a tag as people and systems write it (`zh_CN` → `zh-CN`,
 * `EN-us` → `en-US`), or undefined when it is not a well-formed tag.
 */
export function canonicalLocaleTag(input: string | undefined | null): string | undefined {
  if (typeof input !== 'string') return undefined;
  const tag = input.trim().replace(/_/g, '-');
  if (!tag || tag.length > 35) return undefined;
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    return undefined;
  }
}

/**
 * The supported locale that serves a reader of `input`, or undefined when none does. A tag matches
 * when it names the same language in the same script (`zh`, `zh-cn`, `zh_CN`, `zh-Hans-CN` and
 * `zh-SG` all read simplified Chinese, so they get `zh-CN`; `zh-TW` reads traditional and does not);
 * an exact region match wins over a script match (`en-GB` → `en`).
 */
export function matchSupportedLocale(input: string | undefined | null, supported: readonly string[]): string | undefined {
  const tag = canonicalLocaleTag(input);
  if (!tag) return undefined;
  const wanted = new Intl.Locale(tag).maximize();
  let scriptMatch: string | undefined;
  for (const locale of supported) {
    const candidate = new Intl.Locale(locale).maximize();
    if (candidate.language !== wanted.language || candidate.script !== wanted.script) continue;
    if (candidate.region === wanted.region) return locale;
    scriptMatch ??= locale;
  }
  return scriptMatch;
}

/**
 * The language tags of an `Accept-Language` header, best first (RFC 9110 §12.5.4: by q-value, then
 * by order). Tags with q=0 and the wildcard are dropped; a malformed header yields [].
 */
export function parseAcceptLanguage(header: string | undefined | null): string[] {
  if (typeof header !== 'string' || header.length > 1024) return [];
  const ranges: Array<{ tag: string; q: number; index: number }> = [];
  header.split(',').forEach((part, index) => {
    const [rawTag, ...params] = part.trim().split(';');
    const tag = rawTag.trim();
    if (!tag || tag === '*') return;
    let q = 1;
    for (const param of params) {
      const match = /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(param);
      if (match) q = Number(match[1]);
    }
    if (q > 0) ranges.push({ tag, q, index });
  });
  return ranges.sort((a, b) => b.q - a.q || a.index - b.index).map((r) => r.tag);
}

/**
 * The tag to store for a customer's `locale`: the supported locale that serves it when there is one
 * (`zh_CN`, `zh-cn`, `zh-Hans-CN` → `zh-CN`; `en_US` → `en`), else its canonical BCP 47 form
 * (`fr_FR` → `fr-FR`, kept so that adding a French catalogue later serves it), else undefined for
 * an input that is not a language tag. Rendering falls back to the `defaultLocale` setting.
 */
export function storableLocaleTag(input: string | undefined | null, supported: readonly string[]): string | undefined {
  return matchSupportedLocale(input, supported) ?? canonicalLocaleTag(input);
}
