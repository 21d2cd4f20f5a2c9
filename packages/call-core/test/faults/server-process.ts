// The built Talk server run as a process of its own, so that a fault test can SIGKILL it and start it again on
// the same port and data: what a crashed and restarted instance looks like to its clients.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The built server (turbo builds it before call-core's tests). */
export const SERVER_MAIN = fileURLToPath(new URL('../../../server/dist/main.js', import.meta.url));

/** Whether the built server is there to run. */
export const serverBuilt = (): boolean => existsSync(SERVER_MAIN);

/** How a {@link ServerProcess} is started. */
export interface ServerProcessOptions {
  /** Where its PGlite data lives, kept across restarts. */
  dataDir: string;
  /** The JWT secret: not dev mode, whose key would die with the process while the clients' tokens must outlive it. */
  secret: string;
  /** More environment, e.g. `TALK_STATIC_DIR` or LiveKit's settings. */
  env?: Record<string, string>;
}

/** A free loopback port, found by listening on port 0. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

/** The server process, which can be killed and started again on the same port with the same data. */
export class ServerProcess {
  readonly port: number;
  readonly #options: ServerProcessOptions;
  #child: ChildProcess | undefined;

  private constructor(port: number, options: ServerProcessOptions) {
    this.port = port;
    this.#options = options;
  }

  /** Starts the server on a free port; resolves once it listens. */
  static async start(options: ServerProcessOptions): Promise<ServerProcess> {
    const server = new ServerProcess(await freePort(), options);
    await server.restart();
    return server;
  }

  /** The server's HTTP origin. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts the process again (after {@link kill}); resolves once it listens. */
  async restart(): Promise<void> {
    const child = spawn(process.execPath, [SERVER_MAIN], {
      env: {
        ...process.env,
        PORT: String(this.port),
        HOST: '127.0.0.1',
        TALK_DEV_MODE: '',
        TALK_JWT_SECRET: this.#options.secret,
        TALK_DATA_DIR: this.#options.dataDir,
        TALK_HEARTBEAT_MS: '200',
        TALK_LOG_LEVEL: 'silent',
        ...this.#options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the server did not start: ${output}`)), 90_000);
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('listening on')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on('data', read);
      child.stderr?.on('data', read);
      child.once('exit', (code) => reject(new Error(`the server exited with ${code}: ${output}`)));
    });
  }

  /**
   * Stops the process with SIGTERM, as a rolling restart does (with Redis it hands its sessions over); resolves with
   * its exit code once it is gone.
   */
  async terminate(): Promise<number | null> {
    const child = this.#child;
    this.#child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    return exited;
  }

  /** Kills the process with SIGKILL (no shutdown, no close frames); resolves once it is gone. */
  async kill(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}
