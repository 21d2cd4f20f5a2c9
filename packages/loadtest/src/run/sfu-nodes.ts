import type { LocalLivekit } from '@talk/server';
import { RoomServiceClient } from 'livekit-server-sdk';
import type { Page } from 'puppeteer-core';

/** What the SFU's nodes said about a run's call, and where its participants connected. */
export interface SfuNodesReport {
  /** Each node's signal URL. */
  nodes: string[];
  /** How many participants opened their SFU connection to each node, in the order of `nodes`. */
  participantsPerNode: number[];
  /** The rooms each node's API lists, with their participant counts: one room, the same from every node. */
  rooms: { node: string; rooms: { sid: string; name: string; participants: number }[] }[];
}

/**
 * Notes the WebSocket URLs a Chromium page opens (LiveKit's signal connection is one), over the DevTools
 * protocol: the page itself is not told which node the server sent it to.
 */
export async function watchSockets(page: Page): Promise<() => string[]> {
  const urls: string[] = [];
  const session = await page.createCDPSession();
  await session.send('Network.enable');
  session.on('Network.webSocketCreated', (event) => urls.push(event.url));
  return () => [...urls];
}

/** Asks every node's API for its rooms, and counts the participants whose signal connection went to each node. */
export async function reportSfuNodes(nodes: LocalLivekit[], sockets: string[][]): Promise<SfuNodesReport> {
  const hosts = nodes.map((node) => new URL(node.url).host);
  const participantsPerNode = hosts.map(
    (host) => sockets.filter((urls) => urls.some((url) => url.includes('/rtc') && new URL(url).host === host)).length,
  );
  const rooms = await Promise.all(
    nodes.map(async (node) => {
      const api = new RoomServiceClient(node.url.replace(/^ws/, 'http'), node.apiKey, node.apiSecret);
      // A room's participant count in the list can lag; its participants, asked for by name, are the room's own.
      const listed = await api.listRooms();
      const rooms = await Promise.all(
        listed.map(async (room) => ({
          sid: room.sid,
          name: room.name,
          participants: (await api.listParticipants(room.name)).length,
        })),
      );
      return { node: node.url, rooms };
    }),
  );
  return { nodes: nodes.map((node) => node.url), participantsPerNode, rooms };
}
