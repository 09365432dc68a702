// What every command module gets: the I/O object and a slot for the action yargs selected.
// yargs only parses; main() runs the action, so every error is mapped in one place.
import type { Io } from './io.js';

export interface CommandContext {
  io: Io;
  /** Set by a command's handler; main() awaits it. Returns the exit code (default 0). */
  action?: () => Promise<number | undefined> | number | undefined;
  out(line: string): void;
  err(line: string): void;
}

export function createContext(io: Io): CommandContext {
  return {
    io,
    out: (line) => {
      io.stdout.write(`${line}\n`);
    },
    err: (line) => {
      io.stderr.write(`${line}\n`);
    },
  };
}
