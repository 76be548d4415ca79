import { ThresherError } from '../core/errors.js';
import { isValidName, type EntryKind } from './registry.js';

/**
 * Which registry entry covers a record, from the value of its repository column. The values
 * look like `owner/repo` (GitHub, The Stack), `name@version` or `@scope/name@version` (npm
 * packages, as the directory reader names them), or a bare `name`.
 *
 * - an owner entry `o` covers `o/*` and the npm scope `@o/*`;
 * - a repo entry `o/r` covers `o/r` (and paths below it, `o/r/...`);
 * - a package entry `p` covers `p` and `p@<any version>`; `@s/p` covers `@s/p` and `@s/p@<any>`.
 *
 * Case-insensitive. When several entries cover a value, the first in registry order wins.
 */
export class OptoutMatcher {
  private readonly owners = new Map<string, number>();
  private readonly repos = new Map<string, number>();
  private readonly packages = new Map<string, number>();
  /** repository values repeat once per file: remember the answer */
  private readonly cache = new Map<string, number>();

  constructor(entries: readonly { kind: EntryKind; name: string }[]) {
    entries.forEach((e, i) => {
      const map = e.kind === 'owner' ? this.owners : e.kind === 'repo' ? this.repos : this.packages;
      const key = e.name.toLowerCase();
      if (!map.has(key)) map.set(key, i);
    });
  }

  get empty(): boolean {
    return this.owners.size + this.repos.size + this.packages.size === 0;
  }

  /** Index of the first entry covering `value`, or -1. */
  match(value: string): number {
    let hit = this.cache.get(value);
    if (hit === undefined) {
      hit = this.lookup(value.toLowerCase());
      if (this.cache.size >= 100_000) this.cache.clear();
      this.cache.set(value, hit);
    }
    return hit;
  }

  private lookup(v: string): number {
    let best = -1;
    const consider = (map: Map<string, number>, key: string) => {
      const i = map.get(key);
      if (i !== undefined && (best < 0 || i < best)) best = i;
    };
    const slash = v.indexOf('/');
    if (v.startsWith('@')) {
      if (slash < 2) return -1;
      consider(this.owners, v.slice(1, slash));
      const at = v.indexOf('@', slash + 1);
      consider(this.packages, at < 0 ? v : v.slice(0, at));
    } else if (slash > 0) {
      consider(this.owners, v.slice(0, slash));
      const second = v.indexOf('/', slash + 1);
      consider(this.repos, second < 0 ? v : v.slice(0, second));
    } else {
      const at = v.indexOf('@');
      consider(this.packages, at > 0 ? v.slice(0, at) : v);
    }
    return best;
  }
}

/**
 * What `thresher optout check <name>` looks for. `kind:name` is explicit; otherwise `o/r` is a
 * repo, `@s/p` a package, and a bare name both an owner and a package (anything of theirs).
 */
export function queryEntries(query: string): { kind: EntryKind; name: string }[] {
  const explicit = /^(owner|repo|package):(.+)$/.exec(query);
  const entries: { kind: EntryKind; name: string }[] = explicit
    ? [{ kind: explicit[1] as EntryKind, name: explicit[2] }]
    : query.startsWith('@')
      ? [{ kind: 'package', name: query }]
      : query.includes('/')
        ? [{ kind: 'repo', name: query }]
        : [
            { kind: 'owner', name: query },
            { kind: 'package', name: query },
          ];
  for (const e of entries) {
    if (!isValidName(e.kind, e.name)) throw new ThresherError(`${JSON.stringify(query)}: not an owner, owner/repo or package name (or kind:name, e.g. package:left-pad)`);
  }
  return entries;
}
