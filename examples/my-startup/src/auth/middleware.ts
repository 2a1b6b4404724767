// Fastify preHandler: attaches the session's user, or answers 401.
import type { FastifyReply, FastifyRequest } from "fastify";
import { config } from "../lib/config.js";
import { getSession, type Session } from "./session.js";

declare module "fastify" {
  interface FastifyRequest {
    session?: Session;
  }
}

export async function requireSession(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const token = request.cookies?.[config.sessionCookieName];
  const session = token ? await getSession(token) : null;
  if (!session) {
    await reply.code(401).send({ error: "authentication required" });
    return;
  }
  request.session = session;
}
