import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { sharedPath } from '../helpers/shared.js';

/**
 * A local image host on loopback (port 0) for the download tests and bench: serves the real
 * images in ../shared/data/images/ and the failures a real pool meets. Routes:
 *   /img/<name>          the image, with its type (after `delayMs`, when given: a far host)
 *   /status/<code>       that status, always
 *   /flaky/<name>        500 on the first request for that name, then the image (retries)
 *   /slow/<name>         headers after `slowMs` (past the client's timeout)
 *   /truncated/<name>    the full Content-Length declared, half the body sent, then the socket closed
 *   /cut/<name>          the first half of the image as a whole (consistent) response: a broken file
 *   /as/<type>/<name>    the image with Content-Type <type> (percent-encoded)
 *   /html                an HTML page with 200 (a soft 404)
 *   /text-as-image       text bytes labelled image/jpeg
 *   /redirect/<n>/<name> n 302 hops, then the image
 *   /loop/a, /loop/b     redirect to each other
 *   /robots/<value>/<name>  the image with X-Robots-Tag: <value> (percent-encoded)
 */
export interface ImageHost {
  base: string;
  /** Requests seen per path: what the retries and resume tests count. */
  hits: Map<string, number>;
  images: Map<string, Buffer>;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = { '.jpg': 'image/jpeg', '.png': 'image/png' };

/** The real images in ../shared/data/images/ by file name. */
export function sharedImages(): Map<string, Buffer> {
  const images = new Map<string, Buffer>();
  for (const sub of ['cc3m-competition-test', 'debian']) {
    const dir = sharedPath('data', 'images', sub);
    for (const name of readdirSync(dir).sort()) if (TYPES[path.extname(name)]) images.set(name, readFileSync(path.join(dir, name)));
  }
  return images;
}

export async function startImageHost(opts: { slowMs?: number; delayMs?: number; images?: Map<string, Buffer> } = {}): Promise<ImageHost> {
  const images = opts.images ?? sharedImages();
  const hits = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '/';
    const seen = (hits.get(url) ?? 0) + 1;
    hits.set(url, seen);
    const parts = url.split('/').slice(1).map(decodeURIComponent);
    const image = (name: string | undefined) => (name ? images.get(name) : undefined);
    const send = (body: Buffer, type: string, headers: Record<string, string> = {}) => {
      res.writeHead(200, { 'content-type': type, 'content-length': String(body.length), ...headers });
      res.end(body);
    };
    const typeOf = (name: string) => TYPES[path.extname(name)] ?? 'application/octet-stream';
    const name = parts[parts.length - 1];
    const img = image(name);
    switch (parts[0]) {
      case 'img':
        if (!img) return notFound();
        if (opts.delayMs) return void setTimeout(() => send(img, typeOf(name)), opts.delayMs);
        return send(img, typeOf(name));
      case 'status':
        res.writeHead(Number(parts[1]));
        return res.end('no');
      case 'flaky':
        if (seen === 1) {
          res.writeHead(500);
          return res.end('try again');
        }
        return img ? send(img, typeOf(name)) : notFound();
      case 'slow':
        return void setTimeout(() => (img ? send(img, typeOf(name)) : notFound()), opts.slowMs ?? 3000);
      case 'truncated':
        if (!img) return notFound();
        res.writeHead(200, { 'content-type': typeOf(name), 'content-length': String(img.length) });
        res.write(img.subarray(0, img.length >> 1));
        return void setTimeout(() => res.socket?.destroy(), 20);
      case 'cut':
        return img ? send(img.subarray(0, img.length >> 1), typeOf(name)) : notFound();
      case 'as':
        return img ? send(img, parts[1]) : notFound();
      case 'html':
        return send(Buffer.from('<!doctype html><html><body>This image is no longer available.</body></html>'), 'text/html; charset=utf-8');
      case 'text-as-image':
        return send(Buffer.from('not an image at all, just words\n'.repeat(20)), 'image/jpeg');
      case 'redirect': {
        const left = Number(parts[1]);
        res.writeHead(302, { location: left > 1 ? `/redirect/${left - 1}/${encodeURIComponent(name)}` : `/img/${encodeURIComponent(name)}` });
        return res.end();
      }
      case 'loop':
        res.writeHead(302, { location: parts[1] === 'a' ? '/loop/b' : '/loop/a' });
        return res.end();
      case 'robots':
        return img ? send(img, typeOf(name), { 'x-robots-tag': parts[1] }) : notFound();
      default:
        return notFound();
    }
    function notFound() {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    hits,
    images,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
