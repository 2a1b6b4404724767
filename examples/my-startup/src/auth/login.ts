// POST /api/auth/login and POST /api/auth/logout.
import type { FastifyInstance } from "fastify";
import { config } from "../lib/config.js";
import { db } from "../lib/db.js";
import { verifyPassword } from "./password.js";
import { allowAttempt, resetAttempts } from "./rate-limit.js";
import { createSession, revokeSession } from "./session.js";

const GENERIC_FAILURE = { error: "email or password is incorrect" };

export function registerLoginRoutes(app: FastifyInstance): void {
  app.post<{ Body: { email: string; password: string } }>("/api/auth/login", async (request, reply) => {
    const email = request.body.email.trim().toLowerCase();
    if (!allowAttempt(`email:${email}`) || !allowAttempt(`ip:${request.ip}`)) {
      return reply.code(429).send({ error: "too many attempts, try again in 15 minutes" });
    }
    const { rows } = await db.query("SELECT id, password_hash FROM users WHERE email = $1", [email]);
    const user = rows[0];
    if (!user || !(await verifyPassword(request.body.password, user.password_hash))) {
      return reply.code(401).send(GENERIC_FAILURE);
    }
    resetAttempts(`email:${email}`);
    const { token, session } = await createSession(user.id);
    reply.setCookie(config.sessionCookieName, token, {
      httpOnly: true,
      secure: true,
      sameSite: "lax",
      path: "/",
      expires: session.expiresAt,
    });
    return { userId: user.id };
  });

  app.post("/api/auth/logout", async (request, reply) => {
    const token = request.cookies?.[config.sessionCookieName];
    if (token) {
      await revokeSession(token);
    }
    reply.clearCookie(config.sessionCookieName, { path: "/" });
    return reply.code(204).send();
  });
}
