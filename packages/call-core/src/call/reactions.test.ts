import { describe, expect, it } from 'vitest';
import { encodeReaction, MAX_REACTION_LENGTH, ReactionReader } from './reactions.js';

describe('reactions beside the media', () => {
  it('passes a reaction on once, though a switch carried it over both paths', () => {
    const reader = new ReactionReader();
    const sent = encodeReaction('👍');
    expect(reader.read('alice', sent)).toBe('👍');
    expect(reader.read('alice', sent)).toBeUndefined();
    // The same emoji again is a new reaction, and the same message from someone else is theirs.
    expect(reader.read('alice', encodeReaction('👍'))).toBe('👍');
    expect(reader.read('bob', sent)).toBe('👍');
  });

  it('passes on reactions of senders that give no id, and drops what is not a reaction', () => {
    const reader = new ReactionReader();
    const old = JSON.stringify({ type: 'reaction', emoji: '🎉' });
    expect(reader.read('alice', old)).toBe('🎉');
    expect(reader.read('alice', old)).toBe('🎉');
    expect(reader.read('alice', 'not json')).toBeUndefined();
    expect(reader.read('alice', JSON.stringify({ type: 'chat', emoji: '🎉' }))).toBeUndefined();
    expect(reader.read('alice', JSON.stringify({ type: 'reaction', emoji: '' }))).toBeUndefined();
    const long = 'x'.repeat(MAX_REACTION_LENGTH + 1);
    expect(reader.read('alice', JSON.stringify({ type: 'reaction', emoji: long }))).toBeUndefined();
  });

  it('forgets a sender who left, so ids are not kept forever', () => {
    const reader = new ReactionReader();
    const sent = encodeReaction('👋');
    expect(reader.read('alice', sent)).toBe('👋');
    reader.forget('alice');
    expect(reader.read('alice', sent)).toBe('👋');
  });
});
