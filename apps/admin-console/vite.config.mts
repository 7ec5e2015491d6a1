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
    // React in a chunk of its own: it changes with upgrades, not with each console release, so a
    // browser keeps it cached across releases. The screens behind sign-in are lazy chunks (App.tsx).
    rolldownOptions: {
      output: { codeSplitting: { groups: [{ name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ }] } },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/admin/queues': 'http://127.0.0.1:3000' } },
});
