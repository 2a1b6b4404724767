"""Starting work, as a user does it, with the VS Code and Neovim capability
profiles: a roadmap item's code action and Advance on the roadmap, the editor
commands "New spec / research / plan" (`agentops.new`), `/plan <research>`
seeded from the research, and templates whose titles and counts are true."""

from __future__ import annotations

import re

from lsprotocol import types

from conftest import AgentopsClient

ROADMAP = "agentops/product-dev/product/roadmap.md"
NOTIFY_SPEC = "agentops/product-dev/specs/2025-11-08-notification-system/spec.md"
K8S_RESEARCH = "agentops/infrastructure-ops/research/k8s-upgrade-research.md"


async def actions_at(c: AgentopsClient, uri: str, line: int) -> list[types.CodeAction]:
    at = types.Position(line=line, character=4)
    found = await c.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=types.Range(start=at, end=at),
        context=types.CodeActionContext(diagnostics=[])))
    return [a for a in found or [] if isinstance(a, types.CodeAction)]


def line_of(text: str, start: str) -> int:
    return next(i for i, l in enumerate(text.split("\n")) if l.startswith(start))


async def command(c: AgentopsClient, name: str, **args) -> dict:
    return await c.raw_request("workspace/executeCommand", {"command": name, "arguments": [args]})


async def test_a_roadmap_item_starts_its_spec(push_or_pull: AgentopsClient):
    c = push_or_pull
    text = (c.workspace / ROADMAP).read_text(encoding="utf-8")
    uri = c.open(ROADMAP, text)
    await c.settle()
    # An item whose spec folder exists (2025-11-07-payment-integration): nothing to start.
    started = await actions_at(c, uri, line_of(text, "2. [ ] Payment integration"))
    assert not [a for a in started if a.title.startswith("Start")], [a.title for a in started]
    [start] = [a for a in await actions_at(c, uri, line_of(text, "4. [ ] Class scheduling"))
               if a.title.startswith("Start")]
    m = re.fullmatch(
        r"Start Spec requirements: create agentops/product-dev/specs/(\d{4}-\d\d-\d\d)-class-scheduling/planning/requirements\.md",
        start.title)
    assert m, start.title
    create, fill = start.edit.document_changes
    assert isinstance(create, types.CreateFile) and create.options.overwrite is False
    new = fill.edits[0].new_text
    assert new.startswith("# Spec Requirements: Class scheduling\n"), new
    # The item is the idea, without its effort estimate.
    assert ("## Initial Description\nClass scheduling — Recurring classes with capacity, bookings against "
            "a membership's entitlement and a waitlist.\n") in new, new

    # :AgentopsAdvance on the roadmap starts the first open item not started.
    r = await command(c, "agentops.advancePhase", uri=uri)
    assert r["applied"] is True, r
    assert r["uri"].endswith("-class-scheduling/planning/requirements.md"), r
    assert r["title"].startswith("Start Spec requirements"), r


async def test_advance_on_the_roadmap_starts_the_item_under_the_cursor(push_or_pull: AgentopsClient):
    c = push_or_pull
    text = (c.workspace / ROADMAP).read_text(encoding="utf-8")
    uri = c.open(ROADMAP, text)
    await c.settle()
    # The cursor on the fifth item, after its multi-byte dash: that item, not the first open one.
    line = line_of(text, "5. [ ] Team accounts")
    at = {"line": line, "character": len("5. [ ] Team accounts — Several")}
    r = await command(c, "agentops.advancePhase", uri=uri, position=at)
    assert r["applied"] is True, r
    assert r["uri"].endswith("-team-accounts/planning/requirements.md"), r
    # On an item whose work exists: said, nothing created.
    at = {"line": line_of(text, "2. [ ] Payment integration"), "character": 8}
    r = await command(c, "agentops.advancePhase", uri=uri, position=at)
    assert r["applied"] is False and "`Payment integration` has started already" in r["reason"], r


async def test_new_spec_research_and_plan_commands(push_or_pull: AgentopsClient):
    c = push_or_pull
    spec = c.open(NOTIFY_SPEC)
    research = c.open(K8S_RESEARCH)
    await c.settle()
    # "New spec" beside a product-dev file: the spec folder, from its requirements.
    r = await command(c, "agentops.new", kind="spec", title="Team invites", uri=spec)
    assert r["applied"] is True, r
    assert re.search(r"/agentops/product-dev/specs/\d{4}-\d\d-\d\d-team-invites/planning/requirements\.md$", r["uri"]), r
    said = await c.wait_until(
        lambda: [m.message for m in c.messages if "created requirements.md" in m.message],
        what="a showMessage naming the created file")
    assert said, said
    # "New research" with no document: the first flavor in use that has research.
    r = await command(c, "agentops.new", kind="research", title="Cache warming", uri=research)
    assert r["applied"] is True, r
    assert r["uri"].endswith("/agentops/infrastructure-ops/research/cache-warming-research.md"), r
    # "New plan": a plan alone (its research is other work, linked by a field).
    r = await command(c, "agentops.new", kind="plan", title="Edge cache", uri=research)
    assert r["applied"] is True, r
    assert r["uri"].endswith("/agentops/infrastructure-ops/plans/edge-cache-plan.md"), r
    # What cannot be made is said, not guessed.
    r = await command(c, "agentops.new", kind="nonsense", title="X", uri=research)
    assert r["applied"] is False and "nonsense" in r["reason"], r
    r = await command(c, "agentops.new", kind="research", title="  !! ", uri=research)
    assert r["applied"] is False and "title" in r["reason"], r


async def test_templates_are_titled_counted_and_seeded(push_or_pull: AgentopsClient):
    c = push_or_pull
    spec = c.open(NOTIFY_SPEC)
    await c.settle()
    # Tasks take the work item's name, never another kind's title, and count their tasks.
    found = await command(c, "agentops.createArtifact", uri=spec, kind="tasks")
    assert found["applied"] is True, found
    # The text the client was asked to apply is on disk now (the test client applies edits).
    tasks = (c.workspace / "agentops/product-dev/specs/2025-11-08-notification-system/tasks.md").read_text(
        encoding="utf-8")
    assert tasks.startswith("# Task Breakdown: Notification System\n"), tasks
    boxes = len(re.findall(r"^\s*- \[ \]", tasks, re.M))
    assert f"Total Tasks: {boxes}\n" in tasks and boxes == 4, tasks

    # /plan <research> creates the plan seeded from the research, with a link to it.
    notes = "agentops/infrastructure-ops/research/cdn-research.md"
    text = (
        "# Research: CDN édge\n\n## Problem Statement\nSlow pages.\n## Scope\nx\n"
        "## Key Findings\n\n### System Landscape\nOne origin, no cache.\n\n"
        "## Recommended Approach\nPut a CDN in front.\n## Open Questions\nNone.\n## References\nx\n"
        "## Next Steps\n\n```bash\n/plan cdn-research.md\n```\n"
    )
    (c.workspace / notes).write_text(text, encoding="utf-8")
    c.raw_notify("workspace/didCreateFiles", {"files": [{"uri": c.uri(notes)}]})
    uri = c.open(notes, text)
    await c.settle()
    [create_plan] = [a for a in await actions_at(c, uri, line_of(text, "/plan"))
                     if a.title == "Create cdn-plan.md from cdn-research.md"]
    _, fill = create_plan.edit.document_changes
    plan = fill.edits[0].new_text
    assert "# Implementation Plan: CDN édge\n" in plan, plan
    assert "research: ../research/cdn-research.md\n" in plan, plan
    assert ("## Overview\nPut a CDN in front.\n\nFrom [Research: CDN édge](../research/cdn-research.md).\n"
            in plan), plan
