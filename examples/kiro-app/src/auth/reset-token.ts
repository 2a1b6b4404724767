export const RESET_TTL_MINUTES = 30;
