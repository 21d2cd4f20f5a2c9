// Moving pictures without a camera: canvases drawn on a timer and captured as video tracks. A canvas stream is
// the one source of video a page can make by itself, so the catalog shows live tiles on any machine.

/** What a synthetic camera shows: a person's initials on their colour, bobbing as if they moved. */
export interface CameraPicture {
  /** The name whose initials are drawn. */
  displayName: string;
  /** The background colour, any CSS colour. */
  color: string;
}

/** Frames per second of the synthetic tracks: enough to look alive, little enough for many tiles at once. */
const FPS = 15;

/**
 * Draws `paint` into a `width`×`height` canvas every frame and returns the canvas as a video track. Drawing stops
 * once the track has ended (someone called `stop()`), so a track that nobody shows costs nothing.
 */
function canvasTrack(width: number, height: number, paint: (g: CanvasRenderingContext2D, t: number) => void) {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const g = canvas.getContext('2d');
  if (!g) throw new Error('This browser has no 2D canvas to draw synthetic video with');
  const track = canvas.captureStream(FPS).getVideoTracks()[0];
  if (!track) throw new Error('This browser cannot capture a canvas as video');
  const started = performance.now();
  const draw = () => paint(g, (performance.now() - started) / 1000);
  draw();
  const timer = setInterval(() => {
    if (track.readyState === 'ended') clearInterval(timer);
    else draw();
  }, 1000 / FPS);
  return track;
}

/** The initials of a name: the first letter of its first and last words, in any script. */
export function initialsOf(displayName: string): string {
  const words = displayName.trim().split(/\s+/).filter(Boolean);
  const first = [...(words[0] ?? '?')][0] ?? '?';
  const last = words.length > 1 ? ([...(words.at(-1) ?? '')][0] ?? '') : '';
  return (first + last).toUpperCase();
}

/** A camera track showing `picture`: a soft gradient, the initials in a circle, and a ring that pulses. */
export function syntheticCamera(picture: CameraPicture): MediaStreamTrack {
  const initials = initialsOf(picture.displayName);
  return canvasTrack(320, 240, (g, t) => {
    const { width, height } = g.canvas;
    const gradient = g.createLinearGradient(0, 0, width, height);
    gradient.addColorStop(0, picture.color);
    gradient.addColorStop(1, '#101418');
    g.fillStyle = gradient;
    g.fillRect(0, 0, width, height);
    const x = width / 2 + Math.sin(t * 0.9) * 18;
    const y = height / 2 + Math.sin(t * 1.7) * 8;
    g.strokeStyle = 'rgba(255, 255, 255, 0.35)';
    g.lineWidth = 4;
    g.beginPath();
    g.arc(x, y, 62 + Math.sin(t * 4) * 4, 0, Math.PI * 2);
    g.stroke();
    g.fillStyle = 'rgba(255, 255, 255, 0.9)';
    g.beginPath();
    g.arc(x, y, 54, 0, Math.PI * 2);
    g.fill();
    g.fillStyle = picture.color;
    g.font = 'bold 44px sans-serif';
    g.textAlign = 'center';
    g.textBaseline = 'middle';
    g.fillText(initials, x, y + 2);
  });
}

/** A shared screen: a slide titled `title` with a bar chart that grows and a pointer that wanders over it. */
export function syntheticScreen(title: string): MediaStreamTrack {
  return canvasTrack(1280, 720, (g, t) => {
    const { width, height } = g.canvas;
    g.fillStyle = '#f6f7f9';
    g.fillRect(0, 0, width, height);
    g.fillStyle = '#0082c9';
    g.fillRect(0, 0, width, 96);
    g.fillStyle = '#fff';
    g.font = 'bold 44px sans-serif';
    g.textAlign = 'start';
    g.textBaseline = 'middle';
    g.fillText(title, 56, 50);
    g.fillStyle = '#333';
    g.font = '28px sans-serif';
    ['Ship the embeddable chat', 'Calls switch to the SFU at five', 'Every string translated'].forEach((line, i) => {
      g.fillText(`•  ${line}`, 72, 180 + i * 56);
    });
    const bars = [0.45, 0.7, 0.55, 0.9, 0.65];
    bars.forEach((share, i) => {
      const grow = Math.min(1, (t % 8) / 3);
      const barHeight = share * 360 * grow;
      g.fillStyle = i === 3 ? '#0082c9' : '#9cc9e6';
      g.fillRect(720 + i * 96, 640 - barHeight, 64, barHeight);
    });
    // The pointer: a small arrow drifting in a figure of eight.
    const px = 860 + Math.sin(t * 0.8) * 220;
    const py = 420 + Math.sin(t * 1.6) * 120;
    g.fillStyle = '#111';
    g.beginPath();
    g.moveTo(px, py);
    g.lineTo(px + 18, py + 26);
    g.lineTo(px + 7, py + 24);
    g.lineTo(px, py + 36);
    g.closePath();
    g.fill();
    g.fillStyle = '#888';
    g.font = '20px sans-serif';
    g.fillText(new Date().toLocaleTimeString('en-GB'), 56, height - 36);
  });
}

/** Makes silent microphone tracks from one AudioContext, created on first use. */
export class SilentAudio {
  #context: AudioContext | null = null;

  /** A live audio track that carries silence. */
  track(): MediaStreamTrack {
    this.#context ??= new AudioContext();
    const track = this.#context.createMediaStreamDestination().stream.getAudioTracks()[0];
    if (!track) throw new Error('This browser cannot make an audio track from Web Audio');
    return track;
  }

  /** Closes the AudioContext. */
  close(): void {
    void this.#context?.close().catch(() => {});
    this.#context = null;
  }
}
