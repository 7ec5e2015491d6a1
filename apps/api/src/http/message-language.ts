import { Injectable } from '@nestjs/common';
import { MessageParams, parseAcceptLanguage, SOURCE_LOCALE, Translator } from '@customer-access/i18n';

/**
 * The language of the storefront routes' `message` fields (DESIGN.md, Languages): the best
 * supported match of the request's Accept-Language, and DESIGN's English, byte for byte, without
 * one (or when none of its languages is supported). Error `code`s never change with it.
 */
@Injectable()
export class MessageLanguage {
  constructor(private readonly translator: Translator) {}

  localeFor(acceptLanguage: string | string[] | undefined): string {
    const header = Array.isArray(acceptLanguage) ? acceptLanguage.join(',') : acceptLanguage;
    if (!header) return SOURCE_LOCALE;
    return this.translator.resolve(parseAcceptLanguage(header), SOURCE_LOCALE);
  }

  /** The catalogue message `key` in the request's language. */
  message(acceptLanguage: string | string[] | undefined, key: string, params?: MessageParams): string {
    return this.translator.t(this.localeFor(acceptLanguage), key, params);
  }
}
