import * as assert from "node:assert/strict";
import { test } from "node:test";

import { bundleNameProblem, bundlePickItems, loadMessage, saveMessage, suggestBundleName } from "../../src/bundles";
import type { FilePhase } from "../../src/statusTree";

test("bundle names: lowercase words, digits and hyphens", () => {
  assert.equal(bundleNameProblem("k8s-upgrade-plan"), undefined);
  assert.equal(bundleNameProblem("redis-caching-plan-v2"), undefined);
  assert.match(bundleNameProblem("  ") ?? "", /needs a name/);
  assert.match(bundleNameProblem("../evil") ?? "", /no `\/`/);
  assert.match(bundleNameProblem("a/b") ?? "", /no `\/`/);
  assert.match(bundleNameProblem("a b") ?? "", /lowercase letters/);
  assert.match(bundleNameProblem("K8s-plan") ?? "", /lowercase letters/);
  assert.match(bundleNameProblem("x.md") ?? "", /lowercase letters/);
  assert.match(bundleNameProblem("k8s--plan") ?? "", /between words/);
  assert.match(bundleNameProblem("-plan") ?? "", /between words/);
});

test("the suggested name: <work item>-<bundle type of the file's phase>", () => {
  const fp: FilePhase = {
    root: "/r",
    flavor: "infrastructure-ops",
    item: { flavor: "infrastructure-ops", key: "k8s-upgrade", phases: [], current: "implement", blockers: [], artifacts: [], timeline: "" },
    phase: { id: "plan", title: "Plan", status: "done", detail: null, artifacts: [] },
  };
  assert.equal(suggestBundleName(fp), "k8s-upgrade-plan");
  // No phase of its own: the item's current phase, `implement` being an implementation.
  assert.equal(suggestBundleName({ ...fp, phase: undefined }), "k8s-upgrade-implementation");
  // A phase that is no bundle type: the topic, for the user to finish.
  const spec = { ...fp, item: { ...fp.item, key: "2025-11-08-Notification_System" }, phase: { ...fp.phase!, id: "spec" } };
  assert.equal(suggestBundleName(spec), "2025-11-08-notification-system-");
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
