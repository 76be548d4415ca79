import { readFileSync } from 'node:fs';

/** thresher's own version, from the package.json it was installed with. */
export const THRESHER_VERSION: string = (() => {
  try {
    // dist/src/core/version.js → package root
    return (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0-unknown';
  }
})();
