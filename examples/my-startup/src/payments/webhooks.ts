// POST /api/payments/webhook: Stripe events, signature-checked on the raw body.
// Still open (tasks 2.3-2.5): de-duplicating redelivered events and updating
// subscription state; until then events are verified, logged and acknowledged.
import type { FastifyInstance } from "fastify";
import type Stripe from "stripe";
import { config } from "../lib/config.js";
import { stripe } from "./stripe-client.js";

export const HANDLED_EVENTS = new Set<Stripe.Event.Type>([
  "checkout.session.completed",
  "invoice.paid",
  "invoice.payment_failed",
  "customer.subscription.deleted",
]);

export function verifyEvent(rawBody: Buffer, signature: string | undefined): Stripe.Event {
  if (!signature) {
    throw new Error("missing Stripe-Signature header");
  }
  return stripe.webhooks.constructEvent(rawBody, signature, config.stripeWebhookSecret);
}

export function registerWebhookRoutes(app: FastifyInstance): void {
  app.post(
    "/api/payments/webhook",
    { config: { rawBody: true } },
    async (request, reply) => {
      let event: Stripe.Event;
      try {
        event = verifyEvent(request.rawBody as Buffer, request.headers["stripe-signature"] as string | undefined);
      } catch (err) {
        request.log.warn({ err }, "rejected Stripe webhook");
        return reply.code(400).send({ error: "invalid signature" });
      }
      if (!HANDLED_EVENTS.has(event.type)) {
        return reply.code(200).send({ received: true, ignored: true });
      }
      request.log.info({ eventId: event.id, type: event.type }, "Stripe event received");
      return reply.code(200).send({ received: true });
    },
  );
}
