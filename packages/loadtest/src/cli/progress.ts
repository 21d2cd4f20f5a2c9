import type { CallProgress } from '../run/call-run.js';

/** A one-line progress display on stderr: rewritten in place on a terminal, one line per update in a log. */
export function progressPrinter(label: string): (progress: CallProgress) => void {
  const tty = process.stderr.isTTY;
  return (progress) => {
    const figures =
      progress.upVideoMbps === undefined
        ? ''
        : `  up ${progress.upVideoMbps.toFixed(2)}  down ${progress.downVideoMbps!.toFixed(2)} Mbit/s per participant  CPU ${progress.cpuPercent!.toFixed(0)} %  (${progress.topology})`;
    const line = `[${label}] ${progress.phase} ${progress.elapsed}/${progress.total}${figures}`;
    process.stderr.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
    if (tty && progress.phase === 'measuring' && progress.elapsed === progress.total) process.stderr.write('\n');
  };
}
