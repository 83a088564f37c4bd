import type { SuggestionKind } from '../../../shared/suggestions.js';
import { t, type MessageKey } from './i18n.svelte.js';

const KIND_KEYS: Record<SuggestionKind, MessageKey> = {
  'too-regular': 'kindTooRegular',
  'night-surge': 'kindNightSurge',
  'freeze-catch-up': 'kindFreezeCatchUp',
  'sudden-jump': 'kindSuddenJump',
  'identical-small-gifts': 'kindIdenticalGifts',
  'duplicate-names': 'kindDuplicateNames',
};

/** The pattern's name in the viewer's language. */
export function kindText(kind: SuggestionKind): string {
  return t(KIND_KEYS[kind]);
}
