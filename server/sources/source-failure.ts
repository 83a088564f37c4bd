/** A failed attempt to read a source, with a reason a viewer can read ("HTTP 503 from …"). */
export class SourceFailure extends Error {
  constructor(
    message: string,
    /** How long the source asked us to wait (Retry-After). */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** The page was read, and the figures are not in it (a page that draws them by script, say). */
export class FiguresMissing extends SourceFailure {}
