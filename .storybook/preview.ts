import type { Preview } from '@storybook/web-components-vite';
import { setCustomElementsManifest } from '@storybook/web-components-vite';
import manifest from '../packages/elements/custom-elements.json';

// Autodocs read each element's properties, events, slots, parts and CSS properties from the manifest.
setCustomElementsManifest(manifest);

const preview: Preview = {
  tags: ['autodocs'],
  parameters: {
    controls: { expanded: true },
    // The a11y panel runs axe on every story; a violation counts as an error, as in the catalog test.
    a11y: { test: 'error' },
  },
};

export default preview;
