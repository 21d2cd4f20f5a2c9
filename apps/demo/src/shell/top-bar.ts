// The workspace's top bar: the app switcher, the signed-in user with a picker, the bell and the theme switch.
import { DEMO_USERS, type DemoUser } from '../host/session.js';
import { t } from '../host/strings.js';
import { type BellOptions, bell } from './bell.js';

/** The apps of the workspace, in the switcher's order. */
export const APPS = ['talk', 'files', 'calendar', 'deck'] as const;
/** One app of the workspace. */
export type AppName = (typeof APPS)[number];

const APP_LABELS: Record<AppName, string> = { talk: 'Talk', files: 'Files', calendar: 'Calendar', deck: 'Deck' };

/** What the bar tells its page. */
export interface TopBarOptions {
  user: DemoUser;
  app: AppName;
  onApp(app: AppName): void;
  onUser(user: DemoUser): void;
  /** The bell's client and where its mentions lead. */
  bell: BellOptions;
}

/** Builds the bar. */
export function topBar({ user, app, onApp, onUser, bell: bellOptions }: TopBarOptions): HTMLElement {
  const bar = document.createElement('header');
  bar.className = 'top-bar';
  const brand = document.createElement('strong');
  brand.className = 'brand';
  brand.textContent = t('Workspace');

  const nav = document.createElement('nav');
  nav.setAttribute('aria-label', t('Apps'));
  for (const name of APPS) {
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.app = name;
    button.textContent = t(APP_LABELS[name]);
    button.setAttribute('aria-current', String(name === app));
    button.addEventListener('click', () => onApp(name));
    nav.append(button);
  }

  const picker = document.createElement('select');
  picker.className = 'user-picker';
  picker.setAttribute('aria-label', t('Signed in as'));
  for (const candidate of DEMO_USERS) picker.add(new Option(candidate.displayName, candidate.userId));
  picker.value = user.userId;
  picker.addEventListener('change', () => onUser(DEMO_USERS.find((candidate) => candidate.userId === picker.value)!));

  bar.append(brand, nav, bell(bellOptions), themeSwitch(), picker);
  return bar;
}

/** Marks `app` as the shown one in the bar's switcher (the page may switch apps itself, from the bell). */
export function markCurrentApp(bar: HTMLElement, app: AppName): void {
  for (const button of bar.querySelectorAll<HTMLElement>('nav button')) {
    button.setAttribute('aria-current', String(button.dataset.app === app));
  }
}

/**
 * Light or dark for the whole page: the host's stylesheet sets the elements' tokens (and `--talk-color-scheme`)
 * per scheme, so the switch is one attribute on the root and the elements follow it.
 */
function themeSwitch(): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'theme-switch';
  const apply = (theme: 'light' | 'dark') => {
    document.documentElement.dataset.theme = theme;
    button.textContent = theme === 'dark' ? `☀️ ${t('Light')}` : `🌙 ${t('Dark')}`;
    button.setAttribute('aria-pressed', String(theme === 'dark'));
  };
  const initial = new URLSearchParams(location.search).get('theme');
  apply(initial === 'dark' || (!initial && matchMedia('(prefers-color-scheme: dark)').matches) ? 'dark' : 'light');
  button.addEventListener('click', () => apply(document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark'));
  return button;
}
