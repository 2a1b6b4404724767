import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "./password.js";

describe("password hashing", () => {
  it("verifies the password it hashed", async () => {
    const stored = await hashPassword("correct horse battery");
    expect(await verifyPassword("correct horse battery", stored)).toBe(true);
  });

  it("rejects a wrong password", async () => {
    const stored = await hashPassword("correct horse battery");
    expect(await verifyPassword("correct horse staple", stored)).toBe(false);
  });

  it("refuses passwords shorter than 12 characters", async () => {
    await expect(hashPassword("short")).rejects.toThrow(/at least 12/);
  });
});
