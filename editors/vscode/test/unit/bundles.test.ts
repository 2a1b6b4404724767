import * as assert from "node:assert/strict";
import { test } from "node:test";

import { bundleNameProblem, bundlePickItems, loadMessage, saveMessage, suggestBundleName } from "../../src/bundles";
import type { FilePhase } from "../../src/statusTree";

test("bundle names: file names only", () => {
  assert.equal(bundleNameProblem("k8s-upgrade-plan"), undefined);
  assert.equal(bundleNameProblem("redis-caching-plan-v2"), undefined);
  assert.match(bundleNameProblem("  ") ?? "", /needs a name/);
  assert.match(bundleNameProblem("../evil") ?? "", /no `\/`/);
  assert.match(bundleNameProblem("a/b") ?? "", /no `\/`/);
  assert.match(bundleNameProblem("a b") ?? "", /letters, digits/);
});

test("the suggested name is <item>-<phase of the file>", () => {
  const fp: FilePhase = {
    root: "/r",
    flavor: "infrastructure-ops",
    item: { flavor: "infrastructure-ops", key: "k8s-upgrade", phases: [], current: "implement", blockers: [], artifacts: [], timeline: "" },
    phase: { id: "plan", title: "Plan", status: "done", detail: null, artifacts: [] },
  };
  assert.equal(suggestBundleName(fp), "k8s-upgrade-plan");
  assert.equal(suggestBundleName({ ...fp, phase: undefined }), "k8s-upgrade-implement");
  assert.equal(suggestBundleName(undefined), "");
});

test("list entries show stale bundles, type and tags", () => {
  const items = bundlePickItems([
    { name: "a-plan", uri: "file:///r/.agentops/bundles/a-plan.md", type: "plan", tags: ["x", "y"], stale: true },
    { name: "b-research", uri: "file:///r/.agentops/bundles/b-research.md", type: null, tags: null, stale: false },
  ]);
  assert.deepEqual(items[0], {
    label: "$(warning) a-plan",
    description: "plan #x #y",
    detail: "stale: a source changed since it was saved",
    name: "a-plan",
  });
  assert.equal(items[1].label, "b-research");
  assert.equal(items[1].description, "");
});

test("save and load messages", () => {
  assert.equal(
    saveMessage({ name: "a-plan", uri: "", sources: 2, original_tokens: 4000, compressed_tokens: 800, compression_ratio: 5 }),
    "Saved bundle a-plan: 2 sources, 4000 → 800 tokens (5.0:1).",
  );
  assert.deepEqual(loadMessage({ name: "a", uri: "", verified: true, changed: [] }), {
    text: "Loaded bundle a; its sources are unchanged.",
    warning: false,
  });
  assert.deepEqual(loadMessage({ name: "a", uri: "", verified: true, changed: ["p1", "p2", "p3", "p4"] }), {
    text: "Loaded bundle a; changed since it was saved: p1, p2, p3 and 1 more.",
    warning: true,
  });
  assert.equal(loadMessage({ name: "a", uri: "", verified: false, changed: [] }).warning, true);
});
