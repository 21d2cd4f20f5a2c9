import { describe, expect, it } from 'vitest';
import { parseArgs, parseParticipants } from './args.js';

describe('the command line', () => {
  it('reads ranges and lists of participant counts', () => {
    expect(parseParticipants('2..5')).toEqual([2, 3, 4, 5]);
    expect(parseParticipants('2,4,8')).toEqual([2, 4, 8]);
  });

  it('refuses participant counts beyond the harness limit', () => {
    expect(() => parseParticipants('2..40')).toThrow(/from 2 to 16/);
  });

  it('refuses a server that is not on loopback', () => {
    expect(() => parseArgs(['--url', 'http://10.0.0.5:8787'])).toThrow(/loopback/);
    expect(() => parseArgs(['--url', 'http://example.com'])).toThrow(/loopback/);
    expect(parseArgs(['--url', 'http://127.0.0.2:8787']).url).toBe('http://127.0.0.2:8787');
    expect(parseArgs(['--url', 'http://[::1]:8787']).url).toBe('http://[::1]:8787');
  });

  it('takes the issue’s example command', () => {
    const args = parseArgs(
      '--participants 2..8 --topology auto --duration 30 --bitrate 1000 --json out.json --html out.html'.split(' '),
    );
    expect(args).toMatchObject({ participants: [2, 3, 4, 5, 6, 7, 8], topologies: ['auto'], durationSeconds: 30 });
    expect(args.html).toBe('out.html');
  });
});
