/** How long before a token's `exp` a TalkClient asks for a new one, unless told otherwise. */
export const DEFAULT_TOKEN_EXPIRING_LEAD_MS = 60_000;

/** The longest delay `setTimeout` keeps; a longer one fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * When a JWT's `exp` claim says it expires, in epoch milliseconds; undefined for a token that is not a JWT or
 * names no expiry. Only read, never verified: the server checks the signature, the client only plans a refresh.
 */
export function tokenExpiresAt(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const claims: unknown = JSON.parse(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '=')));
    const exp = (claims as { exp?: unknown } | null)?.exp;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Calls `onExpiring` once, `leadMs` before `token` expires (at once when that moment has passed). Returns a
 * function that cancels it. A token without `exp` never calls.
 */
export function watchTokenExpiry(token: string, leadMs: number, onExpiring: (expiresAt: Date) => void): () => void {
  const expiresAt = tokenExpiresAt(token);
  if (expiresAt === undefined) return () => {};
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    const wait = expiresAt - leadMs - Date.now();
    // A token that lives for weeks outlasts one timer: wait in steps the timer can hold.
    timer =
      wait > MAX_TIMER_MS ? setTimeout(arm, MAX_TIMER_MS) : setTimeout(() => onExpiring(new Date(expiresAt)), wait);
  };
  arm();
  return () => clearTimeout(timer);
}
