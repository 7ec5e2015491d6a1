// Build steps for the admin console's assets (run by scripts/build.js after Vite):
// - precompress: a .br and a .gz beside each text asset, served by @fastify/static's preCompressed
//   to clients that ask for them (apps/api/src/hosted/admin-console.ts). Compressing once at build
//   time, at the highest levels, costs no CPU per request.
// - checkSignInBudget: what the sign-in screen loads (index.html's script, module preloads and
//   styles; the screens behind sign-in are lazy chunks) must stay within SIGN_IN_BUDGET_BYTES,
//   counted as sent with br. `node scripts/console-assets.js [dir]` prints the figures.
const { readdirSync, readFileSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { brotliCompressSync, constants, gzipSync } = require('node:zlib');

/** Brotli bytes of the sign-in screen's JS and CSS: measured 69 KB, of which React is 58 KB. */
const SIGN_IN_BUDGET_BYTES = 75 * 1024;
const COMPRESSIBLE = /\.(js|mjs|css|svg|json|txt|html)$/;

function brotli(data) {
  return brotliCompressSync(data, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
  });
}

function precompress(assetsDir) {
  for (const name of readdirSync(assetsDir)) {
    if (!COMPRESSIBLE.test(name)) continue;
    const path = join(assetsDir, name);
    const data = readFileSync(path);
    // Tiny files gain nothing; @fastify/static falls back to the plain file when no .br/.gz exists.
    if (data.length < 1024) continue;
    writeFileSync(`${path}.br`, brotli(data));
    writeFileSync(`${path}.gz`, gzipSync(data, { level: 9 }));
  }
}

/** The /admin/assets/ files index.html makes the browser fetch before any screen is shown. */
function signInAssets(consoleDir) {
  const html = readFileSync(join(consoleDir, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/<(?:script|link)\b[^>]*?(?:src|href)="\/admin\/assets\/([^"]+)"/g)].map((m) => m[1]);
  return [...new Set(refs)];
}

function signInFigures(consoleDir) {
  const assetsDir = join(consoleDir, 'assets');
  const files = signInAssets(consoleDir).map((name) => {
    const data = readFileSync(join(assetsDir, name));
    return { name, raw: data.length, br: brotli(data).length, gzip: gzipSync(data, { level: 9 }).length };
  });
  const all = readdirSync(assetsDir).filter((name) => /\.js$/.test(name));
  const total = (key) => files.reduce((sum, file) => sum + file[key], 0);
  return {
    files,
    raw: total('raw'),
    br: total('br'),
    gzip: total('gzip'),
    budget: SIGN_IN_BUDGET_BYTES,
    allJsRaw: all.reduce((sum, name) => sum + statSync(join(assetsDir, name)).size, 0),
    lazyChunks: all.filter((name) => !files.some((file) => file.name === name)),
  };
}

function checkSignInBudget(consoleDir) {
  const figures = signInFigures(consoleDir);
  if (figures.files.length === 0) throw new Error('admin console: index.html references no /admin/assets/ file');
  if (figures.br > figures.budget) {
    throw new Error(
      `admin console: the sign-in screen loads ${figures.br} bytes (br) of JS and CSS, over the budget of ${figures.budget}: ` +
        `${figures.files.map((f) => `${f.name} ${f.br}`).join(', ')}. Load more of it lazily (apps/admin-console/src/App.tsx).`,
    );
  }
  return figures;
}

module.exports = { precompress, checkSignInBudget, signInFigures, SIGN_IN_BUDGET_BYTES };

if (require.main === module) {
  console.log(JSON.stringify(signInFigures(process.argv[2] ?? join(__dirname, '..', 'dist', 'admin-console')), null, 2));
}
