/** One command of the command-line tool. */
export interface CliVerb {
  name: string;
  /** Arguments as shown in the help, e.g. "detect FILE.csv". */
  usage: string;
  summary: string;
  help?: string;
  /** Returns the process exit code. Only results go to stdout; messages go to stderr. */
  run(args: string[]): Promise<number>;
}

/** A failure the user can fix, reported on stderr without a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}
