// One shared Postgres pool; every module queries through `db`.
import pg from "pg";
import { config } from "./config.js";

export const db = new pg.Pool({
  connectionString: config.databaseUrl,
  max: 10,
});

export async function withTransaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await db.connect();
  try {
    await client.query("BEGIN");
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK");
    throw err;
  } finally {
    client.release();
  }
}
