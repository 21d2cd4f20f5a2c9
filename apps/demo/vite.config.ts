import { defaultClientConditions, defineConfig } from 'vite';

// In development the page and the API are on different ports; the proxy puts them on one origin, as the
// server does in production by serving dist/ itself.
const api = { target: process.env.TALK_SERVER_URL ?? 'http://127.0.0.1:8787', ws: true, changeOrigin: true };

export default defineConfig({
  // Build the elements and call-core from their TypeScript sources, so the demo never needs them prebuilt.
  resolve: { conditions: ['source', ...defaultClientConditions] },
  server: { proxy: { '/api': api } },
  preview: { proxy: { '/api': api } },
  // livekit-client is a lazy chunk of its own, loaded only for SFU calls; its size is not the page's.
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 700 },
});
