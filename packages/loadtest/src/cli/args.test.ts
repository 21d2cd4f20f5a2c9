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

  it('sends audio unless told --audio off, and names a bad value', () => {
    expect(parseArgs([]).audio).toBe(true);
    expect(parseArgs(['--audio', 'off']).audio).toBe(false);
    expect(() => parseArgs(['--audio', 'mute'])).toThrow(/--audio mute: expected on or off/);
  });

  it('runs Chromium unless told --browser firefox, and refuses another browser or Firefox with shaping', () => {
    expect(parseArgs([]).browser).toBe('chromium');
    expect(parseArgs('--browser firefox'.split(' ')).browser).toBe('firefox');
    expect(() => parseArgs('--browser safari'.split(' '))).toThrow(/--browser safari: expected chromium or firefox/);
    expect(() => parseArgs('--browser firefox --uplink 400'.split(' '))).toThrow(/cannot be shaped/);
  });

  it('reads an upload cap, delay and loss as the shaping of each participant', () => {
    expect(parseArgs(['--uplink', '2500']).shaping).toEqual({ uplinkKbps: 2500 });
    expect(parseArgs('--uplink 400 --delay 20 --loss 1.5'.split(' ')).shaping).toEqual({
      uplinkKbps: 400,
      delayMs: 20,
      lossPercent: 1.5,
    });
    expect(parseArgs(['--participants', '2..5']).shaping).toBeUndefined();
  });

  it('refuses shaping values out of range, naming the option', () => {
    expect(() => parseArgs(['--uplink', '10'])).toThrow(/--uplink 10: expected 50–1000000/);
    expect(() => parseArgs(['--uplink', ''])).toThrow(/--uplink/);
    expect(() => parseArgs(['--loss', '150'])).toThrow(/--loss 150/);
    expect(() => parseArgs(['--delay', '-5'])).toThrow(/--delay -5/);
  });

  it('refuses shaping where it cannot hold: SFU or auto, several tabs per browser, a server of its own', () => {
    expect(() => parseArgs('--uplink 2500 --topology mesh,sfu'.split(' '))).toThrow(/mesh calls only.*livekit/);
    expect(() => parseArgs('--delay 20 --topology auto'.split(' '))).toThrow(/mesh calls only/);
    expect(() => parseArgs('--uplink 2500 --tabs 2'.split(' '))).toThrow(/--tabs 1/);
    expect(() => parseArgs('--loss 1 --url http://localhost:8787'.split(' '))).toThrow(/cannot use --url/);
    expect(parseArgs('--topology sfu --tabs 2'.split(' ')).shaping).toBeUndefined();
  });

  it('takes a noise amplitude for the clip, a whole number from 1 to 128', () => {
    expect(parseArgs(['--noise', '28']).video).toEqual({ width: 320, height: 240, fps: 15, noise: 28 });
    expect(parseArgs([]).video.noise).toBeUndefined();
    expect(() => parseArgs(['--noise', '0'])).toThrow(/--noise 0/);
    expect(() => parseArgs(['--noise', '12.5'])).toThrow(/whole number/);
  });
});

describe('the command line across hosts', () => {
  const env = { TALK_LOADTEST_AGENT_TOKEN: 'a-shared-secret-of-24ch' };

  it('reads --agents, --server-host and --lease, with the token from the environment', () => {
    const args = parseArgs('--agents 10.0.0.5:7700,10.0.0.6:7700 --server-host 10.0.0.1 --lease 20'.split(' '), env);
    expect(args).toMatchObject({
      agents: ['10.0.0.5:7700', '10.0.0.6:7700'],
      serverHost: '10.0.0.1',
      agentToken: env.TALK_LOADTEST_AGENT_TOKEN,
      leaseSeconds: 20,
    });
    expect(parseArgs([], env).agents).toBeUndefined();
  });

  it('refuses what a run over agents cannot do, saying why', () => {
    const agents = ['--agents', 'a:7700', '--server-host', '10.0.0.1'];
    expect(() => parseArgs(['--agents', 'a:7700'], env)).toThrow(/--server-host/);
    expect(() => parseArgs(agents, {})).toThrow(/TALK_LOADTEST_AGENT_TOKEN/);
    expect(parseArgs([...agents, '--topology', 'mesh,sfu,auto'], env).topologies).toEqual(['mesh', 'sfu', 'auto']);
    expect(() => parseArgs([...agents, '--uplink', '2000'], env)).toThrow(/cannot be combined/);
    expect(() => parseArgs([...agents, '--url', 'http://localhost:8787'], env)).toThrow(/cannot use --url/);
    expect(() => parseArgs(['--server-host', '10.0.0.1'], env)).toThrow(/go with --agents/);
  });
});
