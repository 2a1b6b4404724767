// Fixed-window limiter for login attempts, keyed by email and by IP.
// In memory: good for one API replica per zone; see the spec's notes.

const WINDOW_MS = 15 * 60 * 1000;
const MAX_ATTEMPTS = 5;

const attempts = new Map<string, { count: number; windowStart: number }>();

export function allowAttempt(key: string, now = Date.now()): boolean {
  const entry = attempts.get(key);
  if (!entry || now - entry.windowStart >= WINDOW_MS) {
    attempts.set(key, { count: 1, windowStart: now });
    return true;
  }
  entry.count += 1;
  return entry.count <= MAX_ATTEMPTS;
}

export function resetAttempts(key: string): void {
  attempts.delete(key);
}
