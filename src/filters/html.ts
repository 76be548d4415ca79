import { codePoints } from './code-points.js';

/**
 * The Stack v2 keeps an HTML file only when its visible text is at least 100 characters and at
 * least 20% of the file. "Visible text" here: what is left after removing comments, `<script>`
 * and `<style>` elements (with their content) and every tag, with each run of whitespace
 * collapsed to one space and the ends trimmed; entities count as written. Lengths in code points.
 * (BigCode measured it with an HTML parser; a regex pass gives the same figure on well-formed
 * files and needs no dependency.)
 */
const COMMENT = /<!--[\s\S]*?(?:-->|$)/g;
const SCRIPT_OR_STYLE = /<(script|style)\b[^>]*>[\s\S]*?(?:<\/\1\s*>|$)/gi;
const TAG = /<\/?[a-zA-Z!?][^>]*>/g;
const SPACE = /\s+/g;

export function visibleText(html: string): string {
  return html.replace(COMMENT, ' ').replace(SCRIPT_OR_STYLE, ' ').replace(TAG, ' ').replace(SPACE, ' ').trim();
}

/** Why an HTML file has too little visible text, or undefined when it has enough. */
export function htmlTooLittleText(html: string, minChars: number, minShare: number): string | undefined {
  const visible = codePoints(visibleText(html));
  const all = codePoints(html);
  if (visible < minChars) return `${visible} visible characters < ${minChars}`;
  if (all > 0 && visible / all < minShare) return `visible text ${((100 * visible) / all).toFixed(1)}% < ${100 * minShare}%`;
  return undefined;
}
