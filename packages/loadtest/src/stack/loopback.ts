import { isIP } from 'node:net';

/**
 * Whether a URL points at this machine's loopback (127.0.0.0/8, ::1, localhost): the only place a run may send
 * traffic, apart from network namespaces it made itself.
 */
export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return false;
  }
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.split('.')[0] === '127';
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}
