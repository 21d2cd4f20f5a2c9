#!/usr/bin/env node
import { createTalkServer } from './app.js';
import { ConfigError, describeConfig, loadConfig } from './config.js';

/** Starts the server from the environment and stops it cleanly on SIGINT or SIGTERM. */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`talk-server: configuration error: ${error.message}`);
    process.exitCode = 2;
    return;
  }
  console.log(describeConfig(config));
  const server = await createTalkServer(config);
  console.log(`talk-server: listening on ${server.url}`);

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    // SIGTERM is how a rolling restart stops an instance: with Redis, the others take its sessions over and nobody
    // sees them leave. SIGINT (a person at a terminal) ends them.
    const handOver = signal === 'SIGTERM' && config.redisUrl !== undefined;
    console.log(
      `talk-server: ${signal}, ${handOver ? 'handing sessions over' : 'closing sockets'} and closing storage`,
    );
    // A second signal, or a close that hangs, must not leave the process stuck.
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await (handOver ? server.handOver() : server.close());
    console.log('talk-server: closed');
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error('talk-server: failed to start', error);
  process.exit(1);
});
