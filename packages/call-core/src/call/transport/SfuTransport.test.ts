import { describe, expect, it } from 'vitest';
import { sfuRoomOptions } from './SfuTransport.js';

describe('sfuRoomOptions', () => {
  it('caps the top video layer at the server-configured per-stream bitrate', () => {
    const options = sfuRoomOptions({ maxVideoBitrate: 750_000 });
    expect(options.publishDefaults?.videoEncoding?.maxBitrate).toBe(750_000);
    expect(options.publishDefaults?.simulcast).toBe(true);
  });

  it('keeps adaptive stream and dynacast on, so unseen layers are not sent', () => {
    const options = sfuRoomOptions({ maxVideoBitrate: 1_000_000 });
    expect(options.adaptiveStream).toBe(true);
    expect(options.dynacast).toBe(true);
  });
});
