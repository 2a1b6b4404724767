"""Specs and plans linked to their code, end to end on examples/my-startup:
document links and definition (forward), references, agentops/specsForPath and
`agentops-lsp trace` (backward), workspace symbols, and willRenameFiles whose
edits, applied as the editor would, leave `check` as clean as before the move.
VS Code (UTF-16) and Neovim 0.11 (UTF-8): the edit helper converts columns in
the negotiated encoding, since the example has non-ASCII text on edited lines."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from lsprotocol import types

from conftest import BINARY, AgentopsClient, as_tuple, check_cli, pos, uri_of

K8S_PLAN = "agentops/infrastructure-ops/plans/k8s-upgrade-plan.md"
K8S_RESEARCH = "agentops/infrastructure-ops/research/k8s-upgrade-research.md"
PAYMENT_SPEC = "agentops/product-dev/specs/2025-11-07-payment-integration/spec.md"
PAYMENT_TASKS = "agentops/product-dev/specs/2025-11-07-payment-integration/tasks.md"
NOTIFICATION_SPEC = "agentops/product-dev/specs/2025-11-08-notification-system/spec.md"
AUTH_FOLDER = "agentops/product-dev/specs/2025-11-06-user-authentication"


def ident(uri: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri)


def find(c: AgentopsClient, rel: str, needle: str, plus: int = 2) -> types.Position:
    """The position `plus` characters into the first `needle` (ASCII lines)."""
    text = (c.workspace / rel).read_text(encoding="utf-8")
    at = text.index(needle)
    line = text.count("\n", 0, at)
    col = at - (text.rfind("\n", 0, at) + 1)
    return pos(line, col + plus)


def offset(text: str, p: types.Position, utf8: bool) -> int:
    """Character index of an LSP position in `text`, in the negotiated encoding."""
    lines = text.split("\n")
    start = sum(len(l) + 1 for l in lines[: p.line])
    line = lines[p.line] if p.line < len(lines) else ""
    units = 0
    for i, ch in enumerate(line):
        if units >= p.character:
            return start + i
        units += len(ch.encode("utf-8")) if utf8 else len(ch.encode("utf-16-le")) // 2
    return start + len(line)


def apply_changes(c: AgentopsClient, edit: types.WorkspaceEdit) -> list[str]:
    """Applies a WorkspaceEdit's text edits to the files on disk; returns their paths."""
    utf8 = c.position_encoding == types.PositionEncodingKind.Utf8
    touched = []
    for uri, edits in (edit.changes or {}).items():
        path = Path(uri.removeprefix("file://"))
        text = path.read_text(encoding="utf-8")
        spans = sorted(
            ((offset(text, e.range.start, utf8), offset(text, e.range.end, utf8), e.new_text) for e in edits),
            reverse=True,
        )
        for s, t, new in spans:
            text = text[:s] + new + text[t:]
        path.write_text(text, encoding="utf-8")
        touched.append(str(path.relative_to(c.workspace)))
    return sorted(touched)


async def test_document_links_and_definition(push_or_pull: AgentopsClient):
    c = push_or_pull
    uri = c.open(K8S_PLAN)
    links = await c.text_document_document_link_async(types.DocumentLinkParams(text_document=ident(uri)))
    targets = {l.target for l in links}
    assert uri_of(c.workspace / "infrastructure/kubernetes/cluster.yaml") + "#L7" in targets
    assert uri_of(c.workspace / "infrastructure/kubernetes/pdb.yaml") in targets
    assert c.uri(K8S_RESEARCH) in targets  # the `research:` field

    # `path:line` → the file, at the line.
    d = await c.text_document_definition_async(
        types.DefinitionParams(text_document=ident(uri), position=find(c, K8S_PLAN, "infrastructure/kubernetes/cluster.yaml:7"))
    )
    assert d.uri == uri_of(c.workspace / "infrastructure/kubernetes/cluster.yaml")
    assert as_tuple(d.range) == (6, 0, 6, 0)

    # A markdown link with an anchor → the heading it names.
    d = await c.text_document_definition_async(
        types.DefinitionParams(text_document=ident(uri), position=find(c, K8S_PLAN, "[constraints]("))
    )
    research = (c.workspace / K8S_RESEARCH).read_text(encoding="utf-8").split("\n")
    assert d.uri == c.uri(K8S_RESEARCH)
    assert d.range.start.line == research.index("### Constraints Identified")

    # Hover says what the path is.
    h = await c.text_document_hover_async(
        types.HoverParams(text_document=ident(uri), position=find(c, K8S_PLAN, "infrastructure/kubernetes/pdb.yaml"))
    )
    assert h.contents.value.startswith("**`infrastructure/kubernetes/pdb.yaml`** — file: ")
    assert "Declared here as: create (produces)" in h.contents.value


async def test_references_specs_for_path_and_trace_agree(push_or_pull: AgentopsClient):
    c = push_or_pull
    uri = c.open(PAYMENT_SPEC)
    refs = await c.text_document_references_async(
        types.ReferenceParams(
            text_document=ident(uri),
            position=find(c, PAYMENT_SPEC, "src/payments/**"),
            context=types.ReferenceContext(include_declaration=True),
        )
    )
    by_file = sorted({r.uri for r in refs})
    # The spec's glob, its tasks' files, and the notification spec building on the webhooks.
    assert by_file == [c.uri(PAYMENT_SPEC), c.uri(PAYMENT_TASKS), c.uri(NOTIFICATION_SPEC)], by_file

    answer = await c.raw_request("agentops/specsForPath", {"uri": uri_of(c.workspace / "src/payments")})
    assert answer["path"] == "src/payments"
    from_server = sorted((a["path"], a["relation"], a["declared"]) for a in answer["artifacts"])
    out = subprocess.run(
        [BINARY, "trace", "src/payments", "--root", str(c.workspace), "--json", "--no-cache"],
        capture_output=True, text=True, timeout=60,
    )
    assert out.returncode == 0, out.stderr
    from_cli = sorted((a["path"], a["relation"], a["declared"]) for a in json.loads(out.stdout)["artifacts"])
    assert from_server == from_cli
    assert (PAYMENT_SPEC, "produces", "src/payments/**") in from_cli
    spec = next(a for a in answer["artifacts"] if a["path"] == PAYMENT_SPEC)
    assert spec["uri"] == c.uri(PAYMENT_SPEC)
    assert (spec["flavor"], spec["kind"], spec["workItem"], spec["phase"]) == (
        "product-dev", "spec", "2025-11-07-payment-integration", "tasks",
    )  # its tasks.md says `complete` over 14 open tasks: the item is still in tasks
    assert spec["range"] == {"start": {"line": 3, "character": 4}, "end": {"line": 3, "character": 19}}

    assert await c.raw_request("agentops/specsForPath", {"uri": "file:///elsewhere/x.ts"}) is None


async def test_workspace_symbols_find_items_artifacts_and_paths(push_or_pull: AgentopsClient):
    c = push_or_pull
    found = await c.workspace_symbol_async(types.WorkspaceSymbolParams(query="kubernetes"))
    names = {s.name for s in found}
    assert "Implementation Plan: Kubernetes 1.29 Upgrade" in names
    assert "infrastructure/kubernetes/cluster.yaml" in names


async def test_moving_a_spec_folder_and_a_code_folder_keeps_check_clean(push_or_pull: AgentopsClient):
    c = push_or_pull
    before = check_cli(c.workspace)
    moves = [(AUTH_FOLDER, "agentops/product-dev/specs/2025-11-06-user-auth"), ("src/auth", "src/identity")]
    edit = await c.workspace_will_rename_files_async(
        types.RenameFilesParams(
            files=[types.FileRename(old_uri=c.uri(a), new_uri=c.uri(b)) for a, b in moves]
        )
    )
    touched = apply_changes(c, edit)
    assert "agentops/product-dev/product/roadmap.md" in touched  # a reference definition
    assert f"{AUTH_FOLDER}/tasks.md" in touched  # `… in src/auth/x.ts` task lines
    assert PAYMENT_SPEC in touched  # an anchored link and an Existing Code path
    for a, b in moves:
        shutil.move(c.workspace / a, c.workspace / b)

    def carried(p: str) -> str:
        for a, b in moves:
            if p.startswith(a + "/"):
                return b + p[len(a):]
        return p

    # The moved spec's links and paths were rewritten; its version leaves them
    # out, so the research that acknowledged it stays acknowledged: check says
    # exactly what it said before, at the new paths.
    after = check_cli(c.workspace)
    assert after == {carried(p): d for p, d in before.items()} | {
        p: [] for p in after if carried(p) not in {carried(q) for q in before}
    }
    tasks = (c.workspace / moves[0][1] / "tasks.md").read_text(encoding="utf-8")
    assert "src/identity/login.ts" in tasks and "src/auth/" not in tasks
