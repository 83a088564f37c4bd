import type { Annotation, AnnotationEvent } from '../../../shared/annotations.js';
import { LiveList } from './live-list.svelte.js';

const byMoment = (a: Annotation, b: Annotation) => a.at - b.at || a.id - b.id;

/** The context annotations of one pot, kept current by `annotation` events. */
export class PotAnnotations extends LiveList<Annotation> {
  constructor(potId: string) {
    super(potId, byMoment);
  }

  apply(event: AnnotationEvent): void {
    this.change(event.potId, event.annotation, event.removed === true);
  }
}
