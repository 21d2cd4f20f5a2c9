import type {
  AgentError,
  AgentSample,
  AgentStatus,
  JoinParticipantsRequest,
  JoinParticipantsResult,
  SessionRequest,
  SessionStarted,
} from '../agent/protocol.js';

/** The coordinator's side of one agent's control API. */
export class AgentClient {
  readonly #base: string;
  readonly #token: string;

  /** `address` is the agent's `host:port`, as given to `--agents`; `token` the shared secret. */
  constructor(
    readonly address: string,
    token: string,
  ) {
    this.#base = `http://${address}`;
    this.#token = token;
  }

  /** Whether the agent answers and is idle. */
  status(): Promise<AgentStatus> {
    return this.#request('GET', '/v1/status', undefined, 10_000);
  }

  /** Launches the agent's share of the call; resolves once its pages are loaded. */
  startSession(request: SessionRequest): Promise<SessionStarted> {
    // Starting browsers on a loaded host is slow: 30 s each, as the local harness allows.
    return this.#request('POST', '/v1/session', request, 30_000 * (request.participants.length + 1));
  }

  /** Joins some of the session's participants to the call. */
  join(request: JoinParticipantsRequest): Promise<JoinParticipantsResult> {
    return this.#request('POST', '/v1/session/join', request, 30_000 * (request.participants.length + 1));
  }

  /** Reads every participant's counters. */
  sample(): Promise<AgentSample> {
    // getStats of eight pages on a saturated host took over 10 s once (load 39 on two cores); the local harness
    // waits for its samples as long as the run's deadline allows, and a lost second here would end the run.
    return this.#request('GET', '/v1/session/sample', undefined, 60_000);
  }

  /** Stops the session: the agent leaves the call and closes its browsers. */
  stop(): Promise<AgentStatus> {
    return this.#request('DELETE', '/v1/session', undefined, 30_000);
  }

  async #request<T>(method: string, path: string, body: unknown, timeoutMs: number): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.#base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.#token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new Error(
        `agent ${this.address}: ${method} ${path} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const text = await response.text();
    if (!response.ok) {
      let message = text;
      try {
        message = (JSON.parse(text) as AgentError).error;
      } catch {
        // Not JSON: the text is the message.
      }
      throw new Error(`agent ${this.address}: ${method} ${path} answered ${response.status}: ${message}`);
    }
    return JSON.parse(text) as T;
  }
}
