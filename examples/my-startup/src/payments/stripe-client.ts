// The one Stripe client, and the mapping from our users to Stripe customers.
import Stripe from "stripe";
import { config } from "../lib/config.js";
import { db } from "../lib/db.js";

export const STRIPE_API_VERSION = "2024-06-20";

export const stripe = new Stripe(config.stripeSecretKey, {
  apiVersion: STRIPE_API_VERSION,
  maxNetworkRetries: 2,
  timeout: 10_000,
});

/** The user's Stripe customer id, creating the customer on first use. */
export async function ensureCustomer(userId: string, email: string): Promise<string> {
  const existing = await db.query("SELECT stripe_customer_id FROM stripe_customers WHERE user_id = $1", [userId]);
  if (existing.rows.length > 0) {
    return existing.rows[0].stripe_customer_id;
  }
  const customer = await stripe.customers.create(
    { email, metadata: { user_id: userId } },
    { idempotencyKey: `customer-${userId}` },
  );
  await db.query(
    "INSERT INTO stripe_customers (user_id, stripe_customer_id) VALUES ($1, $2) ON CONFLICT (user_id) DO NOTHING",
    [userId, customer.id],
  );
  return customer.id;
}
