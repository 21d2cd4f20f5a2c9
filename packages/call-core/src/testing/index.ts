// `@talk/call-core/testing`: an in-memory stand-in for the server, for the catalog's stories and for quick tests.
export type { FixtureClientOptions, SendOutcome } from './FixtureClient.js';
export { FixtureClient } from './FixtureClient.js';
export type { FixtureFeed, FixtureRoomView } from './FixtureTransport.js';
export { FixtureTransport } from './FixtureTransport.js';
export type { FixtureConversation, FixtureMember, FixturePerson } from './seed.js';
export { conversations, people, seedConversations } from './seed.js';
export type { CameraPicture } from './synthetic-media.js';
export { initialsOf, SilentAudio, syntheticCamera, syntheticScreen } from './synthetic-media.js';
