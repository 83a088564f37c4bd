import { EMBED_LANGUAGES, EMBED_THEMES, type EmbedLanguage, type EmbedTheme } from '../../../shared/embed-options.js';

/**
 * The messages an embed sends its host page. Two conventions newsrooms already use:
 * pym.js (`pymxPYMx<id>xPYMxheightxPYMx<px>`, id from the `childId` query parameter that
 * pym's parent adds) and a plain object `{"potwatch-height": px}`, plus the pot's title so
 * the host can name the frame for screen readers.
 */

const PYM = 'xPYMx';
const HEIGHT_KEY = 'potwatch-height';
const TITLE_KEY = 'potwatch-title';
const SET_KEY = 'potwatch-set';
const MAX_HEIGHT = 100_000;

export function pymMessage(childId: string, type: string, value: string | number): string {
  return ['pym', childId, type, String(value)].join(PYM);
}

export function heightMessage(height: number): { [HEIGHT_KEY]: number } {
  return { [HEIGHT_KEY]: height };
}

export function titleMessage(title: string): { [TITLE_KEY]: string } {
  return { [TITLE_KEY]: title };
}

/** A pym.js message addressed to `childId`: its type and value, or undefined. */
export function readPymMessage(data: unknown, childId: string): { type: string; value: string } | undefined {
  if (typeof data !== 'string') return undefined;
  const parts = data.split(PYM);
  if (parts.length !== 4 || parts[0] !== 'pym' || parts[1] !== childId) return undefined;
  return { type: parts[2]!, value: parts[3]! };
}

/** What a host page learns from one of our messages (an object, or the same as JSON text). */
export function readEmbedMessage(data: unknown): { height?: number; title?: string } | undefined {
  let value = data;
  if (typeof value === 'string' && value.startsWith('{')) {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const height = record[HEIGHT_KEY];
  const title = record[TITLE_KEY];
  const result: { height?: number; title?: string } = {};
  if (typeof height === 'number' && Number.isFinite(height) && height >= 0) result.height = Math.min(Math.ceil(height), MAX_HEIGHT);
  if (typeof title === 'string') result.title = title.slice(0, 300);
  return result.height !== undefined || result.title !== undefined ? result : undefined;
}

/**
 * What a host page may change in an embed while it runs, by posting to the frame's window
 * `{"potwatch-set": {"theme": "auto"|"light"|"dark", "lang": "en"|"fr"}}` (either key alone).
 */
export interface HostCommand {
  theme?: EmbedTheme;
  lang?: EmbedLanguage;
}

export function hostCommandMessage(command: HostCommand): { [SET_KEY]: HostCommand } {
  return { [SET_KEY]: command };
}

/** The host's command in a message, or undefined when it holds none we know. */
export function readHostCommand(data: unknown): HostCommand | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const command = (data as Record<string, unknown>)[SET_KEY];
  if (typeof command !== 'object' || command === null) return undefined;
  const { theme, lang } = command as Record<string, unknown>;
  const result: HostCommand = {};
  if ((EMBED_THEMES as readonly unknown[]).includes(theme)) result.theme = theme as EmbedTheme;
  if ((EMBED_LANGUAGES as readonly unknown[]).includes(lang)) result.lang = lang as EmbedLanguage;
  return result.theme !== undefined || result.lang !== undefined ? result : undefined;
}
