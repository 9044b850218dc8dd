import { defineConfig } from 'vite';

// The gateway serves the build at /console (index.html) and /console/assets/* under a strict CSP:
// no inline script or style, so nothing may be inlined into index.html.
export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  // The SDK's browser entry from source, as every workspace package is resolved in this repository.
  resolve: { conditions: ['@gantry/source', 'module', 'browser', 'development|production'] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: 'es2022',
  },
});
