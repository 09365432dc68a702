// The CLI's view of the outside world (streams, environment), injectable so tests run main() in-process.
// Commands print only through this object.
import type { Readable } from 'node:stream';

export interface Sink {
  write(chunk: string): boolean | undefined | unknown;
  once?(event: 'drain', listener: () => void): unknown;
  isTTY?: boolean;
}

export interface Io {
  stdout: Sink;
  stderr: Sink;
  stdin: Readable | AsyncIterable<Buffer | string>;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** The real process streams. */
export function processIo(): Io {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
  };
}

/** Writes a chunk and waits for `drain` when the sink asks for it (backpressure on large outputs). */
export function writeWithBackpressure(sink: Sink, chunk: string): Promise<void> | undefined {
  const ok = sink.write(chunk);
  if (ok === false && sink.once) {
    return new Promise((resolve) => sink.once?.('drain', resolve));
  }
  return undefined;
}

/** Colour is used only on a TTY and never when NO_COLOR is set (https://no-color.org). */
export function useColor(io: Io, sink: Sink): boolean {
  return Boolean(sink.isTTY) && !io.env.NO_COLOR;
}
