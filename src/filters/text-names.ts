/**
 * The Stack v2 keeps a file of the language Text only when its name says it is a project text:
 * `requirements*`, `readme`, `notes`, `todo`, `description`, `cmakelists`. Compared on the file
 * name in lower case without its extensions (`README.txt`, `readme`, `NOTES.md.txt` and
 * `requirements-dev.txt` are kept; `data.txt` is not).
 */
export const TEXT_FILE_STEMS: readonly string[] = ['readme', 'notes', 'todo', 'description', 'cmakelists'];
export const TEXT_FILE_PREFIXES: readonly string[] = ['requirements'];

export function isKeptTextName(filePath: string, stems: readonly string[] = TEXT_FILE_STEMS, prefixes: readonly string[] = TEXT_FILE_PREFIXES): boolean {
  const name = filePath.slice(filePath.lastIndexOf('/') + 1).toLowerCase();
  const stem = name.split('.')[0];
  return stems.includes(stem) || prefixes.some((p) => name.startsWith(p));
}
