/**
 * thresher's CLI (dist/src/cli/main.js) in this fresh process, e.g.
 * `node dist/bench/demo-child.js demo -i DIR -o OUT -w 2 -q`, then at exit one line
 * `BENCH {"peak_rss_mb":…,"cpu_s":…}` on stdout, so peak RSS and CPU time (worker threads
 * included) belong to this one CLI run. argv: the CLI's own arguments.
 */
import { writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
process.on('exit', () => {
  const u = process.resourceUsage();
  writeSync(1, `BENCH ${JSON.stringify({ peak_rss_mb: u.maxRSS / 1024, cpu_s: (u.userCPUTime + u.systemCPUTime) / 1e6 })}\n`);
});
process.argv = [process.argv[0], cli, ...process.argv.slice(2)];
await import(cli);
