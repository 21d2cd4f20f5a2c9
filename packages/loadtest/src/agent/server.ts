import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LIMITS } from '../run/call-run.js';
import type { AgentStatus, JoinParticipantsRequest, SessionRequest } from './protocol.js';
import { AgentSession, sessionDeadlineMs } from './session.js';

/** Options of {@link startAgent}. */
export interface AgentOptions {
  /** Address and port to listen on; port 0 takes a free one. */
  host: string;
  port: number;
  /** The shared secret every request must carry as a bearer token. */
  token: string;
  /** The name reports give this agent; its listen address when absent. */
  name?: string;
  /** What reports say of this host's link, e.g. `up ≤ 20000 kbit/s`. */
  network?: string;
}

/** A running agent. */
export interface RunningAgent {
  /** `host:port` it listens on. */
  address: string;
  /** Stops the session, if any, and the HTTP server. */
  close(): Promise<void>;
}

/** A request that failed with an HTTP status. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Request bodies are small JSON: a session request for 16 participants is well under this. */
const MAX_BODY_BYTES = 64 * 1024;

/**
 * Starts the harness agent: an HTTP control API that runs one session at a time. A session whose coordinator stops
 * asking (no request for its lease) or that outlives a run's longest bound stops its browsers by itself.
 */
export async function startAgent(options: AgentOptions): Promise<RunningAgent> {
  if (options.token.length < 16) throw new Error('the agent token must be at least 16 characters');
  const expected = createHash('sha256').update(options.token).digest();
  let session: AgentSession | undefined;
  let starting = false;
  let lastEnded: string | undefined;
  let leaseTimer: NodeJS.Timeout | undefined;
  let deadlineTimer: NodeJS.Timeout | undefined;
  let inFlight = 0;
  let leaseMs = 0;
  let name = options.name ?? '';

  const endSession = async (reason?: string) => {
    const ending = session;
    session = undefined;
    clearTimeout(leaseTimer);
    clearTimeout(deadlineTimer);
    if (!ending) return;
    if (reason) {
      lastEnded = reason;
      process.stderr.write(`[agent] ${reason}: stopping ${ending.participants.length} participant(s)\n`);
    }
    await ending.stop();
  };
  // The lease runs from the end of the last request: a long launch or join in flight is the coordinator waiting.
  const renewLease = () => {
    clearTimeout(leaseTimer);
    if (session && inFlight === 0) leaseTimer = setTimeout(() => void endSession('lease expired'), leaseMs);
  };

  const status = (): AgentStatus => ({
    agent: name,
    busy: session !== undefined || starting,
    participants: session?.participants ?? [],
    browserPids: session?.browserPids ?? [],
    ...(lastEnded ? { lastEnded } : {}),
  });

  const route = async (request: IncomingMessage): Promise<unknown> => {
    const path = new URL(request.url ?? '/', 'http://agent').pathname;
    const key = `${request.method} ${path}`;
    if (key === 'GET /v1/status') return status();
    if (key === 'POST /v1/session') {
      if (session || starting) throw new HttpError(409, 'this agent is already running a session');
      const body = validateSession(await readJson(request));
      starting = true;
      try {
        leaseMs = body.leaseSeconds * 1000;
        session = await AgentSession.start(body);
        deadlineTimer = setTimeout(() => void endSession('deadline'), sessionDeadlineMs(body.participants.length));
        deadlineTimer.unref();
      } finally {
        starting = false;
      }
      return {
        agent: name,
        participants: session.participants,
        ...(options.network ? { network: options.network } : {}),
      };
    }
    if (!session) throw new HttpError(404, 'no session: POST /v1/session first');
    if (key === 'POST /v1/session/join') {
      const body = (await readJson(request)) as JoinParticipantsRequest;
      if (!Array.isArray(body.participants)) throw new HttpError(400, 'participants: expected a list of indices');
      return { joined: await session.join(body.participants) };
    }
    if (key === 'GET /v1/session/sample') return session.sample();
    if (key === 'DELETE /v1/session') {
      await endSession();
      return status();
    }
    throw new HttpError(404, `no route ${key}`);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const answer = (statusCode: number, body: unknown) => {
      response.writeHead(statusCode, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    const given = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
    // Hashed first, so the comparison takes the same time whatever the length of what was sent.
    if (!timingSafeEqual(createHash('sha256').update(given).digest(), expected)) {
      answer(401, { error: 'missing or wrong agent token' });
      return;
    }
    inFlight += 1;
    clearTimeout(leaseTimer);
    try {
      answer(200, await route(request));
    } catch (error) {
      const statusCode = error instanceof HttpError ? error.status : 500;
      answer(statusCode, { error: error instanceof Error ? error.message : String(error) });
    } finally {
      inFlight -= 1;
      renewLease();
    }
  };

  const server: Server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const address = `${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
  name ||= address;
  return {
    address,
    async close() {
      await endSession();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'request body too large');
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch {
    throw new HttpError(400, 'the body is not JSON');
  }
}

/** Checks what a coordinator asked for, so a bad request fails before any browser starts. */
function validateSession(body: unknown): SessionRequest {
  const request = body as Partial<SessionRequest>;
  const fail = (message: string): never => {
    throw new HttpError(400, message);
  };
  if (typeof request.serverUrl !== 'string' || !/^https?:\/\//.test(request.serverUrl))
    fail('serverUrl: expected an http(s) URL');
  if (typeof request.runId !== 'string' || !/^[\w-]{1,64}$/.test(request.runId)) fail('runId: expected a word');
  const participants = request.participants;
  if (!Array.isArray(participants) || participants.length === 0 || participants.length > LIMITS.participants) {
    fail(`participants: expected 1–${LIMITS.participants}`);
  }
  if (!['mesh', 'sfu', 'auto'].includes(String(request.topology))) fail('topology: expected mesh, sfu or auto');
  if (!['chromium', 'firefox'].includes(String(request.browser))) fail('browser: expected chromium or firefox');
  const leaseSeconds = Number(request.leaseSeconds);
  if (!Number.isFinite(leaseSeconds) || leaseSeconds < 1 || leaseSeconds > 300) fail('leaseSeconds: expected 1–300');
  const tabs = Number(request.tabsPerBrowser);
  if (!Number.isInteger(tabs) || tabs < 1) fail('tabsPerBrowser: expected a positive integer');
  return request as SessionRequest;
}
