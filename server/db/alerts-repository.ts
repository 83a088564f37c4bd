import { DEFAULT_ALERT_LANGUAGE, type AlertEvent, type AlertKind } from '../../shared/alerts.js';
import type { Language } from '../../shared/languages.js';
import type { Database } from './database.js';

/** An alert as stored, secret included (it signs the webhook's deliveries). */
export interface StoredAlert {
  id: number;
  kind: AlertKind;
  target: string;
  secret: string | null;
  events: AlertEvent[];
  /** Null: every pot. */
  pots: string[] | null;
  milestoneEvery: number | null;
  /** The language its notices are written in. */
  lang: Language;
  createdBy: string;
  createdAt: number;
}

/** A new alert; without `lang`, it speaks the default language. */
export type NewAlert = Omit<StoredAlert, 'id' | 'lang'> & { lang?: Language };

/** An alert that wants a pot's milestones, with the highest amount of the pot it saw pass, if any. */
export interface MilestoneWatcher {
  alertId: number;
  milestoneEvery: number | null;
  lang: Language;
  mark: number | undefined;
}

interface AlertRow {
  id: number;
  kind: AlertKind;
  target: string;
  secret: string | null;
  events: string;
  pots: string | null;
  milestone_every: number | null;
  lang: Language;
  created_by: string;
  created_at: number;
}

const toAlert = (row: AlertRow): StoredAlert => ({
  id: row.id,
  kind: row.kind,
  target: row.target,
  secret: row.secret,
  events: JSON.parse(row.events) as AlertEvent[],
  pots: row.pots === null ? null : (JSON.parse(row.pots) as string[]),
  milestoneEvery: row.milestone_every,
  lang: row.lang,
  createdBy: row.created_by,
  createdAt: row.created_at,
});

/** The alerts admins configured, and the highest amount of each pot each alert saw pass. */
export class AlertsRepository {
  private readonly selectAll;
  private readonly selectById;
  private readonly selectSubscribed;
  private readonly insertRow;
  private readonly deleteRow;
  private readonly selectWatchers;
  private readonly upsertMark;

  constructor(db: Database) {
    this.selectAll = db.prepare<[], AlertRow>('SELECT * FROM alerts ORDER BY id');
    this.selectById = db.prepare<[number], AlertRow>('SELECT * FROM alerts WHERE id = ?');
    // Filtered in SQL, so that a write with no alert to tell costs one cheap query.
    this.selectSubscribed = db.prepare<[string, string], AlertRow>(
      `SELECT * FROM alerts
       WHERE EXISTS (SELECT 1 FROM json_each(alerts.events) WHERE value = ?)
         AND (pots IS NULL OR EXISTS (SELECT 1 FROM json_each(alerts.pots) WHERE value = ?))
       ORDER BY id`,
    );
    this.insertRow = db.prepare(
      `INSERT INTO alerts (kind, target, secret, events, pots, milestone_every, lang, created_by, created_at)
       VALUES (@kind, @target, @secret, @events, @pots, @milestoneEvery, @lang, @createdBy, @createdAt)`,
    );
    this.deleteRow = db.prepare('DELETE FROM alerts WHERE id = ?');
    // One query per stored batch, whatever the number of alerts: it runs in every ingest transaction.
    this.selectWatchers = db.prepare<[{ potId: string }], { id: number; milestone_every: number | null; lang: Language; reached_minor: number | null }>(
      `SELECT alerts.id, alerts.milestone_every, alerts.lang, marks.reached_minor FROM alerts
       LEFT JOIN alert_milestones AS marks ON marks.alert_id = alerts.id AND marks.pot_id = @potId
       WHERE EXISTS (SELECT 1 FROM json_each(alerts.events) WHERE value = 'milestone')
         AND (alerts.pots IS NULL OR EXISTS (SELECT 1 FROM json_each(alerts.pots) WHERE value = @potId))
       ORDER BY alerts.id`,
    );
    this.upsertMark = db.prepare(
      `INSERT INTO alert_milestones (alert_id, pot_id, reached_minor) VALUES (?, ?, ?)
       ON CONFLICT (alert_id, pot_id) DO UPDATE SET reached_minor = max(reached_minor, excluded.reached_minor)`,
    );
  }

  all(): StoredAlert[] {
    return this.selectAll.all().map(toAlert);
  }

  get(id: number): StoredAlert | undefined {
    const row = this.selectById.get(id);
    return row && toAlert(row);
  }

  /** The alerts that want to hear of `event` on `potId`. */
  subscribedTo(event: AlertEvent, potId: string): StoredAlert[] {
    return this.selectSubscribed.all(event, potId).map(toAlert);
  }

  insert(alert: NewAlert): StoredAlert {
    const stored = { ...alert, lang: alert.lang ?? DEFAULT_ALERT_LANGUAGE };
    const { lastInsertRowid } = this.insertRow.run({
      ...stored,
      events: JSON.stringify(alert.events),
      pots: alert.pots === null ? null : JSON.stringify(alert.pots),
    });
    return { ...stored, id: Number(lastInsertRowid) };
  }

  /** Deletes an alert (and its milestone marks); false when there was none. */
  remove(id: number): boolean {
    return this.deleteRow.run(id).changes === 1;
  }

  /** The alerts that want the pot's milestones, with their marks. */
  milestoneWatchers(potId: string): MilestoneWatcher[] {
    return this.selectWatchers
      .all({ potId })
      .map((row) => ({ alertId: row.id, milestoneEvery: row.milestone_every, lang: row.lang, mark: row.reached_minor ?? undefined }));
  }

  /** Raises the mark (never lowers it). */
  raiseMilestoneMark(alertId: number, potId: string, reachedMinor: number): void {
    this.upsertMark.run(alertId, potId, reachedMinor);
  }
}
