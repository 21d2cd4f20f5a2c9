import { describe, expect, it } from 'vitest';
import { sniffContentType } from './sniff.js';

describe('sniffContentType', () => {
  it('knows images and documents by their magic numbers', () => {
    expect(sniffContentType(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]))).toBe('image/png');
    expect(sniffContentType(new TextEncoder().encode('%PDF-1.7\n'))).toBe('application/pdf');
    expect(sniffContentType(new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
  });

  it('calls HTML text/plain, whatever the client said, and binary junk octet-stream', () => {
    expect(sniffContentType(new TextEncoder().encode('<html><script>alert(1)</script>'))).toBe(
      'text/plain; charset=utf-8',
    );
    expect(sniffContentType(Uint8Array.from([0x00, 0x01, 0x02, 0xff]))).toBe('application/octet-stream');
  });
});
