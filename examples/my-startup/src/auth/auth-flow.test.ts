// End-to-end auth flow against the test database: signup → login → logout.
import { beforeEach, describe, expect, it } from "vitest";
import { buildTestApp } from "../../test/app.js";
import { resetTestDatabase } from "../../test/db-fixtures.js";

describe("auth flow", () => {
  beforeEach(resetTestDatabase);

  it("signs up, logs out and logs back in", async () => {
    const app = await buildTestApp();
    const signup = await app.inject({
      method: "POST",
      url: "/api/auth/signup",
      payload: { email: "Cleo@Example.com", password: "a long passphrase", name: "Cleo" },
    });
    expect(signup.statusCode).toBe(201);

    const logout = await app.inject({ method: "POST", url: "/api/auth/logout", cookies: signup.cookies.reduce((c, k) => ({ ...c, [k.name]: k.value }), {}) });
    expect(logout.statusCode).toBe(204);

    const login = await app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { email: "cleo@example.com", password: "a long passphrase" },
    });
    expect(login.statusCode).toBe(200);
  });

  it("answers a wrong password with the generic message", async () => {
    const app = await buildTestApp();
    const res = await app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { email: "nobody@example.com", password: "whatever it is" },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: "email or password is incorrect" });
  });
});
