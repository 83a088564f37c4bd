type Handler = (payload: any) => unknown;

/**
 * The child side of BenchChild: answers the parent's requests with `handlers`, exits when
 * asked to stop, when the parent goes away, or when its lifetime is over.
 */
export function serveParent(handlers: Record<string, Handler>, onStop: () => Promise<void> | void = () => {}): void {
  const lifetime = Number(process.env.BENCH_CHILD_LIFETIME_MS ?? 600_000);
  setTimeout(() => {
    process.stderr.write(`bench child ${process.pid}: lifetime of ${lifetime} ms is over, exiting\n`);
    process.exit(3);
  }, lifetime).unref();

  const stop = async () => {
    try {
      await onStop();
    } finally {
      process.exit(0);
    }
  };
  process.on('disconnect', () => void stop());
  process.on('message', async (message: { id: number; command: string; payload: unknown }) => {
    if (message.command === 'stop') {
      process.send?.({ id: message.id, result: null });
      await stop();
      return;
    }
    const handler = handlers[message.command];
    try {
      if (!handler) throw new Error(`unknown command ${message.command}`);
      const result = await handler(message.payload);
      process.send?.({ id: message.id, result: result ?? null });
    } catch (error) {
      process.send?.({ id: message.id, error: (error as Error).stack ?? String(error) });
    }
  });
}

/** Tells the parent that this child is ready, with what it needs to know (a port, a pid…). */
export function announceReady(info: unknown = null): void {
  process.send?.({ ready: info });
}
