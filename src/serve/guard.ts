/**
 * Who may talk to the explorer: on a loopback address, pages whose Host names that address
 * (a page elsewhere that re-points its own name at 127.0.0.1 gets nothing); beyond loopback
 * only with the token, given once as `?token=` (then kept in a cookie) or as a Bearer header.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

export const TOKEN_COOKIE = 'thresher_token';

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  return h === '::1';
}

function sameSecret(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieToken(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === TOKEN_COOKIE) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

export interface Guard {
  /** why the request is refused (status and message), or undefined when it may go on */
  check(req: IncomingMessage, url: URL): { status: number; message: string } | undefined;
  /** a request that brought the token in its query string: answer with the cookie and a redirect */
  bringsToken(url: URL): boolean;
}

export function createGuard(options: { host: string; port: () => number; token?: string }): Guard {
  const { token } = options;
  const loopback = isLoopback(options.host);
  return {
    check(req, url) {
      if (loopback) {
        const names = ['localhost', '127.0.0.1', '[::1]', options.host.includes(':') ? `[${options.host}]` : options.host].map((h) => `${h}:${options.port()}`);
        if (!names.includes(req.headers.host ?? '')) return { status: 421, message: `Host ${JSON.stringify(req.headers.host ?? '')} is not this explorer's address` };
      }
      if (!token) return undefined;
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const given = bearer ?? url.searchParams.get('token') ?? cookieToken(req);
      if (given === undefined || given === null) return { status: 401, message: 'token required: open the address printed by thresher serve' };
      if (!sameSecret(given, token)) return { status: 401, message: 'wrong token' };
      return undefined;
    },
    bringsToken: (url) => token !== undefined && url.searchParams.has('token'),
  };
}
