#!/usr/bin/env node
// The Talk server of a k6 run on PostgreSQL: dev mode (k6 mints its users' tokens) on the database that
// TALK_K6_DATABASE_URL names. The server's own entry refuses dev mode with a DATABASE_URL, which guards a
// deployment's real database; this one is started only by the k6 runner, on a throw-away cluster it made.
import { createTalkServer, loadConfig } from '@talk/server';

const url = process.env.TALK_K6_DATABASE_URL;
if (!url)
  throw new Error('TALK_K6_DATABASE_URL is not set; start this through npm run loadtest:k6 -- --storage postgres');
const server = await createTalkServer({ ...loadConfig(), storage: { kind: 'postgres', url } });
console.log(`talk-server (k6, PostgreSQL): listening on ${server.url}`);
const stop = () => {
  server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
