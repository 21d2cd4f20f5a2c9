// The harness agent's control API, shared by the agent (src/agent/) and the coordinator (src/coordinator/): plain
// JSON over HTTP, every request carrying the shared secret as `Authorization: Bearer <token>`.
//
//   GET    /v1/status          → AgentStatus
//   POST   /v1/session         SessionRequest → SessionStarted   (launches browsers, loads the harness page)
//   POST   /v1/session/join    JoinParticipantsRequest → JoinParticipantsResult
//   GET    /v1/session/sample  → AgentSample
//   DELETE /v1/session         → AgentStatus                     (leaves the call, closes the browsers)
//
// Every request renews the session's lease; once a lease runs out the agent stops its browsers by itself.

import type { MachineTimes } from '../metrics/machine.js';
import type { TreeUsage } from '../metrics/process.js';
import type { JoinResult, PageSample, RequestedTopology } from '../page-api.js';
import type { BrowserName } from '../run/call-run.js';

/** The environment variable that holds the shared secret, on the agent and on the coordinator. */
export const AGENT_TOKEN_ENV = 'TALK_LOADTEST_AGENT_TOKEN';

/** What a coordinator asks an agent to launch: its share of one call's participants. */
export interface SessionRequest {
  /** The Talk server's origin as the agent's browsers reach it, e.g. `http://10.0.0.5:8787`; it serves dist-page. */
  serverUrl: string;
  /** The run's id: every participant joins the conversation of `{type: 'loadtest', id: runId}`. */
  runId: string;
  /** This agent's participants, by their index in the whole call. */
  participants: { index: number; userId: string }[];
  /** The call's size, which sizes each page's viewport to show every remote video. */
  callSize: number;
  topology: RequestedTopology;
  audio: boolean;
  /** The fake camera's clip: size, rate, and noise amplitude (full range when absent). */
  video: { width: number; height: number; fps: number; noise?: number };
  /** Participants per browser on this agent. */
  tabsPerBrowser: number;
  browser: BrowserName;
  /** Seconds without a request after which the agent stops this session's browsers by itself. */
  leaseSeconds: number;
}

/** The answer to {@link SessionRequest}: the pages are loaded, nobody has joined yet. */
export interface SessionStarted {
  /** The agent's name for itself in reports (its listen address unless told otherwise). */
  agent: string;
  /** The participant indices it launched, in its order. */
  participants: number[];
  /** How the agent's host link is shaped or what it is, as its operator described it (`--network`). */
  network?: string;
}

/** Which of the session's participants join now; the coordinator joins one first, which creates the conversation. */
export interface JoinParticipantsRequest {
  participants: number[];
}

/** What each joined page reported. */
export interface JoinParticipantsResult {
  joined: { index: number; join: JoinResult }[];
}

/** One reading of every participant of the session, with its host's process and machine counters. */
export interface AgentSample {
  /** The agent's clock when it began reading /proc, ms since the epoch: CPU rates divide by its differences. */
  measuredAt: number;
  /** Each participant's page sample and the browser (index into `browsers`) it runs in. */
  participants: { index: number; browser: number; sample: PageSample }[];
  /** CPU time and memory of each browser's process tree. */
  browsers: TreeUsage[];
  /** Participants per browser, to split a browser's CPU and memory among its windows. */
  tabsPerBrowser: number[];
  /** The agent machine's aggregate CPU counters. */
  machine: MachineTimes;
}

/** Whether the agent is running a session, and for how much longer without a request. */
export interface AgentStatus {
  agent: string;
  busy: boolean;
  /** The session's participants, empty when idle. */
  participants: number[];
  /** The session's browsers' pids, so a test can see them go. */
  browserPids: number[];
  /** Why the last session ended, when it ended by itself: `lease expired` or `deadline`. */
  lastEnded?: string;
}

/** An error answer: `{ error }` with an HTTP status. */
export interface AgentError {
  error: string;
}
