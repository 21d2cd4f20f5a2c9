import { type CSSResult, css, unsafeCSS } from 'lit';

/** One design token: a `--talk-*` custom property a page may set on any ancestor of the elements. */
export interface DesignToken {
  /** The custom property. */
  readonly name: `--talk-${string}`;
  /** Nextcloud's own variable it falls back to, so the elements match a Nextcloud page with nothing set. */
  readonly nextcloud?: `--${string}`;
  /** The built-in value, in the light scheme. */
  readonly light: string;
  /** The built-in value in the dark scheme, when it differs. */
  readonly dark?: string;
  /** What it colours or sizes. */
  readonly description: string;
}

/**
 * The design tokens, in the order the README's table lists them. The elements read each where it is used, as
 * `var(--talk-x, var(--nextcloud-x, default))`, and never declare one on `:host`: a declaration there would hide
 * what the page set on `:root` or any other ancestor.
 */
export const DESIGN_TOKENS = {
  accent: {
    name: '--talk-accent',
    nextcloud: '--color-primary-element',
    // Nextcloud's accessible primary: white text on it reads at 6.1:1 (its older #0082c9 gave 4.2:1, below AA).
    light: '#00679e',
    description: 'Primary buttons (send, join, share) and links.',
  },
  onAccent: {
    name: '--talk-on-accent',
    nextcloud: '--color-primary-element-text',
    light: '#fff',
    description: 'Text on the accent colour.',
  },
  surface: {
    name: '--talk-surface',
    nextcloud: '--color-main-background',
    light: '#fff',
    dark: '#171717',
    description: 'Background of the chat and its composer.',
  },
  text: {
    name: '--talk-text',
    nextcloud: '--color-main-text',
    light: '#222',
    dark: '#ebebeb',
    description: 'Text.',
  },
  muted: {
    name: '--talk-muted',
    nextcloud: '--color-text-maxcontrast',
    light: '#6b6b6b',
    dark: '#a6a6a6',
    description: 'Secondary text: authors, statuses, placeholders.',
  },
  border: {
    name: '--talk-border',
    nextcloud: '--color-border',
    light: '#ddd',
    dark: '#3b3b3b',
    description: 'Dividers, such as the line above the composer.',
  },
  inputBorder: {
    name: '--talk-input-border',
    nextcloud: '--color-border-maxcontrast',
    light: '#949494',
    dark: '#8c8c8c',
    description: 'Border of text fields and pickers.',
  },
  control: {
    name: '--talk-control-background',
    nextcloud: '--color-background-dark',
    light: '#e6e6e6',
    dark: '#333',
    description: 'Background of secondary buttons (camera, microphone, reactions).',
  },
  danger: {
    name: '--talk-danger',
    nextcloud: '--color-error',
    light: '#c42e2e',
    dark: '#ff6b6b',
    description: 'Failures, the leave and stop-sharing buttons.',
  },
  onDanger: {
    name: '--talk-on-danger',
    light: '#fff',
    dark: '#1a1a1a',
    description: 'Text on the danger colour.',
  },
  speaking: {
    name: '--talk-speaking',
    nextcloud: '--color-success',
    light: '#49b382',
    description: 'Outline of the tile of the participant speaking.',
  },
  tileBackground: {
    name: '--talk-tile-background',
    light: '#1d1d1d',
    description: 'Background of a call tile without video.',
  },
  stageBackground: {
    name: '--talk-stage-background',
    light: '#111',
    description: 'Background behind a shared screen.',
  },
  stageText: {
    name: '--talk-stage-text',
    light: '#bbb',
    description: 'Text on the stage while nobody shares.',
  },
  overlayBackground: {
    name: '--talk-overlay-background',
    light: 'rgb(0 0 0 / 50%)',
    description: 'Badges over video: names, presenter, quality.',
  },
  overlayText: {
    name: '--talk-overlay-text',
    light: '#fff',
    description: 'Text of the badges over video.',
  },
  qualityGood: {
    name: '--talk-quality-good',
    light: 'rgb(40 130 70 / 80%)',
    description: 'Quality badge, excellent or good.',
  },
  qualityPoor: {
    name: '--talk-quality-poor',
    light: 'rgb(190 120 0 / 85%)',
    description: 'Quality badge, poor.',
  },
  qualityLost: {
    name: '--talk-quality-lost',
    light: 'rgb(196 46 46 / 85%)',
    description: 'Quality badge, lost.',
  },
  radius: {
    name: '--talk-radius',
    nextcloud: '--border-radius-large',
    light: '8px',
    description: 'Corner radius of boxes and buttons.',
  },
  tileMinWidth: {
    name: '--talk-tile-min-width',
    light: '240px',
    description: 'Narrowest a call tile gets before the grid wraps.',
  },
  fontFamily: {
    name: '--talk-font-family',
    nextcloud: '--font-face',
    light: 'system-ui, sans-serif',
    description: 'Font family.',
  },
  colorScheme: {
    name: '--talk-color-scheme',
    light: 'light dark',
    description:
      'Which schemes the elements may use (`light`, `dark` or `light dark`, which follows prefers-color-scheme); the `theme` attribute wins.',
  },
} as const satisfies Record<string, DesignToken>;

/** The value an element reads for a token: the page's `--talk-*`, else Nextcloud's variable, else the default. */
export function tokenValue(token: DesignToken): string {
  // light-dark() picks by the element's used color-scheme, which `theme` and --talk-color-scheme decide.
  const builtIn = token.dark ? `light-dark(${token.light}, ${token.dark})` : token.light;
  return `var(${token.name}, ${token.nextcloud ? `var(${token.nextcloud}, ${builtIn})` : builtIn})`;
}

/** Each token as CSS to interpolate where it is used: `color: ${t.text};`. */
export const t = Object.fromEntries(
  Object.entries(DESIGN_TOKENS).map(([key, token]) => [key, unsafeCSS(tokenValue(token))]),
) as { readonly [K in keyof typeof DESIGN_TOKENS]: CSSResult };

/**
 * The host rules every element starts with: its colour scheme (the page's preference unless `theme` or
 * --talk-color-scheme says otherwise), and text colour and font inherited from the tokens.
 */
export const themeStyles = css`
  :host {
    color-scheme: ${t.colorScheme};
    color: ${t.text};
    font: 14px/1.4 ${t.fontFamily};
  }
  :host([theme='light']) {
    color-scheme: light;
  }
  :host([theme='dark']) {
    color-scheme: dark;
  }
`;
