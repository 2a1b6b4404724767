// POST /api/auth/signup: creates the account and signs the user in.
import type { FastifyInstance } from "fastify";
import { config } from "../lib/config.js";
import { db } from "../lib/db.js";
import { hashPassword, MIN_PASSWORD_LENGTH } from "./password.js";
import { createSession } from "./session.js";

export function registerSignupRoutes(app: FastifyInstance): void {
  app.post<{ Body: { email: string; password: string; name: string } }>("/api/auth/signup", async (request, reply) => {
    const email = request.body.email.trim().toLowerCase();
    if (request.body.password.length < MIN_PASSWORD_LENGTH) {
      return reply.code(400).send({ error: `password must be at least ${MIN_PASSWORD_LENGTH} characters` });
    }
    const passwordHash = await hashPassword(request.body.password);
    const { rows } = await db.query(
      "INSERT INTO users (email, name, password_hash) VALUES ($1, $2, $3) ON CONFLICT (email) DO NOTHING RETURNING id",
      [email, request.body.name, passwordHash],
    );
    if (rows.length === 0) {
      return reply.code(409).send({ error: "an account with this email already exists" });
    }
    const { token, session } = await createSession(rows[0].id);
    reply.setCookie(config.sessionCookieName, token, {
      httpOnly: true,
      secure: true,
      sameSite: "lax",
      path: "/",
      expires: session.expiresAt,
    });
    return reply.code(201).send({ userId: rows[0].id });
  });
}
