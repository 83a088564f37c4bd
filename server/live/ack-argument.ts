/**
 * Socket.IO passes the acknowledgement callback as the last argument, wherever that falls:
 * reading it from there answers a client that sent no payload, or more than one, instead of
 * leaving it waiting for an answer that never comes.
 */
export function splitAck<Answer>(args: readonly unknown[]): { payload: unknown; ack: ((answer: Answer) => void) | undefined } {
  const last = args[args.length - 1];
  if (typeof last !== 'function') return { payload: args[0], ack: undefined };
  return { payload: args.length > 1 ? args[0] : undefined, ack: last as (answer: Answer) => void };
}
