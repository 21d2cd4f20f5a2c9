// k6: SESSIONS signaling sessions in public rooms of ROOM_SIZE, posting chat at RATE messages per second in all.
// Measures connect time (socket open → hello → welcome → joined), fan-out latency (the POST leaving until a
// socket of the room receives the chat-message) and errors; thresholds fail the run. Run it through
// `npm run loadtest:k6`, which starts a server on loopback and checks BASE_URL is loopback.
// PROVISION=setup makes every user a participant of their room in setup(), before the ramp, so that the ramp
// measures signaling sessions connecting (what every page load does), not users joining a conversation for the
// first time (what each user does once). RATE=0 holds the sessions idle: no chat, no fan-out threshold.
// A session that has not joined CONNECT_TIMEOUT seconds after it set out counts as an error and is given up, so
// that the run ends when it should and writes its summary however the server fares. Every error is also counted by
// its kind (errors_connect, errors_lost, errors_socket, errors_frame, errors_post), so a failed run says what failed.
import { check } from 'k6';
import { SharedArray } from 'k6/data';
import http from 'k6/http';
import { Counter, Rate, Trend } from 'k6/metrics';
import { WebSocket } from 'k6/websockets';

const BASE_URL = __ENV.BASE_URL;
const SESSIONS = Number(__ENV.SESSIONS ?? 100);
const ROOM_SIZE = Number(__ENV.ROOM_SIZE ?? 10);
const RATE = Number(__ENV.RATE ?? 10);
const DURATION = Number(__ENV.DURATION ?? 30);
const RAMP = Number(__ENV.RAMP ?? 10);
const RUN_ID = __ENV.RUN_ID ?? String(Date.now());
const ROOMS = Math.ceil(SESSIONS / ROOM_SIZE);
const PROVISION = __ENV.PROVISION ?? 'ramp';
const CONNECT_TIMEOUT = Number(__ENV.CONNECT_TIMEOUT ?? 30);
/** Parallel requests per http.batch call in setup. */
const SETUP_PARALLEL = 16;
// The runner signs every session's token before k6 starts, with the secret it gave the server, as a host app
// mints its users' tokens: one per VU and the owner's last, in a file shared read-only by every VU. Without the
// file (a server of someone else's, --url) each session asks a dev-mode server for one.
const TOKENS = __ENV.TOKENS_FILE ? new SharedArray('tokens', () => JSON.parse(open(__ENV.TOKENS_FILE))) : undefined;

const connectTime = new Trend('connect_ms', true);
const fanout = new Trend('fanout_ms', true);
const errors = new Rate('errors');
/** Sessions that did not join by their deadline: a failed token or join request, a close or an error first. */
const connectErrors = new Counter('errors_connect');
/** Joined sessions whose socket closed before the run ended it: cut by the server or the network. */
const lostSessions = new Counter('errors_lost');
/** Socket errors and server `error` frames after a session had joined. */
const socketErrors = new Counter('errors_socket');
const frameErrors = new Counter('errors_frame');
/** Posts that were not stored, after the one retry a post whose connection was reset gets. */
const postErrors = new Counter('errors_post');
const postRetries = new Counter('post_retries');
/** Socket errors once the session was closing its own socket (the run's end): counted, but no failure of the server. */
const closingErrors = new Counter('socket_errors_closing');
const sent = new Counter('messages_sent');
const deliveries = new Counter('deliveries');
const joinedSessions = new Counter('sessions_joined');

export const options = {
  scenarios: {
    sessions: {
      executor: 'per-vu-iterations',
      vus: SESSIONS,
      iterations: 1,
      // The last session sets out at the ramp's end, and is given up CONNECT_TIMEOUT later at the latest; a
      // socket k6 still dials then is cut when the scenario stops (k6's own handshake timeout is a minute).
      maxDuration: `${RAMP + DURATION + CONNECT_TIMEOUT + 15}s`,
      gracefulStop: '10s',
    },
  },
  // Provisioning adds one participant per session in setup; on two shared cores that is a few minutes at 10,000.
  setupTimeout: `${Math.max(120, PROVISION === 'setup' ? Math.ceil(SESSIONS / 10) : 0)}s`,
  batch: SETUP_PARALLEL,
  batchPerHost: SETUP_PARALLEL,
  summaryTrendStats: ['avg', 'min', 'med', 'p(95)', 'p(99)', 'max', 'count'],
  thresholds: {
    errors: [`rate<${__ENV.MAX_ERROR_RATE ?? 0.01}`],
    ...(RATE > 0 ? { fanout_ms: [`p(99)<${__ENV.FANOUT_P99_MS ?? 500}`] } : {}),
    connect_ms: [`p(95)<${__ENV.CONNECT_P95_MS ?? 2000}`],
  },
};

/** WebSocket ready states (k6's WebSocket has no constants for them). */
const CONNECTING = 0;
const OPEN = 1;

const json = { headers: { 'content-type': 'application/json' } };

function token(userId, timeoutMs) {
  if (TOKENS) return userId === 'k6-owner' ? TOKENS[TOKENS.length - 1] : TOKENS[__VU - 1];
  const response = http.post(
    `${BASE_URL}/api/v1/dev/tokens`,
    JSON.stringify({ userId, displayName: userId, objects: [{ pattern: 'k6:*', types: ['public'] }] }),
    { ...json, timeout: `${Math.max(1, Math.round(timeoutMs ?? 60_000))}ms` },
  );
  if (response.status !== 201) throw new Error(`dev token for ${userId}: ${response.status}`);
  return response.json('token');
}

function authorized(bearer, timeoutMs) {
  const params = { headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` } };
  if (timeoutMs !== undefined) params.timeout = `${Math.max(1, Math.round(timeoutMs))}ms`;
  return params;
}

/**
 * Creates the rooms as one owner, SETUP_PARALLEL requests at a time, so sessions only have to join them; provisioned,
 * each room is made with its users in it (one request a room, up to the 100 a creation may name).
 */
export function setup() {
  const owner = token('k6-owner');
  const inline = PROVISION === 'setup' && ROOM_SIZE <= 100;
  const requests = [];
  for (let room = 0; room < ROOMS; room += 1) {
    const body = { type: 'public', name: `k6 room ${room}`, object: { type: 'k6', id: `${RUN_ID}-${room}` } };
    if (inline) {
      const first = room * ROOM_SIZE + 1;
      const last = Math.min(SESSIONS, first + ROOM_SIZE - 1);
      body.participants = [];
      for (let vu = first; vu <= last; vu += 1) body.participants.push({ userId: userIdOf(vu) });
    }
    requests.push(['POST', `${BASE_URL}/api/v1/conversations`, JSON.stringify(body), authorized(owner)]);
  }
  const rooms = [];
  for (let start = 0; start < requests.length; start += SETUP_PARALLEL * 8) {
    const responses = http.batch(requests.slice(start, start + SETUP_PARALLEL * 8));
    for (const [i, response] of responses.entries()) {
      if (response.status !== 201 && response.status !== 200) throw new Error(`room ${start + i}: ${response.status}`);
      rooms.push(response.json('token'));
    }
  }
  if (PROVISION === 'setup' && !inline) provision(owner, rooms);
  return { rooms, startedAt: Date.now() };
}

/** The owner adds every session's user to its room, SETUP_PARALLEL requests at a time. */
function provision(owner, rooms) {
  const requests = [];
  for (let vu = 1; vu <= SESSIONS; vu += 1) {
    const room = rooms[Math.floor((vu - 1) / ROOM_SIZE)];
    const body = JSON.stringify({ userId: userIdOf(vu) });
    requests.push(['POST', `${BASE_URL}/api/v1/conversations/${room}/participants`, body, authorized(owner)]);
  }
  for (let start = 0; start < requests.length; start += SETUP_PARALLEL * 8) {
    for (const response of http.batch(requests.slice(start, start + SETUP_PARALLEL * 8))) {
      if (response.status !== 201 && response.status !== 200)
        throw new Error(`adding a participant: ${response.status}`);
    }
  }
}

function userIdOf(vu) {
  return `k6-${RUN_ID}-${vu}`;
}

export default function session(data) {
  const index = __VU - 1;
  const room = data.rooms[Math.floor(index / ROOM_SIZE)];
  const rampEnd = data.startedAt + RAMP * 1000;
  const end = rampEnd + DURATION * 1000;
  // Sessions connect spread over the ramp, as people arrive, rather than all in one instant.
  const connectAt = data.startedAt + (index / SESSIONS) * RAMP * 1000;
  const wait = Math.max(0, connectAt - Date.now());
  if (wait > 0) {
    // k6's sleep blocks the VU; a timer keeps to the event loop the websockets module uses.
    setTimeout(() => connect(room, rampEnd, end), wait);
  } else {
    connect(room, rampEnd, end);
  }
}

function connect(room, rampEnd, end) {
  const userId = userIdOf(__VU);
  const setOut = Date.now();
  const deadline = setOut + CONNECT_TIMEOUT * 1000;
  let socket = null;
  let poster = null;
  // Each session counts once towards the error rate for its connecting: joined in time, or not.
  let settled = false;
  const settle = (failed) => {
    if (settled) return;
    settled = true;
    errors.add(failed);
    if (failed) connectErrors.add(1);
  };
  let joined = false;
  // Closing a socket k6 is still dialling blocks its event loop for good (the close waits on a writer that starts
  // only once the socket opens), so such a socket is only marked, and closed as soon as it opens.
  let abandoned = false;
  // Set when the session closes its own socket (given up, or the run's end), so that any other close counts as lost.
  let closing = false;
  const stop = () => {
    closing = true;
    if (poster) clearInterval(poster);
    poster = null;
    if (!socket) return;
    if (socket.readyState === CONNECTING) abandoned = true;
    else if (socket.readyState === OPEN) socket.close();
  };
  // Both timers are set before anything can wait on the server: a session gives up at its deadline, and every
  // session ends with the run.
  const giveUp = setTimeout(() => {
    if (settled) return;
    settle(true);
    stop();
  }, deadline - Date.now());
  const closer = setTimeout(stop, Math.max(0, end + 2000 - Date.now()));
  const finish = () => {
    clearTimeout(giveUp);
    clearTimeout(closer);
  };
  let bearer;
  try {
    bearer = token(userId, deadline - Date.now());
    if (PROVISION !== 'setup') {
      const joined = http.post(
        `${BASE_URL}/api/v1/conversations/${room}/participants/self`,
        '{}',
        authorized(bearer, deadline - Date.now()),
      );
      if (joined.status !== 201 && joined.status !== 200) throw new Error(`joining ${room}: ${joined.status}`);
    }
  } catch (_error) {
    settle(true);
    finish();
    return;
  }
  if (settled || Date.now() >= deadline) {
    settle(true);
    finish();
    return;
  }
  const opened = Date.now();
  socket = new WebSocket(`${BASE_URL.replace(/^http/, 'ws')}/api/v1/signaling`);
  socket.onopen = () => {
    if (abandoned) socket.close();
    else socket.send(JSON.stringify({ type: 'hello', id: 'h', token: bearer }));
  };
  // k6 reports a close with a code other than 1000 as an error too: a joined session that errs and closes counts
  // once towards the error rate, and under both kinds.
  let failedAfterJoin = false;
  socket.onerror = () => {
    if (!settled) settle(true);
    else if (closing) closingErrors.add(1);
    else if (joined) {
      socketErrors.add(1);
      if (!failedAfterJoin) errors.add(true);
      failedAfterJoin = true;
    }
  };
  socket.onmessage = (event) => {
    const message = JSON.parse(event.data);
    if (message.type === 'welcome') {
      socket.send(JSON.stringify({ type: 'join', id: 'j', conversation: room }));
    } else if (message.type === 'joined') {
      if (settled) return; // given up already: counted as an error, and closing
      connectTime.add(Date.now() - opened);
      joinedSessions.add(1);
      joined = true;
      settle(false);
      clearTimeout(giveUp);
      startPosting(room, bearer, rampEnd, end, (timer) => {
        poster = timer;
      });
    } else if (message.type === 'chat-message') {
      const sentAt = Number(JSON.parse(message.message.message).t);
      if (sentAt >= rampEnd) {
        fanout.add(Date.now() - sentAt);
        deliveries.add(1);
      }
    } else if (message.type === 'error') {
      if (settled) {
        frameErrors.add(1);
        if (!failedAfterJoin) errors.add(true);
        failedAfterJoin = true;
      } else {
        settle(true);
        stop();
      }
    }
  };
  socket.onclose = () => {
    if (poster) clearInterval(poster);
    if (joined && !closing) {
      lostSessions.add(1);
      if (!failedAfterJoin) errors.add(true);
    }
    settle(true); // closed before it joined
    finish();
  };
}

/** Each session posts every SESSIONS / RATE seconds during the measured window, from a random phase. */
function startPosting(room, bearer, rampEnd, end, keep) {
  if (RATE <= 0) return;
  const every = (SESSIONS / RATE) * 1000;
  const firstAt = rampEnd + Math.random() * every;
  setTimeout(
    () => {
      const post = () => {
        if (Date.now() >= end) return;
        const t = Date.now();
        const body = JSON.stringify({ message: JSON.stringify({ t, vu: __VU }), referenceId: `${__VU}-${t}` });
        sent.add(1);
        const request = () =>
          http.asyncRequest('POST', `${BASE_URL}/api/v1/conversations/${room}/messages`, body, authorized(bearer));
        request()
          // A request sent on a kept-alive connection as the server closes it fails with no response (status 0);
          // the reference id makes a post idempotent, so it is sent again once, as a browser retries it.
          .then((response) => {
            if (response.status !== 0) return response;
            postRetries.add(1);
            return request();
          })
          .then((response) => {
            // 200: a retried post the server had stored the first time.
            const ok = check(response, { posted: (r) => r.status === 201 || r.status === 200 });
            errors.add(!ok);
            if (!ok) postErrors.add(1);
          });
      };
      post();
      keep(setInterval(post, every));
    },
    Math.max(0, firstAt - Date.now()),
  );
}

/** The summary goes to SUMMARY_PATH for the runner, and a short text to stdout. */
export function handleSummary(data) {
  const out = { stdout: `k6: ${SESSIONS} sessions, rooms of ${ROOM_SIZE}, ${RATE} msg/s\n` };
  if (__ENV.SUMMARY_PATH) out[__ENV.SUMMARY_PATH] = JSON.stringify(data);
  return out;
}
