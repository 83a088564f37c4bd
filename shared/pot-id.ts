/** A pot's id, as it appears in its addresses. No zod here: the embed uses it. */
export const POT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;
