/**
 * The test image host (test/images/server.ts) as its own process, for `bench -- images`: the
 * download client's CPU time is then its own. Prints the base URL, serves until killed.
 */
import { startImageHost } from '../test/images/server.js';

const host = await startImageHost();
process.stdout.write(`${host.base}\n`);
