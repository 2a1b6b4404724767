"""Bad input over the wire never kills the server: invalid params, unknown
methods, notifications for documents never opened, out-of-range positions,
malformed JSON, and a burst of 2,000 edits."""

from __future__ import annotations


import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from conftest import APROVED, MONITORING_PLAN, AgentopsClient, as_tuple, json_of, pos, rng, status_hover

INVALID_PARAMS, METHOD_NOT_FOUND = -32602, -32601


@pytest.mark.parametrize(
    "params",
    [
        "position-as-string",
        "no-position",
        "null",
        "array",
        "not-a-uri",
        "negative-line",
        "fractional-character",
    ],
)
async def test_invalid_params_then_alive(vscode: AgentopsClient, params):
    c = vscode
    uri = c.open(MONITORING_PLAN)
    bad = {
        "position-as-string": {"textDocument": {"uri": uri}, "position": "line 1"},
        "no-position": {"textDocument": {"uri": uri}},
        "null": None,
        "array": [uri, 1, 2],
        "not-a-uri": {"textDocument": {"uri": "not a uri"}, "position": {"line": 0, "character": 0}},
        "negative-line": {"textDocument": {"uri": uri}, "position": {"line": -1, "character": 0}},
        "fractional-character": {"textDocument": {"uri": uri}, "position": {"line": 1, "character": 2.5}},
    }[params]
    with pytest.raises(JsonRpcException) as err:
        await c.raw_request("textDocument/hover", bad)
    assert err.value.code == INVALID_PARAMS
    await status_hover(c, uri)


async def test_unknown_methods(vscode: AgentopsClient):
    c = vscode
    uri = c.open(MONITORING_PLAN)
    with pytest.raises(JsonRpcException) as err:
        await c.raw_request("agentops/noSuchThing", {"x": 1})
    assert err.value.code == METHOD_NOT_FOUND
    with pytest.raises(JsonRpcException) as err:
        await c.raw_request("textDocument/noSuchThing", {"textDocument": {"uri": uri}})
    assert err.value.code == METHOD_NOT_FOUND
    # Unknown notifications, $/ or not, and a cancel for a request that never was: ignored.
    c.raw_notify("$/noSuchThing", {"x": 1})
    c.raw_notify("agentops/noSuchThing", None)
    c.raw_notify("$/cancelRequest", {"id": 987654})
    await status_hover(c, uri)


async def test_notifications_for_documents_never_opened(vscode: AgentopsClient):
    """didChange/didSave/didClose for documents the client never opened."""
    c = vscode
    uri = c.open(MONITORING_PLAN)
    await c.settle()
    ghost = c.uri("agentops/infrastructure-ops/plans/ghost-plan.md")
    real_closed = c.uri("agentops/infrastructure-ops/plans/dr-plan.md")
    n = len(c.published)
    for target in (ghost, real_closed):
        c.raw_notify(
            "textDocument/didChange",
            {"textDocument": {"uri": target, "version": 2},
             "contentChanges": [{"range": json_of(rng(0, 0, 0, 0)), "text": "x"}]},
        )
        c.raw_notify("textDocument/didSave", {"textDocument": {"uri": target}})
    c.raw_notify("textDocument/didClose", {"textDocument": {"uri": ghost}})
    # A didChange is never lost (Helix sends one before didOpen for a file a
    # workspace edit created): the document is opened from the file on disk
    # with the change applied, and checked at its version.
    await c.wait_publish(real_closed, lambda p: p.version == 2, since=n)
    # A change by range to a file that does not exist has no base to apply
    # to: it is refused with a warning, and nothing is invented.
    await c.wait_until(
        lambda: [m for m in c.log_messages if m.message == f"didChange for a document that is not open: {ghost}"],
        what="the warning",
    )
    await status_hover(c, uri)
    await c.quiet(0.1)
    assert c.publishes(ghost) == []
    assert not [m for m in c.log_messages if m.message.endswith(f"not open: {real_closed}")]


async def test_wrong_shapes_in_notifications(vscode: AgentopsClient):
    c = vscode
    uri = c.open(MONITORING_PLAN)
    c.raw_notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2}, "contentChanges": "oops"})
    c.raw_notify("textDocument/didChange", {"textDocument": {"uri": uri}, "contentChanges": [{"range": 1, "text": 2}]})
    c.raw_notify("textDocument/didOpen", {"textDocument": {"uri": uri}})
    c.raw_notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": "nope", "type": 99}]})
    c.raw_notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": c.uri("agentops"), "type": 3}]})
    c.raw_notify("workspace/didRenameFiles", {"files": [{"oldUri": "a:b", "newUri": "::"}]})
    await status_hover(c, uri)
    # The document is as it was: version 1, one diagnostic.
    [d] = await c.diagnostics_of(uri, 1)
    assert json_of(d) == APROVED


def frame(body: bytes) -> bytes:
    return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)


# Each frame is checked before tower-lsp-server sees it (lsp/framing.rs): a bad one
# is answered with the JSON-RPC error (id null, or its id) and dropped.
@pytest.mark.parametrize(
    "body", [b"{not json", b'{"hello": "world"}', b"[]", b'{"jsonrpc": "2.0", "id": 5'],
    ids=["not-json", "not-json-rpc", "empty-batch", "truncated"],
)
async def test_malformed_message_then_alive(vscode: AgentopsClient, body):
    c = vscode
    uri = c.open(MONITORING_PLAN)
    await c.settle()
    c.raw_bytes(frame(body))
    await c.quiet(0.3)
    assert c._server.returncode is None, f"the server exited with code {c._server.returncode}"
    await status_hover(c, uri)


async def test_out_of_range_positions(push_or_pull: AgentopsClient):
    c = push_or_pull
    uri = c.open(MONITORING_PLAN)
    far = 10**6
    for line, character in [(far, far), (1, far), (far, 0), (0, 2**31 - 1)]:
        hover = await c.text_document_hover_async(
            types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=pos(line, character))
        )
        assert hover is None or hover.contents  # a result or null, never an error
    # An edit past the end clamps to the end of the text: a line appended there.
    text = (c.workspace / MONITORING_PLAN).read_text()
    last = len(text.splitlines())  # the text ends with "\n": this is the empty last line
    c.edit(uri, (rng(far, 0, far, far), "[gone](nope.md)"))
    # An edit past the end of a line clamps to the line's end: "Aproved" -> "Aproved!".
    v = c.edit(uri, (rng(1, far, 1, far), "!"))
    diags = await diagnostics_at(c, uri, v)
    assert sorted((str(d.code), as_tuple(d.range)) for d in diags) == [
        ("frontmatter-invalid-value", (1, 8, 1, 16)),
        ("link-broken", (last, 0, last, len("[gone](nope.md)"))),
    ]
    await status_hover(c, uri)


async def diagnostics_at(c: AgentopsClient, uri: str, version: int) -> list[types.Diagnostic]:
    return await c.diagnostics_of(uri, version)


async def test_version_gaps_and_reopen(vscode: AgentopsClient):
    c = vscode
    uri = c.open(MONITORING_PLAN)
    await c.wait_publish(uri)
    c._versions[uri] = 41  # the client skips versions
    v = c.edit(uri, (rng(1, 9, 1, 9), "p"))
    assert v == 42
    await c.wait_publish(uri, lambda p: p.version == 42 and not p.diagnostics)
    # Opened again without a close (some clients do): the new text wins.
    text = (c.workspace / MONITORING_PLAN).read_text().replace("Aproved", "Waiting")
    c.open(MONITORING_PLAN, text, version=7)
    [d] = (await c.wait_publish(uri, lambda p: p.version == 7)).diagnostics
    assert (d.code, as_tuple(d.range)) == ("frontmatter-invalid-value", (1, 8, 1, 15))


async def test_untitled_and_foreign_documents(vscode: AgentopsClient):
    """VS Code opens unsaved buffers as untitled:; other schemes and files outside
    any agentops folder are simply not artifacts."""
    c = vscode
    await c.settle()
    for uri in ("untitled:Untitled-1", "git:/some/path.md?ref=HEAD", c.uri("README.md")):
        c.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(uri=uri, language_id="markdown", version=1,
                                                     text="---\nstatus: Aproved\n---\n# Title\n[x](nope.md)\n")
            )
        )
        ident = types.TextDocumentIdentifier(uri=uri)
        assert await c.text_document_hover_async(types.HoverParams(text_document=ident, position=pos(1, 2))) is None
        assert await c.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=ident)) is None
        assert await c.text_document_folding_range_async(types.FoldingRangeParams(text_document=ident)) is None
        c.edit(uri, (rng(0, 0, 0, 0), "x"))
        c.text_document_did_close(types.DidCloseTextDocumentParams(text_document=ident))
    await c.quiet(0.2)
    assert [p.uri for p in c.published if not p.uri.startswith(c.uri("agentops")) and not p.uri.startswith(c.uri(".agentops"))] == []
    await status_hover(c, c.open(MONITORING_PLAN))


@pytest.mark.parametrize("count", [2000])
async def test_burst_of_single_character_edits(push_or_pull: AgentopsClient, count):
    """2,000 one-character didChange notifications back to back, then a hover:
    the server answers, and the final diagnostics are those of the final text."""
    c = push_or_pull
    uri = c.open(MONITORING_PLAN)
    # After indexing: while the index is being built, open documents can be
    # answered from the disk text (test_indexing.py, xfail).
    await c.settle()
    text = (c.workspace / MONITORING_PLAN).read_text()
    last = len(text.splitlines())  # the empty line after the final "\n"
    tail = "[l](gone-file.md)"
    typed = "x" * (count - len(tail) - 1) + tail
    # Type `typed` at the end, one character per notification...
    for i, ch in enumerate(typed):
        c.edit(uri, (rng(last, i, last, i), ch))
    # ...and fix the status typo with the last one (Aproved -> Approved).
    final = c.edit(uri, (rng(1, 9, 1, 9), "p"))
    assert final == count + 1
    await status_hover(c, uri)

    diags = await diagnostics_at(c, uri, final)
    start = len(typed) - len(tail)
    assert [(str(d.code), as_tuple(d.range), d.message) for d in diags] == [
        ("link-broken", (last, start, last, start + len(tail)), "`gone-file.md` does not exist")
    ]
    versions = [p.version for p in c.publishes(uri) if p.version is not None]
    assert versions == sorted(versions), "never a result for an older version after a newer one"
    assert versions[-1] == final if versions else True
    symbols = await c.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert [s.name for s in symbols[0].children] == ["status", "date", "research", "tags"]
    assert symbols[0].children[0].detail == "Approved"
