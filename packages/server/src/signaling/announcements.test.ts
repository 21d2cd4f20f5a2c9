import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AnnouncementGate } from './announcements.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A gate whose held announcements run at once when their time comes, recording what went out. */
function gate() {
  const sent: string[] = [];
  const announcements = new AnnouncementGate(1_000, (task) => void task());
  const offer = (state: string, conversation = 'c') =>
    announcements.offer('raise-hand', conversation, state, async () => {
      sent.push(`${conversation}:${state}`);
    });
  return { announcements, sent, offer };
}

describe('AnnouncementGate', () => {
  it('sends the first at once, drops repeats within the interval, and sends a repeat after it', async () => {
    const { sent, offer } = gate();
    await offer('up');
    await offer('up');
    await offer('up');
    expect(sent).toEqual(['c:up']);
    await vi.advanceTimersByTimeAsync(1_000);
    await offer('up');
    expect(sent).toEqual(['c:up', 'c:up']);
  });

  it('holds a change that comes too soon and sends only the latest one when the interval ends', async () => {
    const { sent, offer } = gate();
    await offer('up');
    await offer('down');
    await offer('up');
    await offer('down');
    expect(sent).toEqual(['c:up']);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sent).toEqual(['c:up', 'c:down']);
  });

  it('drops a held change that was taken back, keeps conversations apart, and forgets a cleared one', async () => {
    const { announcements, sent, offer } = gate();
    await offer('up');
    await offer('down');
    await offer('up'); // back to what was sent: nothing to tell
    await offer('up', 'other');
    await offer('down', 'other');
    announcements.clear('other');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(sent).toEqual(['c:up', 'other:up']);
  });

  it('does not count an announcement whose sending failed', async () => {
    const announcements = new AnnouncementGate(1_000, (task) => void task());
    let sent = 0;
    const attempt = (fail: boolean) =>
      announcements.offer('typing', 'c', 'true', async () => {
        if (fail) throw new Error('not allowed');
        sent += 1;
      });
    await expect(attempt(true)).rejects.toThrow('not allowed');
    await attempt(false); // the same state again, at once: it was never sent, so it goes now
    expect(sent).toBe(1);
  });
});
