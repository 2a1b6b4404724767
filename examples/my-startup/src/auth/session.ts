// Server-side sessions: an opaque random token in an HttpOnly cookie, only
// its SHA-256 stored. Expiry slides forward on use, up to SESSION_TTL_DAYS.
import { createHash, randomBytes } from "node:crypto";
import { config } from "../lib/config.js";
import { db } from "../lib/db.js";

export interface Session {
  id: string;
  userId: string;
  expiresAt: Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function digest(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export async function createSession(userId: string): Promise<{ token: string; session: Session }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + config.sessionTtlDays * DAY_MS);
  const { rows } = await db.query(
    "INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3) RETURNING id",
    [digest(token), userId, expiresAt],
  );
  return { token, session: { id: rows[0].id, userId, expiresAt } };
}

export async function getSession(token: string): Promise<Session | null> {
  const expiresAt = new Date(Date.now() + config.sessionTtlDays * DAY_MS);
  const { rows } = await db.query(
    `UPDATE sessions SET expires_at = $2
       WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now()
     RETURNING id, user_id`,
    [digest(token), expiresAt],
  );
  if (rows.length === 0) {
    return null;
  }
  return { id: rows[0].id, userId: rows[0].user_id, expiresAt };
}

export async function revokeSession(token: string): Promise<void> {
  await db.query("UPDATE sessions SET revoked_at = now() WHERE token_hash = $1", [digest(token)]);
}

export async function revokeAllSessions(userId: string): Promise<void> {
  await db.query("UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL", [userId]);
}
