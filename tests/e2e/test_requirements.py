"""Traceability in the editor (issue 18) on a Kiro spec, through each client's
position encoding: hover on an acceptance criterion lists the tasks citing it
and their code; definition on a citation opens the criterion. Multi-byte text
sits before both positions, so a column counted in the wrong unit misses."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lsprotocol import types

from conftest import REPO, AgentopsClient, pos

REQ = ".kiro/specs/password-reset/requirements.md"
TASKS = ".kiro/specs/password-reset/tasks.md"
CRITERION = "3. IF more than five resets 🔁 are asked for one address within an hour THEN the system SHALL refuse further requests for that hour"
CITATION = "  - Limite « cinq » par heure 🔒 _Requirements: 1.3_"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A copy of examples/kiro-app with multi-byte text before a criterion and a citation."""
    dest = tmp_path / "kiro-app"
    shutil.copytree(REPO / "examples" / "kiro-app", dest)
    req = dest / REQ
    text = req.read_text(encoding="utf-8")
    old = "3. IF more than five resets are asked for one address within an hour THEN the system SHALL refuse further requests for that hour"
    assert old in text
    req.write_text(text.replace(old, CRITERION), encoding="utf-8")
    tasks = dest / TASKS
    text = tasks.read_text(encoding="utf-8")
    assert "  - _Requirements: 1.3_" in text
    tasks.write_text(text.replace("  - _Requirements: 1.3_", CITATION), encoding="utf-8")
    return dest


def col(line: str, i: int, encoding: str) -> int:
    unit = "utf-16-le" if encoding == "utf-16" else "utf-8"
    return len(line[:i].encode(unit)) // (2 if encoding == "utf-16" else 1)


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()) if needle in line)


async def test_hover_and_definition_on_requirement_ids(any_encoding: AgentopsClient, workspace: Path):
    c = any_encoding
    enc = c.position_encoding
    req = c.open(REQ)
    at = CRITERION.index("are asked")
    hover = await c.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=req),
            position=pos(line_of(workspace / REQ, "🔁"), col(CRITERION, at, enc)),
        )
    )
    assert hover is not None
    text = hover.contents.value if isinstance(hover.contents, types.MarkupContent) else str(hover.contents)
    assert "Requirement `1.3`" in text, text
    assert "Rate-limit reset requests" in text and "`src/auth/reset-limiter.ts`" in text, text

    tasks = c.open(TASKS)
    start = CITATION.index("1.3")
    found = await c.text_document_definition_async(
        types.DefinitionParams(
            text_document=types.TextDocumentIdentifier(uri=tasks),
            position=pos(line_of(workspace / TASKS, "🔒"), col(CITATION, start + 1, enc)),
        )
    )
    target = found[0] if isinstance(found, list) else found
    assert target is not None, found
    uri = target.uri if isinstance(target, types.Location) else target.target_uri
    rng = target.range if isinstance(target, types.Location) else target.target_selection_range
    assert uri == c.uri(REQ)
    assert (rng.start.line, rng.start.character) == (line_of(workspace / REQ, "🔁"), 0)

    # One column past the citation's end (after `_`) names no requirement.
    past = CITATION.index("_", start) + 1
    none = await c.text_document_definition_async(
        types.DefinitionParams(
            text_document=types.TextDocumentIdentifier(uri=tasks),
            position=pos(line_of(workspace / TASKS, "🔒"), col(CITATION, past, enc)),
        )
    )
    assert not none, none
