import { describe, expect, it } from 'vitest';
import { parseAgentArgs } from './cli.js';

describe('the agent command line', () => {
  const env = { TALK_LOADTEST_AGENT_TOKEN: ' a-shared-secret-of-24ch\n' };

  it('reads --listen, --name and --network, and the token from the environment', () => {
    expect(parseAgentArgs(['--listen', '[::]:7700', '--name', 'lab-1', '--network', 'LAN'], env)).toEqual({
      host: '::',
      port: 7700,
      token: 'a-shared-secret-of-24ch',
      name: 'lab-1',
      network: 'LAN',
    });
  });

  it('refuses to run without a listen address or a long enough secret', () => {
    expect(() => parseAgentArgs([], env)).toThrow(/--listen: expected HOST:PORT/);
    expect(() => parseAgentArgs(['--listen', '0.0.0.0:7700'], { TALK_LOADTEST_AGENT_TOKEN: 'short' })).toThrow(
      /at least 16 characters/,
    );
    expect(() => parseAgentArgs(['--listen', '0.0.0.0:7700', '--token', 'x'], env)).toThrow(/unknown option --token/);
  });
});
