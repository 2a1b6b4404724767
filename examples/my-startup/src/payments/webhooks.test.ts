import { describe, expect, it } from "vitest";
import { stripe } from "./stripe-client.js";
import { verifyEvent } from "./webhooks.js";

const payload = Buffer.from(JSON.stringify({ id: "evt_test_1", object: "event", type: "invoice.paid" }));

describe("verifyEvent", () => {
  it("accepts a correctly signed payload", () => {
    const header = stripe.webhooks.generateTestHeaderString({
      payload: payload.toString(),
      secret: process.env.STRIPE_WEBHOOK_SECRET as string,
    });
    expect(verifyEvent(payload, header).id).toBe("evt_test_1");
  });

  it("rejects a tampered payload", () => {
    const header = stripe.webhooks.generateTestHeaderString({
      payload: payload.toString(),
      secret: process.env.STRIPE_WEBHOOK_SECRET as string,
    });
    const tampered = Buffer.from(payload.toString().replace("invoice.paid", "invoice.voided"));
    expect(() => verifyEvent(tampered, header)).toThrow();
  });

  it("rejects a request without a signature header", () => {
    expect(() => verifyEvent(payload, undefined)).toThrow(/Stripe-Signature/);
  });
});
