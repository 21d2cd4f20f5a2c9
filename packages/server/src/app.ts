import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifyWebsocket from '@fastify/websocket';
import { ErrorCode, MAX_SIGNALING_FRAME, Routes } from '@talk/protocol';
import Fastify, { type FastifyInstance } from 'fastify';
import { NameBook } from './auth/names.js';
import { DEFAULT_TOKEN_POLICY, TokenService } from './auth/tokens.js';
import { DEFAULT_TOPOLOGY_POLICY } from './calls/topology-policy.js';
import { maxAttachmentBytesOf } from './chat/attachments.js';
import { openCluster } from './cluster/cluster.js';
import { ConfigError, checkDevModeHost, type TalkConfig } from './config.js';
import { openCounters } from './counters/counters.js';
import { TalkServerError } from './errors.js';
import { attachmentRoutes } from './http/attachment-routes.js';
import { callRoutes } from './http/call-routes.js';
import { chatExtraRoutes } from './http/chat-extra-routes.js';
import { type RouteContext, requireAuthentication } from './http/context.js';
import { conversationRoutes } from './http/conversation-routes.js';
import { devRoutes } from './http/dev-routes.js';
import { clientErrorHandler, frameworkErrors, installErrorHandling } from './http/errors.js';
import { guestRoutes } from './http/guest-routes.js';
import { messageRoutes } from './http/message-routes.js';
import { opsRoutes } from './http/ops-routes.js';
import { participantRoutes } from './http/participant-routes.js';
import { createRateLimits } from './http/rate-limits.js';
import { securityHeaders } from './http/security-headers.js';
import { SfuGuard } from './livekit/sfu-guard.js';
import { SfuHealth } from './livekit/sfu-health.js';
import { livekitWebhookRoutes } from './livekit/webhook-routes.js';
import { Metrics } from './metrics/metrics.js';
import { InProcessPubSub, type PubSub } from './pubsub/bus.js';
import { RedisPubSub } from './pubsub/redis.js';
import { DEFAULT_SIGNALING_OPTIONS, type Delivery, SignalingHub } from './signaling/hub.js';
import { RESUME_BUFFER } from './signaling/session.js';
import { Store } from './store/store.js';

/** How many connections may wait to be accepted (Node's default is 511). */
const LISTEN_BACKLOG = 4096;

/** Options of {@link createTalkServer}: the same shape {@link loadConfig} reads from the environment. */
export type TalkServerOptions = TalkConfig;

/** A running server. */
export interface TalkServer {
  /** Base URL for HTTP, e.g. `http://127.0.0.1:8787`. */
  url: string;
  /** The port it listens on (useful after asking for port 0). */
  port: number;
  /** The Fastify instance, for tests and for embedding further routes. */
  app: FastifyInstance;
  /** Closes signaling sockets, stops listening, then closes the bus and storage. */
  close(): Promise<void>;
  /**
   * Closes for a restart: stops listening (the balancer sends new connections to the other instances), hands the
   * signaling sessions over to them (see {@link SignalingHub.handOver}), lets requests in flight finish, then
   * closes as {@link close} does. Without Redis it is {@link close}.
   */
  handOver(): Promise<void>;
}

/** How long a hand-over waits for requests in flight (and handed-over sockets) to finish before closing anyway. */
const HAND_OVER_DRAIN_MS = 3_000;

/** Opens storage, builds the HTTP and signaling server, and starts listening. */
export async function createTalkServer(options: TalkServerOptions): Promise<TalkServer> {
  if (!options.jwtSecret && !options.devMode) {
    throw new ConfigError('TALK_JWT_SECRET', 'required unless development mode is on');
  }
  if (options.devMode) checkDevModeHost(options.host ?? '127.0.0.1', options.devModeAllowedHost);
  const store = await Store.open(options.storage);
  const level = options.logLevel ?? 'silent';
  const app = Fastify({
    logger: level === 'silent' ? false : { level },
    // Whose X-Forwarded-For names the client: the per-address limits count the address this yields.
    ...(options.trustProxy !== undefined ? { trustProxy: trustProxyOf(options.trustProxy) } : {}),
    frameworkErrors,
    clientErrorHandler,
  });
  const resumeGraceMs = options.resumeGraceMs ?? DEFAULT_SIGNALING_OPTIONS.resumeGraceMs;
  // With Redis, several instances may share the work: what the bus delivers is kept for the resume window, so that
  // a session resumes on whichever instance its reconnect reaches.
  // No resume at all (a grace of 0) needs neither.
  const shared = options.redisUrl !== undefined && resumeGraceMs > 0;
  const log = shared ? { keep: RESUME_BUFFER, ttlMs: resumeGraceMs } : undefined;
  const bus: PubSub<Delivery> = options.redisUrl
    ? new RedisPubSub<Delivery>(options.redisUrl, undefined, log)
    : new InProcessPubSub<Delivery>();
  const cluster = options.redisUrl && shared ? openCluster(options.redisUrl, resumeGraceMs) : undefined;
  const counters = openCounters(options);
  try {
    const tokens = new TokenService(options.jwtSecret, options.jwtPublicKey, {
      audience: options.jwtAudience ?? DEFAULT_TOKEN_POLICY.audience,
      issuer: options.jwtIssuer,
      maxAgeSeconds: options.jwtMaxAgeSeconds ?? DEFAULT_TOKEN_POLICY.maxAgeSeconds,
      clockToleranceSeconds: options.jwtClockToleranceSeconds ?? DEFAULT_TOKEN_POLICY.clockToleranceSeconds,
      guestSecret: options.guestJwtSecret,
    });
    const names = new NameBook(store);
    tokens.onPresented((identity) => names.presented(identity));
    const metrics = new Metrics();
    const hub = new SignalingHub({
      tokens,
      store,
      bus,
      log: app.log,
      metrics,
      ...(cluster ? { cluster } : {}),
      sfu:
        options.livekit &&
        new SfuGuard({
          livekit: options.livekit,
          store,
          onError: (error) => app.log.warn({ err: error }, 'bringing the SFU in line failed'),
        }),
      options: {
        resumeGraceMs,
        ratePerSecond: options.signalingRate?.perSecond ?? DEFAULT_SIGNALING_OPTIONS.ratePerSecond,
        burst: options.signalingRate?.burst ?? DEFAULT_SIGNALING_OPTIONS.burst,
        topology: { ...DEFAULT_TOPOLOGY_POLICY, ...options.topology, sfuAvailable: options.livekit !== undefined },
        heartbeatMs: options.heartbeatMs,
        flow: options.signalingFlow,
        maxAttachmentBytes: maxAttachmentBytesOf(options),
      },
    });
    await hub.start();
    // Calls on an SFU that died go back to the mesh within a few seconds, and big calls return to it when it is back.
    const sfuHealth = options.livekit
      ? new SfuHealth({
          url: options.livekit.url,
          onChange: (available) => {
            app.log.warn({ available }, 'SFU availability changed');
            hub.calls
              .setSfuAvailable(available)
              .catch((error) => app.log.error({ err: error }, 'SFU re-decision failed'));
          },
        })
      : undefined;
    sfuHealth?.start();
    const context: RouteContext = {
      config: options,
      store,
      tokens,
      names,
      hub,
      metrics,
      passwordThrottle: counters.passwordThrottle,
      webhookLedger: counters.webhookLedger,
    };
    installErrorHandling(app);
    await securityHeaders(app, options);
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      metrics.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
      metrics.httpDuration.observe({ route }, reply.elapsedTime / 1000);
    });
    // Registered before the WebSocket plugin's own preClose, so clients see a proper "going away".
    app.addHook('preClose', async () => hub.closeAll());
    app.addHook('onClose', async () => {
      sfuHealth?.stop();
      await bus.close();
      await cluster?.close();
      await counters.close();
      await store.close();
    });
    await app.register(fastifySwagger, {
      openapi: {
        info: { title: 'Talk server', version: '1', description: 'See packages/protocol/docs/signaling-v1.md' },
        components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
        security: [{ bearer: [] }],
      },
    });
    // Registered once, with no global limit: each route that is limited says so (its `config.rateLimit`, or the
    // table in http/rate-limits.ts). With Redis the counts are shared by every instance. When Redis cannot be
    // asked, requests go through uncounted (fails open): chat stays usable through an outage, and what is at
    // stake is a burst of posts; the password throttle, where guessing is at stake, fails closed instead.
    await app.register(fastifyRateLimit, {
      global: false,
      ...(counters.rateLimits && { ...counters.rateLimits, skipOnError: true }),
      errorResponseBuilder: (_request, limit) =>
        new TalkServerError(ErrorCode.RateLimited, `Too many requests from this address; retry in ${limit.after}`),
    });
    const installRateLimits = createRateLimits(app, options);
    await app.register(fastifyWebsocket, { options: { maxPayload: MAX_SIGNALING_FRAME } });
    app.get(Routes.signaling, { websocket: true, schema: { hide: true } }, (socket) => hub.accept(socket));
    await app.register(async (scope) => opsRoutes(scope, context));
    await app.register(async (scope) => devRoutes(scope, context));
    await app.register(async (scope) => guestRoutes(scope, context));
    await app.register(async (scope) => livekitWebhookRoutes(scope, context));
    await app.register(async (scope) => {
      requireAuthentication(scope, tokens);
      installRateLimits(scope);
      await conversationRoutes(scope, context);
      await participantRoutes(scope, context);
      await messageRoutes(scope, context);
      await callRoutes(scope, context);
      await scope.register(async (files) => attachmentRoutes(files, context));
    });
    await app.register(async (scope) => chatExtraRoutes(scope, context, installRateLimits));
    if (options.staticDir) await app.register(fastifyStatic, { root: options.staticDir, prefix: '/' });
    const host = options.host ?? '127.0.0.1';
    // A reconnect storm opens sockets faster than a busy event loop accepts them: they wait in the kernel's queue
    // (capped by net.core.somaxconn) rather than overflow Node's default of 511 and stall in SYN-ACK retries.
    await app.listen({ host, port: options.port, backlog: LISTEN_BACKLOG });
    const address = app.server.address();
    if (typeof address !== 'object' || !address) throw new Error('The server has no address');
    // A wildcard bind is reachable on loopback; a URL with 0.0.0.0 in it is not usable from a browser.
    const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
    const handOver = async () => {
      // Not app.close() yet: it would answer the requests and upgrades that still arrive with 503 meanwhile.
      const drained = new Promise<void>((resolve) => app.server.close(() => resolve()));
      await hub.handOver();
      // Closing the server closes the connections idle then; a keep-alive connection busy with a request then goes
      // idle later and would hold the close up until the drain's end (once in ten runs): it is closed once idle.
      const idle = setInterval(() => app.server.closeIdleConnections(), 50);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([drained, new Promise((resolve) => (timer = setTimeout(resolve, HAND_OVER_DRAIN_MS)))]);
      clearTimeout(timer);
      clearInterval(idle);
      await app.close();
    };
    return { url: `http://${urlHost}:${address.port}`, port: address.port, app, close: () => app.close(), handOver };
  } catch (error) {
    await app.close(); // closes the bus and the store too, through onClose
    throw error;
  }
}

/** Fastify's trust setting; a hop count as the function Fastify runs for one (its types lack the number form). */
function trustProxyOf(
  setting: boolean | number | string[],
): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof setting === 'number' ? (_address, hop) => hop < setting : setting;
}

// Re-exported for embedders that imported it from here before it moved to the protocol package.
export { CloseCode } from '@talk/protocol';
