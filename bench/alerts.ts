import path from 'node:path';
import { pino } from 'pino';
import { fetch } from 'undici';
import { potConfigSchema } from '../shared/pot-config.js';
import { DELIVERY_HEADER, EVENT_HEADER } from '../shared/alerts.js';
import { AlertNotices } from '../server/alerts/alert-notices.js';
import { AlertTriggers } from '../server/alerts/alert-triggers.js';
import { AlertsRepository } from '../server/db/alerts-repository.js';
import { closeDatabase, openDatabase } from '../server/db/database.js';
import { OutboxRepository } from '../server/db/outbox-repository.js';
import { PotsRepository } from '../server/db/pots-repository.js';
import { ReadingsRepository } from '../server/db/readings-repository.js';
import { Ingest } from '../server/ingest/ingest.js';
import { SIGNATURE_HEADER, signBody } from '../server/ingest/webhook.js';
import { Outbox } from '../server/outbox/outbox.js';
import { startPotwatch } from '../server/potwatch.js';
import { startAlertReceiver } from '../tests/helpers/alert-receiver.js';
import { makeTempDir } from '../tests/helpers/temp-dir.js';
import { distribution, round, type Distribution } from './lib/stats.js';
import { BENCH_SECRET, benchPot, WebhookClient } from './lib/webhook-client.js';

export interface AlertsBenchResult {
  /** Milestone alerts, one per reading: from the reading sent to the webhook to the alert at the receiver, ms. */
  delivery: Distribution;
  /** The webhook's own round trip in the same samples (the reading sent, its answer received), ms. */
  webhook: Distribution;
  /** From the webhook's answer to the alert at the receiver (negative: the alert arrived first), ms. */
  afterAnswer: Distribution;
  /** The same receiver sent the same signed body directly: what one POST costs on loopback, ms. */
  bare: Distribution;
  /** Delivery over bare, p50 and p99. */
  overhead: { p50: number; p99: number };
  ingest: {
    /** Readings per second stored one per transaction, with no alert. */
    withoutAlerts: number;
    /** The same with `alerts` milestone alerts watching the pot, none of them firing (the usual case). */
    watched: number;
    /** The same with `alerts` milestone alerts each firing at every reading (the worst case). */
    firing: number;
    alerts: number;
    /** watched / withoutAlerts and firing / withoutAlerts. */
    ratios: { watched: number; firing: number };
  };
}

const POT_ID = 'alerts';

/** Time from a committed reading to its milestone alert at a local webhook receiver, and what queuing alerts costs ingest. */
export async function benchAlerts(options: { samples: number; readings: number }): Promise<AlertsBenchResult> {
  const temp = makeTempDir('potwatch-bench-');
  const receiver = await startAlertReceiver();
  const server = await startPotwatch({
    databasePath: path.join(temp.dir, 'potwatch.db'),
    port: 0,
    host: '127.0.0.1',
    demo: false,
    pots: [potConfigSchema.parse(benchPot(POT_ID))],
    logger: pino({ level: 'silent' }),
    sourcesAllowHosts: ['127.0.0.1'],
  });
  const client = new WebhookClient(server.url, POT_ID);
  try {
    const secret = 'bench-alert-secret-0123456789';
    receiver.expectSecret(secret);
    new AlertsRepository(server.db).insert({
      kind: 'webhook',
      target: `${receiver.url}/hook`,
      secret,
      events: ['milestone'],
      pots: null,
      milestoneEvery: 1,
      createdBy: 'bench',
      createdAt: Date.now(),
    });
    const first = Date.now() - options.samples * 1000;
    const delivery: number[] = [];
    const webhook: number[] = [];
    const afterAnswer: number[] = [];
    for (let k = 1; k <= options.samples; k++) {
      const sentAt = Date.now();
      const answer = await client.post(JSON.stringify({ at: first + k * 1000, amount: k, contributors: k }));
      if (answer.status !== 200) throw new Error(`alerts: webhook answered ${answer.status}: ${answer.body}`);
      const answeredAt = Date.now();
      webhook.push(answeredAt - sentAt);
      const arrivedAt = await arrival(receiver.tries, k);
      delivery.push(arrivedAt - sentAt);
      afterAnswer.push(arrivedAt - answeredAt);
    }
    const bare: number[] = [];
    for (let k = 0; k < options.samples; k++) {
      const body = JSON.stringify(receiver.tries[k]!.notice);
      const sentAt = Date.now();
      const response = await fetch(`${receiver.url}/hook`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', [EVENT_HEADER]: 'milestone', [DELIVERY_HEADER]: `bare-${k}`, [SIGNATURE_HEADER]: signBody(body, secret) },
      });
      await response.body?.cancel();
      bare.push(receiver.tries[receiver.tries.length - 1]!.receivedAt - sentAt);
    }
    const deliveryStats = distribution(delivery);
    const bareStats = distribution(bare);
    return {
      delivery: deliveryStats,
      webhook: distribution(webhook),
      afterAnswer: distribution(afterAnswer),
      bare: bareStats,
      overhead: { p50: round(deliveryStats.p50 / Math.max(bareStats.p50, 0.01), 1), p99: round(deliveryStats.p99 / Math.max(bareStats.p99, 0.01), 1) },
      ingest: ingestCost(temp.dir, options.readings),
    };
  } finally {
    client.close();
    await server.close();
    await receiver.close();
    temp.remove();
  }
}

/** Waits for the milestone alert of EUR `euros` at the receiver; resolves with its arrival time. */
async function arrival(tries: Array<{ notice: { event: string }; receivedAt: number }>, euros: number): Promise<number> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = tries.find((entry) => entry.notice.event === 'milestone' && (entry.notice as unknown as { milestone: number }).milestone === euros);
    if (found) return found.receivedAt;
    if (Date.now() > deadline) throw new Error(`alerts: the milestone of EUR ${euros} did not arrive`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Readings per second through Ingest, one per transaction, without alerts and with `ALERTS` alerts firing at every reading. */
function ingestCost(dir: string, readings: number): AlertsBenchResult['ingest'] {
  const ALERTS = 10;
  let run = 0;
  const rate = (alerts: number, milestoneEvery: number): number => {
    const db = openDatabase(path.join(dir, `ingest-${run++}.db`));
    try {
      const pot = potConfigSchema.parse(benchPot(POT_ID));
      new PotsRepository(db).syncFilePots([pot]);
      const repository = new ReadingsRepository(db);
      const ingest = new Ingest(db, repository, [pot]);
      const alertsRepository = new AlertsRepository(db);
      const triggers = new AlertTriggers({
        db,
        alerts: alertsRepository,
        outbox: new Outbox(new OutboxRepository(db)),
        notices: new AlertNotices(() => 'https://potwatch.example.org'),
        pot: () => pot,
        latest: (potId) => repository.latest(potId),
        now: Date.now,
      });
      ingest.onStoring((potId, before, inserted) => triggers.readingsStored(potId, before, inserted));
      for (let k = 0; k < alerts; k++) {
        alertsRepository.insert({ kind: 'webhook', target: 'https://hooks.example/x', secret: BENCH_SECRET, events: ['milestone'], pots: null, milestoneEvery, createdBy: 'bench', createdAt: 0 });
      }
      const first = Date.now() - readings * 1000;
      const started = performance.now();
      for (let k = 1; k <= readings; k++) {
        ingest.submit(POT_ID, { readings: [{ at: first + k * 1000, amountMinor: k * 100, contributors: k }] });
      }
      return readings / ((performance.now() - started) / 1000);
    } finally {
      closeDatabase(db);
    }
  };
  const withoutAlerts = rate(0, 1);
  const watched = rate(ALERTS, 1e9);
  const firing = rate(ALERTS, 1);
  return {
    withoutAlerts: round(withoutAlerts, 0),
    watched: round(watched, 0),
    firing: round(firing, 0),
    alerts: ALERTS,
    ratios: { watched: round(watched / withoutAlerts, 2), firing: round(firing / withoutAlerts, 2) },
  };
}
