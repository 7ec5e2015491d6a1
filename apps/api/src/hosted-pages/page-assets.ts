import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { projectRoot } from '@customer-access/common';

/** Where the page templates and their static assets live (read from the repository layout, like the email templates). */
export const PAGES_DIR = join(projectRoot(), 'apps/api/pages');

/** URL prefix of the pages' stylesheet and script (outside /customer/account, so no page cookie is sent along). */
export const PAGE_ASSETS_PATH = '/static/pages';

/** One static file, as served: its bytes, its type, and its URL with the content hash in it. */
export interface PageAsset {
  url: string;
  contentType: string;
  content: Buffer;
}

const CONTENT_TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.ico': 'image/x-icon',
};

/**
 * The ALTCHA widget's files, served by this service from the installed `altcha` package (never a
 * CDN): its strict-CSP build (no inline style, no blob: worker), its stylesheet, and the SHA-256
 * worker it starts (a classic script, same origin: the CSP's script-src 'self' covers it).
 */
const ALTCHA_DIST = join(dirname(require.resolve('altcha')), '..');

/** Served at a fixed address (browsers and crawlers ask for it there), so not fingerprinted. */
export const FAVICON_PATH = '/favicon.ico';

/**
 * The hosted pages' static files, read and hashed once at start. The stylesheet and the script are
 * served as `/static/pages/<name>.<hash>.<ext>`: a new release changes the address, so each address
 * can be cached for good (`immutable`), as the console's assets are, and the pages link the current
 * one. The favicon keeps its well-known address.
 */
@Injectable()
export class PageAssets {
  readonly stylesheet: PageAsset;
  readonly script: PageAsset;
  readonly favicon: PageAsset;
  /** The proof of work on the forgot page (docs/api.md, Abuse protection): the widget, its styles and worker, and the page's glue. */
  readonly challenge: { widget: PageAsset; styles: PageAsset; worker: PageAsset; script: PageAsset };
  private readonly byUrl: Map<string, PageAsset>;

  constructor() {
    const dir = join(PAGES_DIR, 'assets');
    this.stylesheet = fingerprinted(dir, 'pages.css');
    this.script = fingerprinted(dir, 'password-fields.js');
    this.favicon = { url: FAVICON_PATH, contentType: CONTENT_TYPES['.ico'], content: readFileSync(join(dir, 'favicon.ico')) };
    this.challenge = {
      widget: fingerprinted(join(ALTCHA_DIST, 'external'), 'altcha.min.js', 'altcha.js'),
      styles: fingerprinted(join(ALTCHA_DIST, 'external'), 'altcha.css'),
      worker: fingerprinted(join(ALTCHA_DIST, 'workers'), 'sha.js', 'altcha-sha-worker.js'),
      script: fingerprinted(dir, 'reset-challenge.js'),
    };
    this.byUrl = new Map([this.stylesheet, this.script, ...Object.values(this.challenge)].map((asset) => [asset.url, asset]));
  }

  /** The fingerprinted file served at `url`, if any (an older release's address is simply unknown). */
  find(url: string): PageAsset | undefined {
    return this.byUrl.get(url);
  }
}

function fingerprinted(dir: string, file: string, servedAs: string = file): PageAsset {
  const content = readFileSync(join(dir, file));
  const ext = extname(servedAs);
  const hash = createHash('sha256').update(content).digest('base64url').slice(0, 12);
  return { url: `${PAGE_ASSETS_PATH}/${servedAs.slice(0, -ext.length)}.${hash}${ext}`, contentType: CONTENT_TYPES[ext], content };
}
