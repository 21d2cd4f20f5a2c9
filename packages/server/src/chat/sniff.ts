/** Magic numbers of the file types people share in chat; checked against the first bytes. */
const SIGNATURES: Array<{
  type: string;
  offset?: number;
  bytes: number[];
  also?: { offset: number; bytes: number[] };
}> = [
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { type: 'image/gif', bytes: [0x47, 0x49, 0x46, 0x38] },
  { type: 'image/webp', bytes: [0x52, 0x49, 0x46, 0x46], also: { offset: 8, bytes: [0x57, 0x45, 0x42, 0x50] } },
  { type: 'audio/wav', bytes: [0x52, 0x49, 0x46, 0x46], also: { offset: 8, bytes: [0x57, 0x41, 0x56, 0x45] } },
  { type: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { type: 'application/zip', bytes: [0x50, 0x4b, 0x03, 0x04] },
  { type: 'application/gzip', bytes: [0x1f, 0x8b] },
  { type: 'audio/ogg', bytes: [0x4f, 0x67, 0x67, 0x53] },
  { type: 'video/webm', bytes: [0x1a, 0x45, 0xdf, 0xa3] },
  { type: 'video/mp4', offset: 4, bytes: [0x66, 0x74, 0x79, 0x70] },
  { type: 'audio/mpeg', bytes: [0x49, 0x44, 0x33] },
];

function matches(content: Uint8Array, offset: number, bytes: number[]): boolean {
  return content.length >= offset + bytes.length && bytes.every((byte, i) => content[offset + i] === byte);
}

/**
 * The content type of `content`, judged from its bytes and never from what the client claims: a known magic
 * number, else `text/plain` for valid UTF-8 without control bytes, else `application/octet-stream`. HTML and
 * SVG come out as text/plain on purpose, so an upload can never run script in the app's origin.
 */
export function sniffContentType(content: Uint8Array): string {
  for (const signature of SIGNATURES) {
    if (!matches(content, signature.offset ?? 0, signature.bytes)) continue;
    if (signature.also && !matches(content, signature.also.offset, signature.also.bytes)) continue;
    return signature.type;
  }
  const head = content.subarray(0, 4096);
  if (head.some((byte) => byte < 0x09 || (byte > 0x0d && byte < 0x20 && byte !== 0x1b)))
    return 'application/octet-stream';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(content);
    return 'text/plain; charset=utf-8';
  } catch {
    return 'application/octet-stream';
  }
}
