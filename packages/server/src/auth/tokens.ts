import { randomBytes } from 'node:crypto';
import { ErrorCode } from '@talk/protocol';
import { importSPKI, type JWTHeaderParameters, errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { TalkServerError } from '../errors.js';

/** Who a verified token speaks for. */
export interface Identity {
  /** The user's id (the token's `sub`). */
  userId: string;
  /** The name others see (the token's `name`). */
  displayName: string;
  /** For a guest: the one conversation the token is good for (the token's `cnv`). */
  guestOf?: string;
}

/** How long a minted token lasts: long enough for a working day of demo use. */
export const TOKEN_LIFETIME_SECONDS = 12 * 60 * 60;

/** Signs and checks the HS256 tokens that clients present over REST and in the signaling hello. */
export class TokenService {
  readonly #key: Uint8Array;
  readonly #publicKeys = new Map<string, ReturnType<typeof importSPKI>>();

  /**
   * With no secret, a random one: tokens then live only as long as this process. With a public key (PEM,
   * SPKI), host apps may also sign their users' tokens with the private half (RS256, ES256 or EdDSA), so the
   * server never holds their signing key.
   */
  constructor(
    secret?: string,
    private readonly publicKeyPem?: string,
  ) {
    this.#key = secret ? new TextEncoder().encode(secret) : randomBytes(32);
  }

  /** The key for a token's header: the shared secret for HS256, the configured public key otherwise. */
  #keyFor(header: JWTHeaderParameters): Uint8Array | ReturnType<typeof importSPKI> {
    if (header.alg === 'HS256' || !this.publicKeyPem) return this.#key;
    const cached = this.#publicKeys.get(header.alg) ?? importSPKI(this.publicKeyPem, header.alg);
    this.#publicKeys.set(header.alg, cached);
    return cached;
  }

  /** A token for `identity` that expires after `lifetimeSeconds`. */
  async issue(
    identity: Identity,
    lifetimeSeconds = TOKEN_LIFETIME_SECONDS,
  ): Promise<{ token: string; expiresAt: string }> {
    const exp = Math.floor(Date.now() / 1000) + lifetimeSeconds;
    const claims = identity.guestOf
      ? { name: identity.displayName, cnv: identity.guestOf }
      : { name: identity.displayName };
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(identity.userId)
      .setIssuedAt()
      .setExpirationTime(exp)
      .sign(this.#key);
    return { token, expiresAt: new Date(exp * 1000).toISOString() };
  }

  /** The identity in `token`; throws `unauthenticated` when it is forged, expired or malformed. */
  async verify(token: string): Promise<Identity> {
    try {
      const algorithms = this.publicKeyPem ? ['HS256', 'RS256', 'ES256', 'EdDSA'] : ['HS256'];
      const { payload } = await jwtVerify(token, (header) => this.#keyFor(header), {
        algorithms,
        requiredClaims: ['sub', 'exp'],
      });
      if (typeof payload.sub !== 'string' || typeof payload.name !== 'string') {
        throw new TalkServerError(ErrorCode.Unauthenticated, 'The token names no user');
      }
      if (payload.cnv !== undefined && typeof payload.cnv !== 'string') {
        throw new TalkServerError(ErrorCode.Unauthenticated, 'The token names no conversation');
      }
      return payload.cnv === undefined
        ? { userId: payload.sub, displayName: payload.name }
        : { userId: payload.sub, displayName: payload.name, guestOf: payload.cnv };
    } catch (error) {
      if (error instanceof TalkServerError) throw error;
      const reason = error instanceof joseErrors.JWTExpired ? 'The token has expired' : 'The token is not valid';
      throw new TalkServerError(ErrorCode.Unauthenticated, reason, { cause: error });
    }
  }

  /** The identity behind an `Authorization: Bearer …` header; throws `unauthenticated` without one. */
  async verifyBearer(header: string | undefined): Promise<Identity> {
    const match = header?.match(/^Bearer\s+(\S+)$/i);
    if (!match) throw new TalkServerError(ErrorCode.Unauthenticated, 'Send Authorization: Bearer <token>');
    return this.verify(match[1]!);
  }
}
