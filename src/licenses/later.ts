import type { TextMatch } from './match.js';
import { findNotices } from './notices.js';

/**
 * A GNU licence text says nothing of "or later": that is the project's word, in the notice it
 * puts above the text ("either version 3 of the License, or (at your option) any later version.
 * A copy of the GNU General Public License is included below."). Such a notice of the same
 * licence and version makes the text's `-only` an `-or-later`. Only a notice before the first
 * text counts: the "How to Apply" sample after the terms, outside a window that stopped short of
 * it, is the licence's own example, not the project's choice.
 */
export function laterByHeader(words: string[], texts: TextMatch[]): TextMatch[] {
  const first = Math.min(...texts.map((t) => t.start));
  if (!texts.some((t) => t.id.endsWith('-only')) || first === 0) return texts;
  const later = new Set(
    findNotices(words.slice(0, first).join(' '))
      .map((n) => n.id)
      .filter((id) => /^[A-Z]+-\d\.\d-or-later$/.test(id)),
  );
  if (later.size === 0) return texts;
  return texts.map((t) => {
    const id = t.id.replace(/-only$/, '-or-later');
    return id !== t.id && later.has(id) ? { ...t, id } : t;
  });
}
