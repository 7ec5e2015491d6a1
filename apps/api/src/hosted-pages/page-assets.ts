import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
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
  private readonly byUrl: Map<string, PageAsset>;

  constructor() {
    const dir = join(PAGES_DIR, 'assets');
    this.stylesheet = fingerprinted(dir, 'pages.css');
    this.script = fingerprinted(dir, 'password-fields.js');
    this.favicon = { url: FAVICON_PATH, contentType: CONTENT_TYPES['.ico'], content: readFileSync(join(dir, 'favicon.ico')) };
    this.byUrl = new Map([this.stylesheet, this.script].map((asset) => [asset.url, asset]));
  }

  /** The fingerprinted file served at `url`, if any (an older release's address is simply unknown). */
  find(url: string): PageAsset | undefined {
    return this.byUrl.get(url);
  }
}

function fingerprinted(dir: string, file: string): PageAsset {
  const content = readFileSync(join(dir, file));
  const ext = extname(file);
  const hash = createHash('sha256').update(content).digest('base64url').slice(0, 12);
  return { url: `${PAGE_ASSETS_PATH}/${file.slice(0, -ext.length)}.${hash}${ext}`, contentType: CONTENT_TYPES[ext], content };
}
