import type { StorybookConfig } from '@storybook/web-components-vite';
import { defaultClientConditions, mergeConfig } from 'vite';

/** The Talk server that `npm run storybook` started for the live stories, if any. */
const talkServer = process.env.TALK_SERVER_URL;

const config: StorybookConfig = {
  stories: ['../packages/elements/src/**/*.stories.ts'],
  addons: ['@storybook/addon-a11y'],
  framework: { name: '@storybook/web-components-vite', options: {} },
  core: { disableTelemetry: true },
  viteFinal: (viteConfig) =>
    mergeConfig(viteConfig, {
      // Stories render the elements from their TypeScript sources, as the demo does.
      resolve: { conditions: ['source', ...defaultClientConditions] },
      // The live stories ask the server only when there is one, so without it they say so instead of failing.
      define: { __TALK_LIVE_SERVER__: JSON.stringify(Boolean(talkServer)) },
      // Relayed on Storybook's own origin (REST and the signaling WebSocket), so no CORS and a secure context.
      server: talkServer ? { proxy: { '/api': { target: talkServer, ws: true } } } : {},
    }),
};

export default config;
