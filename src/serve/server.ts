/**
 * `thresher serve <release>`: the explorer, a read-only web app over one release on node:http.
 * Routes are fixed: the UI's own files (a fixed list, read from src/serve/ui/), the release's
 * listed files under /files/ (exact manifest paths, regular files only), and the JSON API.
 * No URL ever becomes a file system path by itself.
 */
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { ThresherError } from '../core/errors.js';
import { openRelease, releaseFilePath, type OpenRelease } from '../explore/release.js';
import { apiHandler, type ApiHandler } from './api.js';
import { createGuard, isLoopback, TOKEN_COOKIE, type Guard } from './guard.js';
import { HttpError, MAX_URL_CHARS, SAFE_HEADERS, send, sendJson } from './http.js';
import { ReviewSession } from './review.js';

const UI_DIR = fileURLToPath(new URL('../../../src/serve/ui/', import.meta.url));
const UI_FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
};

export interface ServeOptions {
  host?: string;
  port?: number;
  token?: string;
  /** where review decisions go; review is off without it */
  reviewFile?: string;
  /** the column whose labels the review page corrects */
  labelColumn?: string | null;
}

export interface Explorer {
  url: string;
  server: Server;
  release: OpenRelease;
  close(): Promise<void>;
}

/** A listed, regular file of the release, streamed; 404 for anything else. */
function serveReleaseFile(r: OpenRelease, res: ServerResponse, url: URL): void {
  let rel: string;
  try {
    rel = decodeURIComponent(url.pathname.slice('/files/'.length));
  } catch {
    throw new HttpError(400, 'bad escape in path');
  }
  const listed = new Set(['manifest.json', ...r.manifest.files.map((f) => f.path), ...(r.manifest.card ? [r.manifest.card.path] : [])]);
  if (!listed.has(rel)) throw new HttpError(404, 'not a file of this release');
  let abs: string;
  try {
    abs = releaseFilePath(r.dir, rel);
  } catch (err) {
    throw new HttpError(403, (err as Error).message.replace(r.dir, '<release>'));
  }
  const text = /\.(json|jsonl|md|yaml|txt)$/.test(rel);
  res.writeHead(200, {
    ...SAFE_HEADERS,
    'Content-Type': text ? 'text/plain; charset=utf-8' : 'application/octet-stream',
    'Content-Length': String(statSync(abs).size),
    ...(text ? {} : { 'Content-Disposition': 'attachment' }),
  });
  createReadStream(abs).pipe(res);
}

function hasVectorIndex(r: OpenRelease): boolean {
  return Object.keys(r.manifest.sections ?? {}).some((k) => k === 'vector_index' || k.startsWith('vector_index-'));
}

/** One request: size and guard checks, then the token entry, the API, release files or the UI's own files. */
function requestHandler(r: OpenRelease, guard: Guard, api: ApiHandler): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    if ((req.url ?? '').length > MAX_URL_CHARS) throw new HttpError(414, `URL over ${MAX_URL_CHARS} characters`);
    const url = new URL(req.url ?? '/', 'http://explorer.invalid');
    const refused = guard.check(req, url);
    if (refused) throw new HttpError(refused.status, refused.message);
    if (guard.bringsToken(url)) {
      // keep the token out of the address bar and the history
      const cookie = `${TOKEN_COOKIE}=${encodeURIComponent(url.searchParams.get('token')!)}; HttpOnly; SameSite=Strict; Path=/`;
      return send(res, 303, '', 'text/plain', { Location: '/', 'Set-Cookie': cookie });
    }
    if (url.pathname.startsWith('/api/')) {
      if (!(await api(req, res, url))) throw new HttpError(404, 'no such API route');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'read-only');
    if (url.pathname.startsWith('/files/')) return serveReleaseFile(r, res, url);
    const ui = Object.hasOwn(UI_FILES, url.pathname) ? UI_FILES[url.pathname] : undefined;
    if (!ui) throw new HttpError(404, 'not found');
    send(res, 200, readFileSync(UI_DIR + ui.file), ui.type);
  };
}

export async function startExplorer(release: string, options: ServeOptions = {}): Promise<Explorer> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host) && !options.token) throw new ThresherError(`--host ${host} is not a loopback address: give --token too (anyone who can reach the port could read the release)`);
  if (options.token !== undefined && options.token.length < 16) throw new ThresherError('--token: at least 16 characters');
  const r = await openRelease(release);
  let review: ReviewSession | undefined;
  try {
    review = options.reviewFile ? new ReviewSession(r, options.reviewFile, options.labelColumn ?? null) : undefined;
  } catch (err) {
    r.close();
    throw err instanceof HttpError ? new ThresherError(err.message) : err;
  }
  const api = apiHandler({ release: r, review, semantic: hasVectorIndex(r) });
  let port = 0;
  const guard = createGuard({ host, port: () => port, token: options.token });

  const handle = requestHandler(r, guard, api);

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : 500;
      if (status === 500) process.stderr.write(`thresher serve: ${(err as Error).stack ?? String(err)}\n`);
      if (!res.headersSent) sendJson(res, status, { error: status === 500 ? 'internal error (see the server log)' : (err as Error).message });
      else res.destroy();
    });
  });
  server.requestTimeout = 60_000;
  server.headersTimeout = 10_000;
  server.maxHeadersCount = 50;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => resolve());
    });
  } catch (err) {
    r.close();
    const e = err as NodeJS.ErrnoException;
    throw new ThresherError(`cannot listen on ${host}:${options.port ?? 0}: ${e.code === 'EADDRINUSE' ? 'the port is in use (choose another with --port, or 0 for any)' : e.message}`);
  }
  port = (server.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}/`,
    server,
    release: r,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      r.close();
    },
  };
}
