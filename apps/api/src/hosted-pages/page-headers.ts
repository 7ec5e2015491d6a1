import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';

/**
 * The security headers of every hosted page, built once: a strict Content-Security-Policy (scripts,
 * styles, images and fetches from this origin only, no inline script or style, no eval, no framing,
 * forms post only here), `Referrer-Policy: no-referrer` (so that no URL of these pages reaches another site), and
 * helmet's other defaults (nosniff, X-Frame-Options: DENY, COOP/CORP same-origin). HSTS and
 * upgrade-insecure-requests only when the service is published over https: on plain http they
 * would break a local start.
 *
 * The headers do not depend on the request, so helmet runs once, here, against a stand-in response
 * that records them, and each page answer sets the recorded headers in one call.
 */
export function pageSecurityHeaders(https: boolean): Readonly<Record<string, string>> {
  const middleware = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'"],
        // The forgot page's proof-of-work widget fetches its challenge from this origin's REST route.
        // Its worker is a same-origin script file (no blob:), which script-src 'self' covers (worker-src falls back to it).
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    frameguard: { action: 'deny' },
    strictTransportSecurity: https ? { maxAge: 31_536_000 } : false,
  });
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader: () => undefined,
  };
  let finished = false;
  middleware({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error instanceof Error ? error : new Error(String(error));
    finished = true;
  });
  if (!finished) throw new Error('helmet did not finish synchronously: the page headers cannot be recorded once');
  return Object.freeze(headers);
}
