/**
 * Context on a pot's chart: a moment and what happened then ("TV appeal", "the platform turned
 * on bot protection"), public, distinct from moderators' flags.
 */

export const MAX_ANNOTATION_LABEL = 120;

/** One text for every language, or one per language. */
export type AnnotationLabel = string | { fr: string; en: string };

export interface Annotation {
  id: number;
  potId: string;
  /** Epoch ms, UTC. */
  at: number;
  label: AnnotationLabel;
  url?: string;
}

/** An annotation added, changed, or (`removed`) taken off. */
export type AnnotationEvent =
  | { potId: string; annotation: Annotation; removed?: undefined }
  | { potId: string; annotation: { id: number }; removed: true };

/** The label in a language, falling back to the other one. */
export function annotationText(label: AnnotationLabel, lang: 'fr' | 'en'): string {
  return typeof label === 'string' ? label : label[lang] || label[lang === 'fr' ? 'en' : 'fr'];
}

/** An annotation a replay carries, added to its pot once. */
export interface ShippedAnnotation {
  /** Names it among the replay's, so that it is added once however often the replay starts. */
  key: string;
  at: number;
  label: { fr: string; en: string };
  url?: string;
}
