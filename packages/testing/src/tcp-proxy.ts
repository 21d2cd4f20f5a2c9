import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP proxy for fault tests: clients connect to it instead of the server, and the test can kill
 * their connections the way a network does (a reset on both sides, no close handshake, no WebSocket close
 * frame), so that both ends see an abnormal drop.
 */
export class TcpProxy {
  readonly #server: Server;
  readonly #pairs: Set<[Socket, Socket]>;
  /** How many connections were killed so far. */
  killed = 0;

  private constructor(
    server: Server,
    /** The port clients connect to. */
    readonly port: number,
    pairs: Set<[Socket, Socket]>,
  ) {
    this.#server = server;
    this.#pairs = pairs;
  }

  /** Starts a proxy on a free loopback port that forwards to `targetPort` on 127.0.0.1. */
  static async start(targetPort: number): Promise<TcpProxy> {
    const pairs = new Set<[Socket, Socket]>();
    const server = createServer((client) => {
      const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
      const pair: [Socket, Socket] = [client, upstream];
      pairs.add(pair);
      const forget = () => pairs.delete(pair);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
      client.on('close', forget);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (typeof address !== 'object' || !address) throw new Error('The proxy has no address');
    return new TcpProxy(server, address.port, pairs);
  }

  /** How many connections are open through the proxy. */
  get open(): number {
    return this.#pairs.size;
  }

  /** Resets one connection (the oldest open one when `index` is not given); false when none is open. */
  kill(index = 0): boolean {
    const pair = [...this.#pairs][index];
    if (!pair) return false;
    this.#pairs.delete(pair);
    for (const socket of pair) socket.resetAndDestroy();
    this.killed++;
    return true;
  }

  /**
   * Stops forwarding what the server sends on every open connection, while the client's bytes still go through:
   * the client hears nothing, as over a link that lost one direction, yet what it sends (a close frame) arrives.
   */
  stallDownstream(): number {
    for (const [client, upstream] of this.#pairs) {
      upstream.unpipe(client);
      upstream.pause();
    }
    return this.#pairs.size;
  }

  /** Forwards what the server sends again, after {@link stallDownstream}: the link came back. */
  resumeDownstream(): void {
    for (const [client, upstream] of this.#pairs) upstream.pipe(client);
  }

  /** Resets every open connection. */
  killAll(): number {
    let n = 0;
    while (this.kill()) n++;
    return n;
  }

  /** Stops listening and resets what is still open. */
  async close(): Promise<void> {
    this.killAll();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
