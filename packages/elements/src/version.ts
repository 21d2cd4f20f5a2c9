/** The version of `@talk/elements`; kept equal to package.json's by the packaging test. */
export const VERSION = '0.1.0';
