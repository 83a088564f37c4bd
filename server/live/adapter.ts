import { createAdapter as createClusterAdapter } from '@socket.io/cluster-adapter';
import { createAdapter as createRedisAdapter } from '@socket.io/redis-adapter';
import type { Logger } from 'pino';
import { createClient } from 'redis';
import type { PotwatchIo } from './publisher.js';

/** How the Socket.IO servers of several processes reach each other. */
export type AdapterChoice =
  /** One process: rooms are in memory. */
  | { kind: 'memory' }
  /** Workers of one Node cluster, through the primary process. */
  | { kind: 'cluster' }
  /** Processes on any number of machines, through Redis pub/sub. */
  | { kind: 'redis'; url: string };

/** Installs the adapter; the returned function disconnects it. */
export async function attachAdapter(io: PotwatchIo, choice: AdapterChoice, logger: Logger): Promise<() => Promise<void>> {
  switch (choice.kind) {
    case 'memory':
      return async () => {};
    case 'cluster':
      io.adapter(createClusterAdapter());
      return async () => {};
    case 'redis': {
      const publisher = createClient({ url: choice.url });
      const subscriber = publisher.duplicate();
      for (const client of [publisher, subscriber]) {
        client.on('error', (error: Error) => logger.error({ err: error }, 'Redis connection failed'));
      }
      await Promise.all([publisher.connect(), subscriber.connect()]);
      io.adapter(createRedisAdapter(publisher, subscriber));
      return async () => {
        await Promise.allSettled([publisher.quit(), subscriber.quit()]);
      };
    }
  }
}
