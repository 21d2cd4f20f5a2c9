import { hkdfSync, randomBytes } from 'node:crypto';
import { ErrorCode } from '@talk/protocol';
import {
  decodeProtectedHeader,
  importSPKI,
  type JWTHeaderParameters,
  type JWTPayload,
  errors as joseErrors,
  jwtVerify,
  SignJWT,
} from 'jose';
import { TalkServerError } from '../errors.js';
import { type ObjectGrant, parseObjectGrants } from './object-grants.js';

/** Who a verified token speaks for. */
export interface Identity {
  /** The user's id (the token's `sub`). */
  userId: string;
  /** The name others see (the token's `name`). */
  displayName: string;
  /** For a guest: the one conversation the token is good for (the token's `cnv`). */
  guestOf?: string;
  /** The host app's objects whose conversations the user may open (the token's `obj`); none when absent. */
  objects?: ObjectGrant[];
  /** When the token stops being good, in ms since the epoch: its `exp`, or earlier when the maximum age ends first. */
  expiresAt?: number;
}

/** How long a minted token lasts: long enough for a working day of demo use. */
export const TOKEN_LIFETIME_SECONDS = 12 * 60 * 60;

/** What every token must say besides its signature; {@link DEFAULT_TOKEN_POLICY} unless configured. */
export interface TokenPolicy {
  /** The `aud` every token must name (TALK_JWT_AUDIENCE). */
  audience: string;
  /** The `iss` every token must name, when set (TALK_JWT_ISSUER). */
  issuer?: string;
  /** The oldest `iat` accepted, in seconds before now (TALK_JWT_MAX_AGE). */
  maxAgeSeconds: number;
  /** How far clocks may disagree on `exp`, `iat` and `nbf`, in seconds (TALK_JWT_CLOCK_TOLERANCE). */
  clockToleranceSeconds: number;
  /** The key guest tokens are signed with (TALK_GUEST_JWT_SECRET); derived from the user secret when absent. */
  guestSecret?: string;
}

/** The policy of a server that configures none: audience `talk`, a day's age, half a minute of clock skew. */
export const DEFAULT_TOKEN_POLICY: TokenPolicy = {
  audience: 'talk',
  maxAgeSeconds: 24 * 60 * 60,
  clockToleranceSeconds: 30,
};

/** The `kid` of guest tokens: they are checked with the guest key only, and only they may name a conversation. */
const GUEST_KEY_ID = 'guest';

/** Signs and checks the HS256 tokens that clients present over REST and in the signaling hello. */
export class TokenService {
  readonly #key: Uint8Array;
  readonly #guestKey: Uint8Array;
  readonly #policy: TokenPolicy;
  readonly #publicKeys = new Map<string, ReturnType<typeof importSPKI>>();
  #presented: ((identity: Identity) => Promise<void>) | undefined;

  /**
   * With no secret, a random one: tokens then live only as long as this process. With a public key (PEM,
   * SPKI), host apps may also sign their users' tokens with the private half (RS256, ES256 or EdDSA), so the
   * server never holds their signing key. Guest tokens have a key of their own, so that neither kind of token
   * can pass for the other.
   */
  constructor(
    secret?: string,
    private readonly publicKeyPem?: string,
    policy: Partial<TokenPolicy> = {},
  ) {
    this.#policy = { ...DEFAULT_TOKEN_POLICY, ...policy };
    this.#key = secret ? new TextEncoder().encode(secret) : randomBytes(32);
    // Derived rather than random when unset, so that every instance of a scaled-out server agrees on it.
    this.#guestKey = this.#policy.guestSecret
      ? new TextEncoder().encode(this.#policy.guestSecret)
      : new Uint8Array(hkdfSync('sha256', this.#key, new Uint8Array(0), 'talk guest tokens', 32));
  }

  /** Calls `listener` with each identity a token proved (over REST, in a hello, in a refresh), before it is used. */
  onPresented(listener: (identity: Identity) => Promise<void>): void {
    this.#presented = listener;
  }

  /** The key for a user token's header: the shared secret for HS256, the configured public key otherwise. */
  #keyFor(header: JWTHeaderParameters): Uint8Array | ReturnType<typeof importSPKI> {
    if (header.alg === 'HS256' || !this.publicKeyPem) return this.#key;
    const cached = this.#publicKeys.get(header.alg) ?? importSPKI(this.publicKeyPem, header.alg);
    this.#publicKeys.set(header.alg, cached);
    return cached;
  }

  /** A token for `identity` that expires after `lifetimeSeconds`; a guest's is signed with the guest key. */
  async issue(
    identity: Identity,
    lifetimeSeconds = TOKEN_LIFETIME_SECONDS,
  ): Promise<{ token: string; expiresAt: string }> {
    const exp = Math.floor(Date.now() / 1000) + lifetimeSeconds;
    const guest = identity.guestOf !== undefined;
    const claims: JWTPayload = guest
      ? { name: identity.displayName, cnv: identity.guestOf }
      : { name: identity.displayName };
    if (identity.objects?.length) claims.obj = identity.objects;
    const jwt = new SignJWT(claims)
      .setProtectedHeader(guest ? { alg: 'HS256', kid: GUEST_KEY_ID } : { alg: 'HS256' })
      .setSubject(identity.userId)
      .setAudience(this.#policy.audience)
      .setIssuedAt()
      .setExpirationTime(exp);
    if (this.#policy.issuer) jwt.setIssuer(this.#policy.issuer);
    const token = await jwt.sign(guest ? this.#guestKey : this.#key);
    return { token, expiresAt: new Date(exp * 1000).toISOString() };
  }

  /**
   * The identity in `token`; throws `unauthenticated` when it is forged, expired, too old, meant for another
   * audience or issuer, or malformed.
   */
  async verify(token: string): Promise<Identity> {
    try {
      const guest = decodeProtectedHeader(token).kid === GUEST_KEY_ID;
      const algorithms = guest || !this.publicKeyPem ? ['HS256'] : ['HS256', 'RS256', 'ES256', 'EdDSA'];
      const { payload } = await jwtVerify(token, (header) => (guest ? this.#guestKey : this.#keyFor(header)), {
        algorithms,
        audience: this.#policy.audience,
        issuer: this.#policy.issuer,
        maxTokenAge: this.#policy.maxAgeSeconds,
        clockTolerance: this.#policy.clockToleranceSeconds,
        requiredClaims: ['sub', 'exp', 'iat', 'aud'],
      });
      if (typeof payload.sub !== 'string' || typeof payload.name !== 'string') {
        throw new TalkServerError(ErrorCode.Unauthenticated, 'The token names no user');
      }
      // The name is recorded as the user's (auth/names.ts), and no database stores a NUL in text.
      if (payload.sub.includes('\u0000') || payload.name.includes('\u0000')) {
        throw new TalkServerError(ErrorCode.Unauthenticated, 'The token’s sub or name holds a NUL character');
      }
      if (guest !== (payload.cnv !== undefined)) {
        // A user token naming a conversation would make its holder a guest there, and a guest token without
        // one would reach everything: only the server's own guest key marks guests.
        throw new TalkServerError(ErrorCode.Unauthenticated, 'The token is not a valid guest or user token');
      }
      if (payload.cnv !== undefined && typeof payload.cnv !== 'string') {
        throw new TalkServerError(ErrorCode.Unauthenticated, 'The token names no conversation');
      }
      const objects = parseObjectGrants(payload.obj);
      if (objects === null) throw new TalkServerError(ErrorCode.Unauthenticated, 'The token’s obj claim is malformed');
      // Both are checked above to be numbers; the socket closes at whichever comes first.
      const expiresAt = Math.min(payload.exp as number, (payload.iat as number) + this.#policy.maxAgeSeconds) * 1000;
      const identity: Identity = { userId: payload.sub, displayName: payload.name, expiresAt };
      if (typeof payload.cnv === 'string') identity.guestOf = payload.cnv;
      if (objects.length > 0) identity.objects = objects;
      await this.#presented?.(identity);
      return identity;
    } catch (error) {
      if (error instanceof TalkServerError) throw error;
      const reason =
        error instanceof joseErrors.JWTExpired
          ? 'The token has expired'
          : error instanceof joseErrors.JWTClaimValidationFailed
            ? `The token is not valid here: ${error.message}`
            : 'The token is not valid';
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
