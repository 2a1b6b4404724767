// Builds the API with every route registered, for `app.inject` tests.
import cookie from "@fastify/cookie";
import Fastify, { type FastifyInstance } from "fastify";
import { registerLoginRoutes } from "../src/auth/login.js";
import { registerSignupRoutes } from "../src/auth/signup.js";
import { registerWebhookRoutes } from "../src/payments/webhooks.js";

export async function buildTestApp(): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(cookie);
  registerSignupRoutes(app);
  registerLoginRoutes(app);
  registerWebhookRoutes(app);
  await app.ready();
  return app;
}
