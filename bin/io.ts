// The CLI's view of the outside world (streams, environment), injectable so tests run main() in-process.
// Commands print only through this object.
import type { Readable } from 'node:stream';

export interface Sink {
  write(chunk: string): boolean | undefined | unknown;
  once?(event: 'drain' | 'error' | 'close', listener: (err?: Error) => void): unknown;
  removeListener?(event: 'drain' | 'error' | 'close', listener: (err?: Error) => void): unknown;
  destroyed?: boolean;
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
  // Without a listener, EPIPE (the reader of a pipe exited) is an uncaught 'error' event that
  // kills the process with a stack. With one, writes see `destroyed` and stop (writeWithBackpressure).
  process.stdout.on('error', () => {});
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
  };
}

function epipe(): NodeJS.ErrnoException {
  return Object.assign(new Error('write EPIPE: the reader closed the output'), { code: 'EPIPE' });
}

/**
 * Writes a chunk and waits for `drain` when the sink asks for it (backpressure on large outputs).
 * Rejects with EPIPE once the sink is closed or fails, so a long job stops instead of waiting forever.
 */
export function writeWithBackpressure(sink: Sink, chunk: string): Promise<void> | undefined {
  if (sink.destroyed) return Promise.reject(epipe());
  const ok = sink.write(chunk);
  if (ok !== false || !sink.once) return undefined;
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      sink.removeListener?.('drain', done);
      sink.removeListener?.('error', done);
      sink.removeListener?.('close', done);
      if (err || sink.destroyed) reject(err ?? epipe());
      else resolve();
    };
    sink.once?.('drain', done);
    sink.once?.('error', done);
    sink.once?.('close', done);
  });
}

/** Colour is used only on a TTY and never when NO_COLOR is set (https://no-color.org). */
export function useColor(io: Io, sink: Sink): boolean {
  return Boolean(sink.isTTY) && !io.env.NO_COLOR;
}
