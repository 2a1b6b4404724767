import { describe, expect, it } from "vitest";
import { allowAttempt } from "./rate-limit.js";

describe("login rate limiting", () => {
  it("allows five attempts per window, then blocks", () => {
    const now = Date.UTC(2025, 10, 6, 9, 0, 0);
    for (let i = 0; i < 5; i++) {
      expect(allowAttempt("email:ana@example.com", now)).toBe(true);
    }
    expect(allowAttempt("email:ana@example.com", now)).toBe(false);
  });

  it("opens a new window after 15 minutes", () => {
    const now = Date.UTC(2025, 10, 6, 10, 0, 0);
    for (let i = 0; i < 6; i++) {
      allowAttempt("email:ben@example.com", now);
    }
    expect(allowAttempt("email:ben@example.com", now + 15 * 60 * 1000)).toBe(true);
  });
});
