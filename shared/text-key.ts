/**
 * What makes two donor names or messages "the same" when repeats are counted: accents, case,
 * spacing and punctuation do not. The detector counts with it, and moderators' review groups
 * with it, so that a group matches the suggestion that pointed to it.
 */
export const textKey = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
