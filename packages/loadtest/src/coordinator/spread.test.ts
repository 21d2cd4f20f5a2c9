import { describe, expect, it } from 'vitest';
import { parseAgentList, spreadParticipants } from './spread.js';

describe('spreading participants over agents', () => {
  it('deals them round robin, participant 0 on the first agent, shares differing by at most one', () => {
    expect(spreadParticipants(3, 2)).toEqual([[0, 2], [1]]);
    expect(spreadParticipants(8, 3)).toEqual([
      [0, 3, 6],
      [1, 4, 7],
      [2, 5],
    ]);
    expect(spreadParticipants(2, 4)).toEqual([[0], [1], [], []]);
  });

  it('reads --agents as host:port entries and names a bad one', () => {
    expect(parseAgentList('10.0.0.5:7700, lab-2.local:7701,[fd00::2]:7700')).toEqual([
      '10.0.0.5:7700',
      'lab-2.local:7701',
      '[fd00::2]:7700',
    ]);
    expect(() => parseAgentList('10.0.0.5')).toThrow(/--agents 10.0.0.5: expected HOST:PORT/);
    expect(() => parseAgentList('a:99999')).toThrow(/expected HOST:PORT/);
    expect(() => parseAgentList('a:1,a:1')).toThrow(/each agent once/);
  });
});
