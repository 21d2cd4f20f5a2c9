import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { StorybookConfig } from '@storybook/web-components-vite';
import { createProxyMiddleware } from 'http-proxy-middleware';
import { defaultClientConditions, mergeConfig, type Plugin } from 'vite';

/** The Talk server that `npm run storybook` started for the live stories, if any. */
const talkServer = process.env.TALK_SERVER_URL;

/**
 * Relays /api on Storybook's own origin to the Talk server: REST through Vite's middlewares, and the signaling
 * WebSocket through Storybook's HTTP server, since Vite runs as middleware there and has no server of its own to
 * take upgrades (so its `server.proxy` would relay REST but not the socket).
 */
function talkApiRelay(target: string, devServer: Server | undefined): Plugin {
  const relay = createProxyMiddleware({ target, pathFilter: '/api/', ws: true });
  devServer?.on('upgrade', (request, socket, head) => {
    // An HTTP server's upgrade socket is a net.Socket; Node types it as the Duplex it extends.
    if (request.url?.startsWith('/api/')) relay.upgrade(request, socket as Socket, head);
  });
  return { name: 'talk-api-relay', configureServer: (server) => void server.middlewares.use(relay) };
}

const config: StorybookConfig = {
  stories: ['../packages/elements/src/**/*.stories.ts'],
  addons: ['@storybook/addon-a11y', '@storybook/addon-docs'],
  framework: { name: '@storybook/web-components-vite', options: {} },
  core: { disableTelemetry: true },
  viteFinal: (viteConfig) => {
    const hmr = viteConfig.server?.hmr;
    const devServer = typeof hmr === 'object' ? (hmr.server as Server | undefined) : undefined;
    return mergeConfig(viteConfig, {
      // Stories render the elements from their TypeScript sources, as the demo does.
      resolve: { conditions: ['source', ...defaultClientConditions] },
      // The live stories ask the server only when there is one, so without it they say so instead of failing.
      define: { __TALK_LIVE_SERVER__: JSON.stringify(Boolean(talkServer)) },
      plugins: talkServer ? [talkApiRelay(talkServer, devServer)] : [],
    });
  },
};

export default config;
