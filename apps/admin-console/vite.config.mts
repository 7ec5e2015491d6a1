import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * Built by `npm run build` (scripts/build.js passes --outDir) and served by the API at /admin.
 * The catalogues and the settings' ranges are imported from libs/, outside this folder.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/admin/',
  plugins: [react()],
  build: {
    // No inline scripts or data: URIs, so the page's Content-Security-Policy can stay strict.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/admin/queues': 'http://127.0.0.1:3000' } },
});
