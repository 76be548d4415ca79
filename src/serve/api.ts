/** The explorer's JSON API: each route checks its parameters, then asks src/explore/. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BadRequest, getRecord, listRecords, type Filter } from '../explore/browse.js';
import { clusterOf } from '../explore/clusters.js';
import type { OpenRelease } from '../explore/release.js';
import { HttpError, intParam, readJsonBody, sendJson, serialQueue, strParam } from './http.js';
import type { ReviewSession } from './review.js';

export interface ApiContext {
  release: OpenRelease;
  review?: ReviewSession;
  /** whether the release has a vector index (semantic search) */
  semantic: boolean;
}

function parseFilters(raw: string | undefined): Filter[] {
  if (!raw) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new HttpError(400, 'filters: not valid JSON');
  }
  if (!Array.isArray(parsed)) throw new HttpError(400, 'filters: expected a list of {column, op, value}');
  return parsed.map((f: unknown) => {
    const x = (f ?? {}) as Record<string, unknown>;
    if (typeof x.column !== 'string' || typeof x.op !== 'string' || (x.value !== undefined && typeof x.value !== 'string'))
      throw new HttpError(400, 'filters: each is {column, op, value?} of strings');
    return { column: x.column, op: x.op as Filter['op'], value: x.value as string | undefined };
  });
}

function info(ctx: ApiContext) {
  const { release: r } = ctx;
  const m = r.manifest;
  return {
    name: m.name,
    version: m.version,
    run_id: m.run_id,
    created_at: m.created_at,
    manifest_sha256: r.manifestSha256,
    records: m.counts.output_records,
    excluded: m.counts.excluded,
    schema: r.schema,
    content_column: r.contentColumn,
    has: { excluded: r.excludedFiles.length > 0, clusters: r.clusterFiles.length > 0, semantic: ctx.semantic, optout: r.schema.some((c) => c.name === 'repo'), review: ctx.review !== undefined },
    optout: m.sections?.optout?.data ?? null,
    files: m.files.map((f) => f.path).filter((p) => !p.startsWith('data/') && !p.startsWith('excluded/')),
    review: ctx.review?.summary() ?? null,
  };
}

type Handler = (ctx: ApiContext, url: URL, req: IncomingMessage) => Promise<unknown>;

const GET: Record<string, Handler> = {
  '/api/info': async (ctx) => info(ctx),
  '/api/records': async (ctx, url) =>
    listRecords(ctx.release, {
      filters: parseFilters(strParam(url, 'filters', 4000)),
      text: strParam(url, 'q'),
      limit: intParam(url, 'limit', 50, 1, 200),
      offset: intParam(url, 'offset', 0, 0, 1_000_000),
    }),
  '/api/record': async (ctx, url) => (await getRecord(ctx.release, required(url, 'id'))) ?? notFound('no such record'),
  '/api/cluster': async (ctx, url) => (await clusterOf(ctx.release, required(url, 'id'))) ?? notFound('the record is in no near-duplicate cluster'),
  '/api/search': async (ctx, url) => {
    if (!ctx.semantic) notFound('this release has no vector index (a vector_index stage makes one)');
    const { searchRelease } = await import('../cli/search.js');
    return { hits: await searchRelease(ctx.release.dir, required(url, 'q'), { k: intParam(url, 'k', 10, 1, 100), device: 'cpu' }) };
  },
  '/api/optout': async (ctx, url) => {
    const { checkRelease } = await import('../cli/optout.js');
    return checkRelease(ctx.release.dir, required(url, 'name', 300), { limit: 50 });
  },
  '/api/review/sample': async (ctx, url) => reviewOf(ctx).sample(intParam(url, 'n', 20, 1, 200), intParam(url, 'seed', 0, 0, 2 ** 31)),
};

const POST: Record<string, Handler> = {
  '/api/review/decision': async (ctx, _url, req) => reviewOf(ctx).decide(await readJsonBody(req)),
};

function required(url: URL, name: string, max = 1000): string {
  const v = strParam(url, name, max);
  if (v === undefined || v === '') throw new HttpError(400, `${name} is required`);
  return v;
}

function notFound(message: string): never {
  throw new HttpError(404, message);
}

function reviewOf(ctx: ApiContext): ReviewSession {
  if (!ctx.review) throw new HttpError(404, 'review is off: start thresher serve with --review FILE');
  return ctx.review;
}

export type ApiHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;

/** Answers an /api/ request; false when no route matches. */
export function apiHandler(ctx: ApiContext): ApiHandler {
  const queue = serialQueue();
  return async (req, res, url) => {
    const route = (req.method === 'POST' ? POST : req.method === 'GET' ? GET : {})[url.pathname];
    if (!route) {
      if (GET[url.pathname] || POST[url.pathname]) throw new HttpError(405, `${req.method} not allowed here`);
      return false;
    }
    try {
      sendJson(res, 200, await queue(() => route(ctx, url, req)));
    } catch (err) {
      if (err instanceof BadRequest || (err as Error).name === 'QueryRefused') throw new HttpError(400, (err as Error).message);
      throw err;
    }
    return true;
  };
}
