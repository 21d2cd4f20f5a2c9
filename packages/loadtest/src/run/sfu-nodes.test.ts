import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { livekitAvailable } from '@talk/server';
import { build } from 'vite';
import { beforeAll, describe, expect, it } from 'vitest';
import { PAGE_DIR } from '../stack/server.js';
import { runCall } from './call-run.js';

describe.runIf(livekitAvailable())('the harness on a two-node SFU', () => {
  beforeAll(async () => {
    // turbo builds dependencies before tests, not this package's own page; build it when it is missing.
    if (!existsSync(`${PAGE_DIR}/index.html`)) {
      await build({ configFile: fileURLToPath(new URL('../../vite.config.ts', import.meta.url)) });
    }
  }, 120_000);

  it('sends the two participants to different nodes, and both nodes list one room with both in it', async () => {
    const result = await runCall({
      participants: 2,
      topology: 'sfu',
      sfuNodes: 2,
      durationSeconds: 3,
      warmupSeconds: 2,
      bitrateKbps: 500,
      video: { width: 320, height: 240, fps: 5 },
      tabsPerBrowser: 2,
      audio: false,
    });
    expect(result.effectiveTopology).toBe('sfu');
    const nodes = result.sfuNodes!;
    expect(nodes.nodes).toHaveLength(2);
    expect(nodes.participantsPerNode).toEqual([1, 1]);
    const sids = nodes.rooms.map(({ rooms }) => {
      expect(rooms).toHaveLength(1);
      expect(rooms[0]!.participants).toBe(2);
      return rooms[0]!.sid;
    });
    expect(new Set(sids).size).toBe(1);
    for (const participant of result.perParticipant) expect(participant.framesDecodedPerSecond).toBeGreaterThan(0);
  }, 150_000);
});
