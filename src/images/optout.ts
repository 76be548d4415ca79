/**
 * The opt-outs img2dataset honours: an `X-Robots-Tag` header whose directives include one of
 * `noai`, `noimageai`, `noindex`, `noimageindex`, either for every crawler (`X-Robots-Tag:
 * noai`) or for ours by name (`X-Robots-Tag: thresher: noai`). A directive addressed to another
 * crawler (`otherbot: noindex`) does not apply to us. Same parsing as img2dataset's
 * `is_disallowed`: split once on `:` for the user-agent token, then on `,` for directives.
 */
export const DEFAULT_DISALLOWED = ['noai', 'noimageai', 'noindex', 'noimageindex'] as const;

/** Our token in `X-Robots-Tag: <token>: <directives>` (also named in the User-Agent). */
export const USER_AGENT_TOKEN = 'thresher';

/**
 * The directive that opts this response out, or undefined. `values` are the header's values
 * (a repeated header arrives as several, or joined by ", " as Node's Headers does: each value
 * is also split on `,`, so both forms give the same answer).
 */
export function optOutDirective(values: readonly string[], disallowed: readonly string[] = DEFAULT_DISALLOWED, token = USER_AGENT_TOKEN): string | undefined {
  for (const value of values) {
    // A joined header may mix forms ("otherbot: noai, noindex"): read it left to right, a
    // `token:` prefix starting a new group that lasts until the next prefix.
    let agent: string | null = null;
    for (const part of value.split(',')) {
      let directive = part.trim().toLowerCase();
      const colon = directive.indexOf(':');
      if (colon >= 0) {
        agent = directive.slice(0, colon).trim();
        directive = directive.slice(colon + 1).trim();
      }
      if ((agent === null || agent === token) && disallowed.includes(directive)) return agent ? `${agent}: ${directive}` : directive;
    }
  }
  return undefined;
}
