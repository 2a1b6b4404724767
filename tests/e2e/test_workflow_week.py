"""The walkthrough's week, as a user sees it, with the VS Code and Neovim
capability profiles: gates that mean something (an unfilled template or a
status its boxes contradict is not done, approval is an explicit act) and files
the server creates that stay true (Helix's didChange-before-didOpen)."""

from __future__ import annotations

from lsprotocol import types

from conftest import AgentopsClient
from test_phase_walk import actions_of

TASKS = "agentops/product-dev/specs/2025-11-07-payment-integration/tasks.md"
NEW_SPEC = "agentops/product-dev/specs/2025-11-20-team-invites"
NOTIFY_SPEC = "agentops/product-dev/specs/2025-11-08-notification-system/spec.md"
VERIFY = "agentops/product-dev/specs/2025-11-08-notification-system/verification/spec-verification.md"


async def item_of(c: AgentopsClient, uri: str, flavor: str, key: str) -> dict:
    report = await c.raw_request("agentops/status", {"uri": uri})
    fl = next(f for f in report["roots"][0]["flavors"] if f["name"] == flavor)
    return next(i for i in fl["items"] if i["key"] == key)


async def lens_title(c: AgentopsClient, uri: str) -> str:
    lenses = await c.text_document_code_lens_async(
        types.CodeLensParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    return " ".join(lens.command.title for lens in lenses or [] if lens.command)


async def test_tasks_complete_over_open_boxes_is_not_done(push_or_pull: AgentopsClient):
    c = push_or_pull
    uri = c.open(TASKS)
    await c.settle()
    # Status, lens and Advance agree: 14 of 21 tasks open is not complete.
    item = await item_of(c, uri, "product-dev", "2025-11-07-payment-integration")
    assert item["current"] == "tasks", item
    assert "→ tasks (complete, 7/21 tasks)" in item["timeline"], item
    assert "✓ tasks" not in item["timeline"]
    assert "(complete, 7/21 tasks)" in await lens_title(c, uri)
    titles = [a.title for a in await actions_of(c, uri)]
    assert not [t for t in titles if t.startswith("Advance")], titles
    r = await c.raw_request("workspace/executeCommand", {"command": "agentops.advancePhase", "arguments": [{"uri": uri}]})
    assert r["applied"] is False, r


async def test_an_unfilled_template_is_not_done(push_or_pull: AgentopsClient):
    """Monday: the spec verification is created from its template and marked
    passed at once; it is not done, says so, and nothing advances past it."""
    c = push_or_pull
    spec = c.open(NOTIFY_SPEC)
    await c.settle()
    advance = next(a for a in await actions_of(c, spec) if a.title.startswith("Advance to Spec verification"))
    create, fill = advance.edit.document_changes
    assert isinstance(create, types.CreateFile) and create.uri == c.uri(VERIFY)
    text = fill.edits[0].new_text
    path = c.workspace / VERIFY
    path.parent.mkdir(parents=True, exist_ok=True)
    # Marked passed without writing anything.
    assert "Overall Status: ⏳ In Progress" in text
    text = text.replace("Overall Status: ⏳ In Progress", "Overall Status: ✅ Passed", 1)
    path.write_text(text, encoding="utf-8")
    c.raw_notify("workspace/didCreateFiles", {"files": [{"uri": c.uri(VERIFY)}]})
    uri = c.open(VERIFY, text)
    await c.settle()
    item = await item_of(c, uri, "product-dev", "2025-11-08-notification-system")
    assert item["current"] == "verification", item
    assert "template unfilled:" in item["timeline"], item
    assert "template unfilled:" in await lens_title(c, uri)
    titles = [a.title for a in await actions_of(c, uri)]
    assert not [t for t in titles if t.startswith(("Advance", "Mark ", "Approve"))], titles


async def test_placeholder_unfilled_on_a_finished_status(push_or_pull: AgentopsClient):
    c = push_or_pull
    research = "agentops/infrastructure-ops/research/cdn-research.md"
    text = (
        "---\nstatus: complete\n---\n# Research: CDN\n\n"
        "## Problem Statement\n[What needs solving, for whom, and why now.]\n\n"
        "## Scope\nStatic assets.\n## Key Findings\nNone yet.\n## Recommended Approach\nA CDN.\n"
        "## Open Questions\nNone.\n## References\n- none\n## Next Steps\n1. Plan.\n"
    )
    (c.workspace / research).write_text(text, encoding="utf-8")
    c.raw_notify("workspace/didCreateFiles", {"files": [{"uri": c.uri(research)}]})
    uri = c.open(research, text)
    await c.settle()
    diags = await c.diagnostics_of(uri, 1)
    found = [d for d in diags if d.code == "placeholder-unfilled"]
    assert len(found) == 1, [(d.code, d.message) for d in diags]
    d = found[0]
    assert (d.range.start.line, d.range.start.character) == (1, 8)  # the status value
    assert d.message == "status is `complete` but 1 line of the template is still placeholders; fill them in first"
    assert d.related_information[0].location.range.start.line == 6
    assert d.code_description.href.endswith("rules.md#placeholder-unfilled")


async def test_change_before_open_of_a_created_file(neovim: AgentopsClient):
    """Helix applies a created file's text as a didChange before its didOpen (whose
    text is the empty file): the server opens the document from the change and
    judges the real text."""
    c = neovim
    spec = c.open(NOTIFY_SPEC)
    await c.settle()
    advance = next(a for a in await actions_of(c, spec) if a.title.startswith("Advance to Spec verification"))
    create, fill = advance.edit.document_changes
    path = c.workspace / VERIFY
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("", encoding="utf-8")  # the create, on disk; the text stays in the buffer
    uri = c.uri(VERIFY)
    insert = fill.edits[0]
    c.raw_notify("textDocument/didChange", {
        "textDocument": {"uri": uri, "version": 1},
        "contentChanges": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                            "text": insert.new_text}],
    })
    c.raw_notify("textDocument/didOpen", {
        "textDocument": {"uri": uri, "languageId": "markdown", "version": 0, "text": ""}})
    await c.settle()
    symbols = await c.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    assert symbols, "the server holds the empty text"
    diags = await c.diagnostics_of(uri, 1)
    assert not [d for d in diags if d.code in ("section-missing", "title-missing")], [(d.code, d.message) for d in diags]
    assert not [m for m in c.log_messages if "not open" in m.message]


async def test_advance_shows_and_says_what_it_created(push_or_pull: AgentopsClient):
    """An editor command that creates a file says so (window/showMessage), for
    clients whose only UI is the server's word."""
    c = push_or_pull
    spec = c.open(NOTIFY_SPEC)
    await c.settle()
    refreshes = c.lens_refreshes
    r = await c.raw_request("workspace/executeCommand", {"command": "agentops.advancePhase", "arguments": [{"uri": spec}]})
    assert r["applied"] is True and r["uri"] == c.uri(VERIFY), r
    assert (c.workspace / VERIFY).is_file()
    said = await c.wait_until(
        lambda: [m.message for m in c.messages if "created spec-verification.md" in m.message],
        what="a showMessage naming the created file",
    )
    assert said[0].startswith("agentops: Advance to Spec verification: create spec-verification.md — created"), said
    # Lenses elsewhere show the moved timeline: the client is asked to refresh them.
    if c.init_result and c.capabilities.workspace.code_lens and c.capabilities.workspace.code_lens.refresh_support:
        await c.wait_until(lambda: c.lens_refreshes > refreshes, what="workspace/codeLens/refresh")


async def test_research_starts_from_a_topic_line(push_or_pull: AgentopsClient):
    """Monday, ops: `/research "Kubernetes upgrade strategy"` written in a note gets
    a code action that creates the research note, titled and seeded by the topic."""
    c = push_or_pull
    notes = "agentops/infrastructure-ops/research/notes-research.md"
    text = (
        "# Research: Notes\n\n## Problem Statement\nx\n## Scope\nx\n## Key Findings\nx\n"
        "## Recommended Approach\nx\n## Open Questions\nx\n## References\nx\n## Next Steps\n\n"
        "```bash\n/research \"Cache warming\"\n```\n"
    )
    (c.workspace / notes).write_text(text, encoding="utf-8")
    c.raw_notify("workspace/didCreateFiles", {"files": [{"uri": c.uri(notes)}]})
    uri = c.open(notes, text)
    await c.settle()
    line = text.split("\n").index('/research "Cache warming"')
    at = types.Position(line=line, character=3)
    found = await c.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=types.Range(start=at, end=at),
        context=types.CodeActionContext(diagnostics=[])))
    [start] = [a for a in found if isinstance(a, types.CodeAction) and a.title.startswith("Start Research")]
    target = "agentops/infrastructure-ops/research/cache-warming-research.md"
    assert start.title == f"Start Research: create {target}"
    create, fill = start.edit.document_changes
    assert isinstance(create, types.CreateFile) and create.uri == c.uri(target)
    assert create.options.overwrite is False
    new = fill.edits[0].new_text
    assert "# Research: Cache warming\n" in new and "## Problem Statement\nCache warming\n" in new
