// Helpers for tests that talk to the throwaway test database (DATABASE_URL in CI).
import { db } from "../src/lib/db.js";
import { hashPassword } from "../src/auth/password.js";

export async function resetTestDatabase(): Promise<void> {
  await db.query("TRUNCATE sessions, users, stripe_customers RESTART IDENTITY CASCADE");
}

export async function insertTestUser(email: string): Promise<string> {
  const { rows } = await db.query(
    "INSERT INTO users (email, name, password_hash) VALUES ($1, $2, $3) RETURNING id",
    [email, email.split("@")[0], await hashPassword("test password 123")],
  );
  return rows[0].id;
}
