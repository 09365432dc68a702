// Error types of the rmmkit library: every expected failure is an RmmkitError with a stable code.
// The CLI (bin/main.ts) is the only place that turns these into messages and exit codes.

/** Severity of one validation finding. */
export type Severity = 'error' | 'warning' | 'info';

/** One finding of a validator: where (a key path such as `components[2].name`), what, how bad. */
export interface Issue {
  path: string;
  message: string;
  severity: Severity;
}

/** Base class of every error the library throws on purpose. `code` is stable; messages may change. */
export class RmmkitError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A command-line usage mistake (unknown flag, missing argument): the CLI exits 2. */
export class UsageError extends RmmkitError {
  constructor(message: string) {
    super('USAGE', message);
  }
}

/** Input that cannot be read or parsed: names the input and the place. */
export class InputError extends RmmkitError {
  readonly input: string;

  constructor(input: string, message: string, options?: { cause?: unknown; code?: string }) {
    super(options?.code ?? 'BAD_INPUT', `${input}: ${message}`, options);
    this.input = input;
  }
}

/** One or more validation issues of severity `error`; carries every issue found, not only the first. */
export class ValidationError extends RmmkitError {
  readonly issues: readonly Issue[];

  constructor(subject: string, issues: readonly Issue[]) {
    const errors = issues.filter((i) => i.severity === 'error');
    const lines = errors.map((i) => `  ${i.path || '(root)'}: ${i.message}`);
    super(
      'INVALID',
      `${subject} is not valid (${errors.length} error${errors.length === 1 ? '' : 's'}):\n${lines.join('\n')}`,
    );
    this.issues = issues;
  }
}
