import * as assert from "node:assert/strict";
import { test } from "node:test";

import { noSpecsMessage, specPickItems } from "../../src/specs";

test("specsForPath answers become picks that open at the declaring line", () => {
  const range = { start: { line: 4, character: 2 }, end: { line: 4, character: 14 } };
  const items = specPickItems({
    path: "src/auth/login.ts",
    artifacts: [
      {
        uri: "file:///r/agentops/product-dev/specs/2025-11-06-user-authentication/spec.md",
        path: "agentops/product-dev/specs/2025-11-06-user-authentication/spec.md",
        flavor: "product-dev",
        kind: "spec",
        workItem: "2025-11-06-user-authentication",
        phase: "spec",
        relation: "produces",
        declared: "src/auth/**",
        done: false,
        range,
      },
      {
        uri: "file:///r/agentops/product-dev/specs/2025-11-06-user-authentication/tasks.md",
        path: "agentops/product-dev/specs/2025-11-06-user-authentication/tasks.md",
        flavor: "product-dev",
        kind: "tasks",
        workItem: "2025-11-06-user-authentication",
        phase: "implementation",
        relation: "produces",
        declared: "src/auth/login.ts",
        done: true,
        range: null,
      },
    ],
  });
  assert.deepEqual(items, [
    {
      label: "agentops/product-dev/specs/2025-11-06-user-authentication/spec.md",
      description: "produces src/auth/** · spec",
      detail: "product-dev / 2025-11-06-user-authentication — phase spec",
      uri: "file:///r/agentops/product-dev/specs/2025-11-06-user-authentication/spec.md",
      range,
    },
    {
      label: "agentops/product-dev/specs/2025-11-06-user-authentication/tasks.md",
      description: "produces src/auth/login.ts · tasks",
      detail: "product-dev / 2025-11-06-user-authentication — done",
      uri: "file:///r/agentops/product-dev/specs/2025-11-06-user-authentication/tasks.md",
      range: null,
    },
  ]);
});

test("no answer and no artifacts say different things", () => {
  assert.deepEqual(specPickItems(null), []);
  assert.match(noSpecsMessage(null, "x.ts"), /outside every agentops root/);
  assert.match(noSpecsMessage({ path: "src/x.ts", artifacts: [] }, "src/x.ts"), /No spec or plan produces or touches src\/x\.ts/);
});
