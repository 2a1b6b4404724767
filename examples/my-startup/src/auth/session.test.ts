import { beforeEach, describe, expect, it } from "vitest";
import { createSession, getSession, revokeSession } from "./session.js";
import { resetTestDatabase, insertTestUser } from "../../test/db-fixtures.js";

describe("sessions", () => {
  let userId: string;

  beforeEach(async () => {
    await resetTestDatabase();
    userId = await insertTestUser("ana@example.com");
  });

  it("resolves a fresh token to its user", async () => {
    const { token } = await createSession(userId);
    expect((await getSession(token))?.userId).toBe(userId);
  });

  it("forgets a revoked token", async () => {
    const { token } = await createSession(userId);
    await revokeSession(token);
    expect(await getSession(token)).toBeNull();
  });

  it("does not resolve an unknown token", async () => {
    expect(await getSession("not-a-token")).toBeNull();
  });
});
