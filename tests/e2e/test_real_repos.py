"""What real repositories showed (docs/fidelity.md), end to end: the same
missing file named by several task lines is one diagnostic whose other places
are its relatedInformation, in every client's encoding."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import AgentopsClient

TASKS = "specs/001-alerts/tasks.md"
TASKS_TEXT = (
    "# Tasks: Alerts 🌊\n\n## Phase 1: Setup\n\n"
    "- [x] T001 Add the alert model in src/alerts/model.py\n"
    "- [x] T002 Validate alert times in src/alerts/model.py\n"
    "- [x] T003 Serialize alerts in src/alerts/model.py\n\n"
    "## Dependencies & Execution Order\n"
)


@pytest.fixture
def spec_kit(workspace: Path) -> Path:
    """A spec-kit feature whose tasks name one missing file three times."""
    for rel, text in [
        (".specify/memory/constitution.md", "# Constitution\n\n## Core Principles\n\n## Governance\n"),
        (TASKS, TASKS_TEXT),
    ]:
        (workspace / rel).parent.mkdir(parents=True, exist_ok=True)
        (workspace / rel).write_text(text, encoding="utf-8")
    return workspace


async def test_one_missing_file_is_one_diagnostic_with_related_places(
    spec_kit: Path, push_or_pull: AgentopsClient
):
    c = push_or_pull
    uri = c.open(TASKS)
    diags = await c.diagnostics_of(uri, 1)
    missing = [d for d in diags if d.code == "code-path-missing"]
    assert len(missing) == 1, missing
    [d] = missing
    assert d.range.start.line == 4
    assert d.message.endswith("(also on lines 6, 7)")
    related = d.related_information or []
    assert [(r.location.uri, r.location.range.start.line) for r in related] == [(uri, 5), (uri, 6)]
    # The related ranges are the path on each line, in the client's encoding
    # (the line is ASCII up to the path: the same in UTF-8 and UTF-16).
    line = TASKS_TEXT.split("\n")[5]
    assert related[0].location.range.start.character == line.index("src/alerts/model.py")
