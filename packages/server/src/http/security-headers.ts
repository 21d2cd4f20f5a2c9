import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import type { TalkConfig } from '../config.js';

/** What every response carries, as a CSP without inline scripts for the served app and `frame-ancestors` as configured. */
export async function securityHeaders(app: FastifyInstance, config: TalkConfig): Promise<void> {
  // The SFU is another origin (its own port at least), or several nodes: the app's LiveKit client connects to
  // the one it is sent to over WebSocket and asks its HTTP side why a connection failed.
  const nodes = config.livekit ? [config.livekit.url, ...(config.livekit.nodeUrls ?? [])] : [];
  const sfu = nodes.flatMap((url) => [url, url.replace(/^ws/, 'http')]);
  const frameAncestors = config.frameAncestors ?? ["'self'"];
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Lit renders style attributes from its templates; styles cannot run code.
        styleSrc: ["'self'", "'unsafe-inline'"],
        connectSrc: ["'self'", ...sfu],
        imgSrc: ["'self'", 'data:', 'blob:'],
        mediaSrc: ["'self'", 'blob:', 'mediastream:'],
        workerSrc: ["'self'", 'blob:'],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors,
      },
    },
    // frame-ancestors decides framing; X-Frame-Options (same origin only) would contradict a configured host.
    frameguard: config.frameAncestors ? false : { action: 'sameorigin' },
    // Host apps on sibling origins (another port, a subdomain) may load from this server; other sites may not.
    crossOriginResourcePolicy: { policy: 'same-site' },
  });
}
