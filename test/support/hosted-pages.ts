import { ApiRequest, ApiResponse } from './http-client';

/** The hosted storefront pages' addresses (docs/api.md, Hosted pages). */
export const FORGOT_PAGE = '/customer/account/forgotpassword';
export const CREATE_PASSWORD_PAGE = '/customer/account/createPassword';

/** One parsed Set-Cookie header. */
export interface SetCookie {
  name: string;
  value: string;
  attributes: Record<string, string | true>;
}

export function setCookies(res: ApiResponse): SetCookie[] {
  const raw = res.headers['set-cookie'] ?? [];
  return raw.map((line) => {
    const [pair, ...attrs] = line.split(';').map((s) => s.trim());
    const eq = pair.indexOf('=');
    const attributes: Record<string, string | true> = {};
    for (const attr of attrs) {
      const i = attr.indexOf('=');
      attributes[(i < 0 ? attr : attr.slice(0, i)).toLowerCase()] = i < 0 ? true : attr.slice(i + 1);
    }
    return { name: pair.slice(0, eq), value: decodeURIComponent(pair.slice(eq + 1)), attributes };
  });
}

/**
 * A browser's cookie jar, as far as these tests need one: remembers what the pages set (path
 * scoping included) and sends it back.
 */
export class CookieJar {
  private readonly cookies = new Map<string, { value: string; path: string }>();

  take(res: ApiResponse): this {
    for (const cookie of setCookies(res)) {
      const expired = cookie.attributes['max-age'] === '0' || /1970/.test(String(cookie.attributes.expires ?? ''));
      if (expired) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, { value: cookie.value, path: String(cookie.attributes.path ?? '/') });
    }
    return this;
  }

  get(name: string): string | undefined {
    return this.cookies.get(name)?.value;
  }

  set(name: string, value: string, path = '/'): void {
    this.cookies.set(name, { value, path });
  }

  header(path: string): string {
    return [...this.cookies.entries()]
      .filter(([, c]) => path === c.path || path.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`) || c.path === '/')
      .map(([name, c]) => `${name}=${encodeURIComponent(c.value)}`)
      .join('; ');
  }
}

/** The `_csrf` hidden field of a page's form. */
export function csrfFieldOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error(`No _csrf field in:\n${html.slice(0, 1500)}`);
  return match[1];
}

/** A page's visible text, tags removed and whitespace collapsed (for comparing answers). */
export function textOf(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

type Send = (path: string, init?: ApiRequest) => Promise<ApiResponse>;

/** Browser-like requests: the jar's cookies go along, what comes back is kept. */
export function browserLike(send: Send, jar: CookieJar, headers: Record<string, string> = {}) {
  const go = async (path: string, init: ApiRequest = {}): Promise<ApiResponse> => {
    const cookie = jar.header(path.split('?')[0]);
    const res = await send(path, {
      ...init,
      headers: { accept: 'text/html', ...headers, ...(cookie ? { cookie } : {}), ...(init.headers ?? {}) },
    });
    jar.take(res);
    return res;
  };
  return {
    get: (path: string, init: ApiRequest = {}) => go(path, init),
    /** Posts a form with the CSRF token of the given page answer (or none). */
    post: (path: string, fields: Record<string, string>, from?: ApiResponse) =>
      go(path, { method: 'POST', form: from ? { _csrf: csrfFieldOf(from.text), ...fields } : fields }),
  };
}
