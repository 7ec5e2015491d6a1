import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@customer-access/common';
import { MessageParams, parseAcceptLanguage, SOURCE_LOCALE, Translator } from '@customer-access/i18n';
import { ErrorResponse } from './error-response';

/** The routes whose `message`s follow Accept-Language (docs/api.md, Languages): the storefront's. */
const STOREFRONT_PATH = /^\/api\/v1\/customers(\/|\?|$)/;

/**
 * Catalogue keys of the errors whose English text is not a domain error's own (framework errors);
 * `details` carries that English text where it says something specific (which field, which route).
 */
const KEY_BY_CODE: Partial<Record<ErrorCode, string>> = {
  [ErrorCode.Validation]: 'api.invalidRequest',
  [ErrorCode.NotFound]: 'api.notFound',
  [ErrorCode.Unauthorized]: 'api.unauthorized',
  [ErrorCode.PayloadTooLarge]: 'api.payloadTooLarge',
  [ErrorCode.UnsupportedMediaType]: 'api.unsupportedMediaType',
  [ErrorCode.ServiceUnavailable]: 'api.serviceUnavailable',
  [ErrorCode.Internal]: 'api.internalError',
};

/**
 * The language of the storefront routes' `message` fields (docs/api.md, Languages): the best
 * supported match of the request's Accept-Language, and docs/api.md's English, byte for byte, without
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

  /**
   * The `message` of an error answer to `request`: translated on storefront routes that asked for
   * another language, else the answer's own (English) message unchanged.
   */
  errorMessage(
    request: { url?: string; headers?: Record<string, string | string[] | undefined> } | undefined,
    exception: unknown,
    body: ErrorResponse,
  ): string {
    if (!request?.url || !STOREFRONT_PATH.test(request.url)) return body.message;
    const locale = this.localeFor(request.headers?.['accept-language']);
    if (locale === SOURCE_LOCALE) return body.message;
    if (exception instanceof DomainError && exception.messageKey) {
      return this.translator.t(locale, exception.messageKey, exception.params);
    }
    const key = KEY_BY_CODE[body.code];
    return key ? this.translator.t(locale, key, { details: body.message }) : body.message;
  }
}
