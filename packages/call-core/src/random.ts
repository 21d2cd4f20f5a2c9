/**
 * A random 128-bit id in hex. Not `crypto.randomUUID`, which browsers only offer on secure origins, and a demo
 * on a LAN address is not one; `getRandomValues` works everywhere.
 */
export function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
