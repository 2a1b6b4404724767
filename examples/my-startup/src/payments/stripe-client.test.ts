import { beforeEach, describe, expect, it, vi } from "vitest";
import { resetTestDatabase, insertTestUser } from "../../test/db-fixtures.js";
import { ensureCustomer, stripe } from "./stripe-client.js";

describe("ensureCustomer", () => {
  beforeEach(resetTestDatabase);

  it("creates the Stripe customer once and reuses it", async () => {
    const create = vi.spyOn(stripe.customers, "create").mockResolvedValue({ id: "cus_test123" } as never);
    const userId = await insertTestUser("dana@example.com");

    expect(await ensureCustomer(userId, "dana@example.com")).toBe("cus_test123");
    expect(await ensureCustomer(userId, "dana@example.com")).toBe("cus_test123");
    expect(create).toHaveBeenCalledTimes(1);
  });

  it("passes an idempotency key derived from the user", async () => {
    const create = vi.spyOn(stripe.customers, "create").mockResolvedValue({ id: "cus_test456" } as never);
    const userId = await insertTestUser("eli@example.com");

    await ensureCustomer(userId, "eli@example.com");
    expect(create.mock.calls[0][1]).toEqual({ idempotencyKey: `customer-${userId}` });
  });
});
