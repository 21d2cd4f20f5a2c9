// The workspace's top bar: the app switcher, the signed-in user with a picker, the bell and the theme switch.
import { DEMO_USERS, type DemoUser } from '../host/session.js';
import { bell } from './bell.js';

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
}

/** Builds the bar. */
export function topBar({ user, app, onApp, onUser }: TopBarOptions): HTMLElement {
  const bar = document.createElement('header');
  bar.className = 'top-bar';
  const brand = document.createElement('strong');
  brand.className = 'brand';
  brand.textContent = 'Workspace';

  const nav = document.createElement('nav');
  nav.setAttribute('aria-label', 'Apps');
  for (const name of APPS) {
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.app = name;
    button.textContent = APP_LABELS[name];
    button.setAttribute('aria-current', String(name === app));
    button.addEventListener('click', () => {
      for (const other of nav.querySelectorAll('button')) other.setAttribute('aria-current', String(other === button));
      onApp(name);
    });
    nav.append(button);
  }

  const picker = document.createElement('select');
  picker.className = 'user-picker';
  picker.setAttribute('aria-label', 'Signed in as');
  for (const candidate of DEMO_USERS) picker.add(new Option(candidate.displayName, candidate.userId));
  picker.value = user.userId;
  picker.addEventListener('change', () => onUser(DEMO_USERS.find((candidate) => candidate.userId === picker.value)!));

  bar.append(brand, nav, bell(), themeSwitch(), picker);
  return bar;
}

/**
 * Light or dark for the whole page: the host's stylesheet sets the elements' tokens (and `--talk-color-scheme`)
 * per scheme, so the switch is one attribute on the root and the elements follow it.
 */
export function themeSwitch(): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'theme-switch';
  const apply = (theme: 'light' | 'dark') => {
    document.documentElement.dataset.theme = theme;
    button.textContent = theme === 'dark' ? '☀️ Light' : '🌙 Dark';
    button.setAttribute('aria-pressed', String(theme === 'dark'));
  };
  const initial = new URLSearchParams(location.search).get('theme');
  apply(initial === 'dark' || (!initial && matchMedia('(prefers-color-scheme: dark)').matches) ? 'dark' : 'light');
  button.addEventListener('click', () => apply(document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark'));
  return button;
}
