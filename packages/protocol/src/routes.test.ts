import { FormatRegistry } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { describe, expect, it } from 'vitest';
import { ChatMessage } from './rest.js';
import { conversationPath, Routes } from './routes.js';
import { ClientMessage, ServerMessage } from './signaling.js';

describe('conversationPath', () => {
  it('fills in the token and other named parameters, encoded', () => {
    expect(conversationPath(Routes.messages, 'abc')).toBe('/api/v1/conversations/abc/messages');
    expect(conversationPath(Routes.reactions, 'a/b', { messageId: 7 })).toBe(
      '/api/v1/conversations/a%2Fb/messages/7/reactions',
    );
  });
});

// TypeBox checks formats only when told how; ajv (Fastify) knows date-time by itself.
FormatRegistry.Set('date-time', (value) => !Number.isNaN(Date.parse(value)));

describe('version-1 compatibility', () => {
  it('still accepts a version-1 chat message, hello and session info without any of the new fields', () => {
    const v1Message = {
      id: 1,
      conversation: 't',
      actorId: 'a',
      actorDisplayName: 'A',
      message: 'hi',
      referenceId: null,
      createdAt: '2026-01-01T00:00:00.000Z',
    };
    expect(TypeCompiler.Compile(ChatMessage).Check(v1Message)).toBe(true);
    expect(TypeCompiler.Compile(ClientMessage).Check({ type: 'hello', token: 'x' })).toBe(true);
    const joined = {
      type: 'joined',
      conversation: 't',
      sessions: [
        {
          sessionId: 's',
          participant: { userId: 'a', displayName: 'A', role: 'user' },
          inCall: false,
          media: { audio: false, video: false },
        },
      ],
    };
    expect(TypeCompiler.Compile(ServerMessage).Check(joined)).toBe(true);
  });
});
