/**
 * The one place text is rewritten for redaction: detectors (secrets, PII) find spans, `redact`
 * replaces them and says what it did. Everything outside the spans is copied unchanged, so a
 * redacted file differs from the original only where a finding sits.
 *
 * Offsets are UTF-16 code units (JavaScript string indices), half-open [start, end).
 */

/** What a detector found: where, what kind, which rule, and the text that replaces it. */
export interface Span {
  start: number;
  end: number;
  /** Placeholder kind: KEY, PASSWORD, EMAIL, IP_ADDRESS, PHONE, CREDIT_CARD, NAME, ... */
  type: string;
  /** The rule or detector that found it, e.g. `github-pat`, `generic-password`, `email`. */
  rule: string;
  /** What goes in its place, e.g. `<KEY>` or one of the fixed private IP addresses. */
  replacement: string;
}

/**
 * One redaction as recorded in the `redactions` column: where the replacement sits in the
 * redacted text (start, end of the placeholder), its 1-based line there, and the length of the
 * value it replaced (never the value itself).
 */
export interface Finding {
  type: string;
  rule: string;
  start: number;
  end: number;
  line: number;
  original_length: number;
}

export interface Redacted {
  text: string;
  findings: Finding[];
}

/**
 * Overlapping spans keep the one that starts first (the longer on a tie): a private-key block
 * swallows the high-entropy lines inside it, a URL password is not also an email.
 */
export function resolveOverlaps(spans: readonly Span[]): Span[] {
  const sorted = [...spans].filter((s) => s.end > s.start).sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Span[] = [];
  let reach = -1;
  for (const s of sorted) {
    if (s.start < reach) continue;
    out.push(s);
    reach = s.end;
  }
  return out;
}

/** Replace the spans (overlaps resolved) and record each replacement at its place in the new text. */
export function redact(text: string, spans: readonly Span[]): Redacted {
  const chosen = resolveOverlaps(spans);
  if (chosen.length === 0) return { text, findings: [] };
  const parts: string[] = [];
  const findings: Finding[] = [];
  let from = 0;
  let outLength = 0;
  for (const s of chosen) {
    parts.push(text.slice(from, s.start), s.replacement);
    outLength += s.start - from;
    findings.push({ type: s.type, rule: s.rule, start: outLength, end: outLength + s.replacement.length, line: 0, original_length: s.end - s.start });
    outLength += s.replacement.length;
    from = s.end;
  }
  parts.push(text.slice(from));
  const out = parts.join('');
  setLines(out, findings);
  return { text: out, findings };
}

/**
 * Redact text that an earlier stage may already have redacted: `previous` are that stage's
 * findings (offsets in `text`). New spans touching a previous placeholder are dropped, the
 * previous findings move with the text around them, and the result lists both, in order.
 */
export function redactAfter(text: string, spans: readonly Span[], previous: readonly Finding[]): Redacted {
  if (previous.length === 0) return redact(text, spans);
  const free = spans.filter((s) => !previous.some((f) => s.start < f.end && f.start < s.end));
  const chosen = resolveOverlaps(free);
  const { text: out, findings } = redact(text, chosen);
  const moved = previous.map((f) => {
    let shift = 0;
    for (const s of chosen) if (s.end <= f.start) shift += s.replacement.length - (s.end - s.start);
    return { ...f, start: f.start + shift, end: f.end + shift };
  });
  const all = [...moved, ...findings].sort((a, b) => a.start - b.start);
  setLines(out, all);
  return { text: out, findings: all };
}

/** Fill in each finding's 1-based line from its start offset (findings sorted by start). */
export function setLines(text: string, findings: Finding[]): void {
  let line = 1;
  let at = 0;
  for (const f of [...findings].sort((a, b) => a.start - b.start)) {
    for (let nl = text.indexOf('\n', at); nl !== -1 && nl < f.start; nl = text.indexOf('\n', nl + 1)) {
      line++;
      at = nl + 1;
    }
    f.line = line;
  }
}
