/**
 * Git LFS pointer files: small text files standing in for content kept outside the repository
 * (spec: https://github.com/git-lfs/git-lfs/blob/main/docs/spec.md). Their text is not the
 * file, so readers exclude them with reason `lfs_pointer`.
 */
const PREFIXES = ['version https://git-lfs.github.com/spec/', 'version https://hawser.github.com/spec/'].map((s) => Buffer.from(s));

/** Pointers are under 1024 bytes by the spec and start with their version line. */
export function isLfsPointer(bytes: Uint8Array): boolean {
  if (bytes.length >= 1024) return false;
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return PREFIXES.some((p) => b.length > p.length && b.subarray(0, p.length).equals(p)) && b.includes('\noid sha256:');
}

/** The LFS object a pointer names, for the exclusion's detail. */
export function lfsPointerDetail(bytes: Uint8Array): string {
  const text = Buffer.from(bytes).toString('utf8');
  const oid = /^oid (\S+)$/m.exec(text)?.[1] ?? '?';
  const size = /^size (\d+)$/m.exec(text)?.[1] ?? '?';
  return `Git LFS pointer to ${oid} (${size} bytes)`;
}
