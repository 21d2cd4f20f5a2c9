// k6: SESSIONS signaling sessions in public rooms of ROOM_SIZE, posting chat at RATE messages per second in all.
// Measures connect time (socket open → hello → welcome → joined), fan-out latency (the POST leaving until a
// socket of the room receives the chat-message) and errors; thresholds fail the run. Run it through
// `npm run loadtest:k6`, which starts a server on loopback and checks BASE_URL is loopback.
// PROVISION=setup makes every user a participant of their room in setup(), before the ramp, so that the ramp
// measures signaling sessions connecting (what every page load does), not users joining a conversation for the
// first time (what each user does once). RATE=0 holds the sessions idle: no chat, no fan-out threshold.
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
/** Parallel requests per http.batch call in setup. */
const SETUP_PARALLEL = 16;
// Servers without dev mode (several instances behind a proxy) cannot mint tokens: the runner signs them instead,
// one per VU and the owner's last, in a file shared read-only by every VU.
const TOKENS = __ENV.TOKENS_FILE ? new SharedArray('tokens', () => JSON.parse(open(__ENV.TOKENS_FILE))) : undefined;

const connectTime = new Trend('connect_ms', true);
const fanout = new Trend('fanout_ms', true);
const errors = new Rate('errors');
const sent = new Counter('messages_sent');
const deliveries = new Counter('deliveries');
const joinedSessions = new Counter('sessions_joined');

export const options = {
  scenarios: {
    sessions: {
      executor: 'per-vu-iterations',
      vus: SESSIONS,
      iterations: 1,
      maxDuration: `${RAMP + DURATION + 90}s`,
    },
  },
  // Provisioning adds one participant per session in setup; on two shared cores that is a few minutes at 10,000.
  setupTimeout: `${Math.max(120, PROVISION === 'setup' ? Math.ceil(SESSIONS / 10) : 0)}s`,
  batch: SETUP_PARALLEL,
  batchPerHost: SETUP_PARALLEL,
  summaryTrendStats: ['avg', 'min', 'med', 'p(95)', 'p(99)', 'max', 'count'],
  thresholds: {
    errors: [`rate<${__ENV.MAX_ERROR_RATE ?? 0.01}`],
    ...(RATE > 0 ? { fanout_ms: [`p(95)<${__ENV.FANOUT_P95_MS ?? 500}`] } : {}),
    connect_ms: [`p(95)<${__ENV.CONNECT_P95_MS ?? 2000}`],
  },
};

const json = { headers: { 'content-type': 'application/json' } };

function token(userId) {
  if (TOKENS) return userId === 'k6-owner' ? TOKENS[TOKENS.length - 1] : TOKENS[__VU - 1];
  const response = http.post(
    `${BASE_URL}/api/v1/dev/tokens`,
    JSON.stringify({ userId, displayName: userId, objects: [{ pattern: 'k6:*', types: ['public'] }] }),
    json,
  );
  if (response.status !== 201) throw new Error(`dev token for ${userId}: ${response.status}`);
  return response.json('token');
}

function authorized(bearer) {
  return { headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` } };
}

/** Creates the rooms as one owner, so sessions only have to join them. */
export function setup() {
  const owner = token('k6-owner');
  const rooms = [];
  for (let room = 0; room < ROOMS; room += 1) {
    const body = { type: 'public', name: `k6 room ${room}`, object: { type: 'k6', id: `${RUN_ID}-${room}` } };
    const response = http.post(`${BASE_URL}/api/v1/conversations`, JSON.stringify(body), authorized(owner));
    if (response.status !== 201 && response.status !== 200) throw new Error(`room ${room}: ${response.status}`);
    rooms.push(response.json('token'));
  }
  if (PROVISION === 'setup') provision(owner, rooms);
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
  let bearer;
  try {
    bearer = token(userId);
    if (PROVISION !== 'setup') {
      const joined = http.post(`${BASE_URL}/api/v1/conversations/${room}/participants/self`, '{}', authorized(bearer));
      errors.add(joined.status !== 201 && joined.status !== 200);
    }
  } catch (_error) {
    errors.add(true);
    return;
  }
  const opened = Date.now();
  const socket = new WebSocket(`${BASE_URL.replace(/^http/, 'ws')}/api/v1/signaling`);
  let poster = null;
  let closer = null;
  socket.onopen = () => socket.send(JSON.stringify({ type: 'hello', id: 'h', token: bearer }));
  socket.onerror = () => errors.add(true);
  socket.onmessage = (event) => {
    const message = JSON.parse(event.data);
    if (message.type === 'welcome') {
      socket.send(JSON.stringify({ type: 'join', id: 'j', conversation: room }));
    } else if (message.type === 'joined') {
      connectTime.add(Date.now() - opened);
      joinedSessions.add(1);
      errors.add(false);
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
      errors.add(true);
    }
  };
  closer = setTimeout(
    () => {
      if (poster) clearInterval(poster);
      socket.close();
    },
    end + 2000 - Date.now(),
  );
  socket.onclose = () => {
    if (poster) clearInterval(poster);
    if (closer) clearTimeout(closer);
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
        http
          .asyncRequest('POST', `${BASE_URL}/api/v1/conversations/${room}/messages`, body, authorized(bearer))
          .then((response) => {
            const ok = check(response, { 'posted 201': (r) => r.status === 201 });
            errors.add(!ok);
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
