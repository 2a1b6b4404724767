"""Slash commands in the editor: diagnostics on the exact word, completion,
hover, and the code actions on a command line (issue 5)."""

from __future__ import annotations

from lsprotocol import types

from conftest import NEW_RESEARCH, AgentopsClient, as_tuple, plain, pos, research_text, rng

K8S_PLAN = "agentops/infrastructure-ops/plans/k8s-upgrade-plan.md"
MONITORING_RESEARCH = "agentops/infrastructure-ops/research/monitoring-strategy-research.md"


def typed(lines: list[str]) -> str:
    """A research artifact whose Key Findings hold a bash block of ``lines``."""
    block = "```bash\n" + "\n".join(lines) + "\n```"
    return research_text(block)


def block_line(text: str, i: int) -> int:
    """0-based line of the i-th line inside the first bash block."""
    return text.split("\n").index("```bash") + 1 + i


async def complete(c: AgentopsClient, uri: str, line: int, character: int) -> list[types.CompletionItem]:
    result = await c.text_document_completion_async(
        types.CompletionParams(text_document=types.TextDocumentIdentifier(uri=uri), position=pos(line, character))
    )
    if result is None:
        return []
    return result if isinstance(result, list) else result.items


async def test_every_command_line_is_checked_on_the_word_at_fault(vscode: AgentopsClient):
    c = vscode
    lines = [
        "/pln edge-cache-research.md",
        "/plan edge-cache-reserch.md",
        "/plan k8s-upgrade-plan.md",
        "/implement k8s-upgrade-plan.md --exeucte",
        "/bundle-load edge-cache-research",
        "/implement dr-plan.md --execute",
    ]
    text = typed(lines)
    uri = c.open(NEW_RESEARCH, text)
    got = (await c.wait_publish(uri, lambda p: len(p.diagnostics) >= 6)).diagnostics
    l0 = block_line(text, 0)
    by_code = sorted((str(d.code), as_tuple(d.range)) for d in got)
    assert by_code == sorted([
        ("command-unknown", (l0, 0, l0, 4)),
        ("command-argument", (l0 + 1, 6, l0 + 1, 27)),
        ("command-argument", (l0 + 2, 6, l0 + 2, 25)),
        ("command-argument", (l0 + 3, 31, l0 + 3, 40)),
        ("bundle-missing", (l0 + 4, 13, l0 + 4, 32)),
        ("law-validate-before-execute", (l0 + 5, 22, l0 + 5, 31)),
        ("law-validate-before-execute", (l0 + 5, 22, l0 + 5, 31)),
    ]), got
    unknown = next(d for d in got if d.code == "command-unknown")
    assert "did you mean `/plan`?" in unknown.message
    flag = next(d for d in got if d.code == "command-argument" and d.range.start.line == l0 + 3)
    assert "did you mean `--execute`?" in flag.message


async def test_completion_of_names_arguments_flags_and_bundles(vscode: AgentopsClient):
    c = vscode
    lines = ["/", "/plan ", "/implement ", "/implement k8s-upgrade-plan.md --", "/bundle-load ", "/bundle-save m"]
    text = typed(lines)
    uri = c.open(NEW_RESEARCH, text)
    await c.wait_publish(uri)
    l0 = block_line(text, 0)

    names = await complete(c, uri, l0, 1)
    labels = {i.label for i in names}
    assert {"/research", "/plan", "/implement", "/bundle-save", "/bundle-load", "/write-spec"} <= labels
    plan = next(i for i in names if i.label == "/plan")
    assert plan.text_edit.range == rng(l0, 0, l0, 1)
    assert "research" in plan.documentation.value

    research = {i.label for i in await complete(c, uri, l0 + 1, 6)}
    assert "k8s-upgrade-research.md" in research and "edge-cache-research.md" in research
    assert not any(l.endswith("-plan.md") for l in research), research

    plans = {i.label for i in await complete(c, uri, l0 + 2, 11)}
    assert {"k8s-upgrade-plan.md", "monitoring-plan.md", "dr-plan.md"} <= plans
    assert not any(l.endswith("-research.md") for l in plans), plans

    flags = await complete(c, uri, l0 + 3, 33)
    assert {i.label for i in flags} == {"--dry-run", "--execute", "--resume"}
    assert flags[0].text_edit.range == rng(l0 + 3, 31, l0 + 3, 33)

    bundles = {i.label: i for i in await complete(c, uri, l0 + 4, 13)}
    assert set(bundles) == {"k8s-upgrade-plan", "k8s-upgrade-research"}
    assert "bundle" in bundles["k8s-upgrade-plan"].detail

    names_for_new = {i.label for i in await complete(c, uri, l0 + 5, 14)}
    assert "edge-cache-research" in names_for_new

    # Outside a command: nothing.
    assert await complete(c, uri, 0, 0) == []


async def test_completion_in_an_inline_code_span(vscode: AgentopsClient):
    c = vscode
    text = research_text("Next: `/bundle-lo` then more prose.")
    uri = c.open(NEW_RESEARCH, text)
    await c.wait_publish(uri)
    line = text.split("\n").index("Next: `/bundle-lo` then more prose.")
    items = await complete(c, uri, line, len("Next: `/bundle-lo"))
    item = next(i for i in items if i.label == "/bundle-load")
    assert item.text_edit.range == rng(line, 7, line, 17)


async def test_hover_on_a_command_and_on_a_bundle(vscode: AgentopsClient):
    c = vscode
    uri = c.open(K8S_PLAN)
    await c.wait_publish(uri)
    name = await c.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=pos(46, 3))
    )
    assert as_tuple(name.range) == (46, 0, 46, 10)
    assert "/implement <plan> [--dry-run] [--execute] [--resume]" in name.contents.value
    bundle = await c.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=pos(45, 20))
    )
    assert as_tuple(bundle.range) == (45, 13, 45, 29)
    assert "Bundle `k8s-upgrade-plan`" in bundle.contents.value
    assert "accessed" in bundle.contents.value or "loaded: 2" in bundle.contents.value
    # Saved by the tool (recorded, with its snapshot): verified fresh.
    assert "**fresh**" in bundle.contents.value


async def actions_at(c: AgentopsClient, uri: str, line: int) -> list[dict]:
    """Code actions as raw JSON: pygls reads a CodeAction that carries a
    command as a bare Command (the union is ambiguous to its converter)."""
    result = await c.raw_request(
        "textDocument/codeAction",
        {
            "textDocument": {"uri": uri},
            "range": {"start": {"line": line, "character": 1}, "end": {"line": line, "character": 1}},
            "context": {"diagnostics": []},
        },
    )
    return result or []


async def test_code_actions_on_command_lines(vscode: AgentopsClient, workspace):
    c = vscode
    uri = c.open(MONITORING_RESEARCH)
    await c.wait_publish(uri)
    save = {a["title"]: a for a in await actions_at(c, uri, 88)}
    title = "Save bundle `monitoring-strategy-research` from this work item"
    assert title in save, list(save)
    assert save[title]["command"]["command"] == "agentops.bundleSave"
    assert save[title]["command"]["arguments"][0]["name"] == "monitoring-strategy-research"

    plan_line = {a["title"]: a for a in await actions_at(c, uri, 89)}
    assert f"Open {MONITORING_RESEARCH}" in plan_line
    # The work item has its plan (monitoring-plan.md): nothing to create.
    assert not any(t.startswith("Create ") for t in plan_line), list(plan_line)

    opened = plain(await c.workspace_execute_command_async(
        types.ExecuteCommandParams(
            command="agentops.open", arguments=plan_line[f"Open {MONITORING_RESEARCH}"]["command"]["arguments"]
        )
    ))
    assert opened["shown"] is True
    assert c.shown_documents[-1].uri == c.uri(MONITORING_RESEARCH)

    # A research with no plan yet: `/plan` on it offers to create the plan.
    (workspace / NEW_RESEARCH).write_text(typed(["/plan edge-cache-research.md"]))
    new = c.open(NEW_RESEARCH)
    await c.wait_publish(new)
    text = (workspace / NEW_RESEARCH).read_text()
    create = [a for a in await actions_at(c, new, block_line(text, 0)) if a["title"].startswith("Create ")]
    assert [a["title"] for a in create] == ["Create edge-cache-plan.md from edge-cache-research.md"]
    [op, edit] = create[0]["edit"]["documentChanges"]
    assert op["uri"] == c.uri("agentops/infrastructure-ops/plans/edge-cache-plan.md")
    assert "research: ../research/edge-cache-research.md" in edit["edits"][0]["newText"]


async def test_advance_phase_and_create_artifact_commands(vscode: AgentopsClient, workspace):
    c = vscode
    (workspace / NEW_RESEARCH).write_text(research_text("Done.").replace("status: in progress", "status: complete"))
    uri = c.open(NEW_RESEARCH)
    await c.wait_publish(uri)
    result = plain(await c.workspace_execute_command_async(
        types.ExecuteCommandParams(command="agentops.advancePhase", arguments=[{"uri": uri}])
    ))
    assert result["applied"] is True, result
    plan = workspace / "agentops/infrastructure-ops/plans/edge-cache-plan.md"
    assert plan.is_file() and "research: ../research/edge-cache-research.md" in plan.read_text()
    again = plain(await c.workspace_execute_command_async(
        types.ExecuteCommandParams(command="agentops.createArtifact", arguments=[{"uri": uri, "kind": "plan"}])
    ))
    assert again["applied"] is False and "exists" in again["reason"], again
