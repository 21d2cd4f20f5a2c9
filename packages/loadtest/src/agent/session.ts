import type { LaunchedBrowser } from '@talk/testing';
import type { Page } from 'puppeteer-core';
import { readMachineTimes } from '../metrics/machine.js';
import { measureTrees } from '../metrics/process.js';
import type { JoinResult } from '../page-api.js';
import { LIMITS, viewportFor } from '../run/call-run.js';
import {
  harnessClip,
  joinPage,
  launchParticipantBrowser,
  leavePage,
  openParticipantPage,
  samplePage,
} from '../run/pages.js';
import { Cleanup } from '../stack/cleanup.js';
import type { AgentSample, SessionRequest } from './protocol.js';

interface AgentParticipant {
  index: number;
  userId: string;
  page: Page;
  browser: number;
}

/**
 * One coordinator's share of a call on this host: its browsers and pages, joined on instruction, sampled on
 * request, and all closed by {@link AgentSession.stop} (which the agent also calls when the lease runs out).
 */
export class AgentSession {
  readonly #cleanup = new Cleanup();
  readonly #browsers: LaunchedBrowser[] = [];
  readonly #people: AgentParticipant[] = [];

  private constructor(
    /** What the coordinator asked for. */
    readonly request: SessionRequest,
  ) {}

  /** Launches the browsers and loads the harness page in a window per participant; stops what it began on failure. */
  static async start(request: SessionRequest): Promise<AgentSession> {
    const session = new AgentSession(request);
    try {
      await session.#launch();
      return session;
    } catch (error) {
      await session.stop();
      throw error;
    }
  }

  /** The participant indices of this session. */
  get participants(): number[] {
    return this.#people.map((person) => person.index);
  }

  /** The pids of its browsers. */
  get browserPids(): number[] {
    return this.#browsers.map((launched) => launched.browser.process()?.pid ?? -1);
  }

  async #launch(): Promise<void> {
    const { request } = this;
    const clipPath = await harnessClip(request.video);
    // getUserMedia needs a secure context; http://localhost is one, another host's address is not.
    const secure = new URL(request.serverUrl).hostname === 'localhost';
    for (const [position, participant] of request.participants.entries()) {
      if (this.#cleanup.stopping) throw new Error('stopped');
      const browserIndex = Math.floor(position / request.tabsPerBrowser);
      if (!this.#browsers[browserIndex]) {
        const launched = await launchParticipantBrowser({
          browser: request.browser,
          clipPath,
          ...(secure ? {} : { insecureOrigin: request.serverUrl }),
        });
        this.#browsers[browserIndex] = launched;
        this.#cleanup.add(`browser ${browserIndex}`, () => launched.close());
      }
      const page = await openParticipantPage(this.#browsers[browserIndex]!, {
        serverUrl: request.serverUrl,
        label: `p${participant.index}`,
        viewport: viewportFor(request.callSize - 1, request.video),
      });
      this.#people.push({ ...participant, page, browser: browserIndex });
    }
  }

  /** Joins the given participants to the call, one after another, as the local harness does. */
  async join(indices: readonly number[]): Promise<{ index: number; join: JoinResult }[]> {
    const joined: { index: number; join: JoinResult }[] = [];
    for (const index of indices) {
      const person = this.#people.find((candidate) => candidate.index === index);
      if (!person) throw new Error(`participant ${index} is not on this agent`);
      const result = await joinPage(person.page, {
        runId: this.request.runId,
        userId: person.userId,
        topology: this.request.topology,
        audio: this.request.audio,
        tile: { width: this.request.video.width, height: this.request.video.height },
      });
      joined.push({ index, join: result });
    }
    return joined;
  }

  /** Reads every page's stats, the browsers' process trees and the machine's CPU counters. */
  async sample(): Promise<AgentSample> {
    const measuredAt = Date.now();
    const [browsers, machine, samples] = await Promise.all([
      measureTrees(this.browserPids),
      readMachineTimes(),
      Promise.all(this.#people.map((person) => samplePage(person.page))),
    ]);
    return {
      measuredAt,
      participants: this.#people.map((person, i) => ({
        index: person.index,
        browser: person.browser,
        sample: samples[i]!,
      })),
      browsers,
      tabsPerBrowser: this.#browsers.map((_, b) => this.#people.filter((person) => person.browser === b).length),
      machine,
    };
  }

  /** Leaves the call in every page and closes every browser; later calls wait for the first. */
  async stop(): Promise<void> {
    if (!this.#cleanup.stopping) {
      // Bounded: a page that hangs in leave() must not keep its browser alive.
      const leave = Promise.all(this.#people.map((person) => leavePage(person.page)));
      await Promise.race([leave, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    }
    await this.#cleanup.run();
  }
}

/** The longest a session may last, whatever its coordinator does: a run's bound, as the local harness computes it. */
export function sessionDeadlineMs(participants: number): number {
  return LIMITS.joinTimeoutMs * 2 + (participants * 30 + LIMITS.durationSeconds + 60) * 1000;
}
