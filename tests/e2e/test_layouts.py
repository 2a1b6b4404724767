"""Layouts adopted from other tools, found with no configuration: a spec-kit
feature folder beside my-startup's agentops/ folders, its open question
reported where it is in each client's encoding, and the layouts in
agentops/status."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import AgentopsClient, as_tuple

SPEC = "specs/001-tide-alerts/spec.md"
MARKER = "[NEEDS CLARIFICATION: 何分前？]"
LINE = f"- **FR-001**: 潮 🌊 alert {MARKER} before low tide."
SPEC_TEXT = (
    "# Feature Specification: Tide alerts\n\n**Status**: Draft\n\n"
    "## User Scenarios & Testing *(mandatory)*\n\n"
    "## Requirements *(mandatory)*\n\n"
    f"{LINE}\n"
)
MARKER_LINE = SPEC_TEXT.split("\n").index(LINE)


@pytest.fixture
def spec_kit(workspace: Path) -> Path:
    """spec-kit files written before the server starts (detection runs at setup)."""
    for rel, text in [
        (".specify/memory/constitution.md", "# Tide Constitution\n\n## Core Principles\n\n## Governance\n"),
        (SPEC, SPEC_TEXT),
    ]:
        (workspace / rel).parent.mkdir(parents=True, exist_ok=True)
        (workspace / rel).write_text(text, encoding="utf-8")
    return workspace


def units(text: str, encoding: str) -> int:
    if encoding == "utf-16":
        return len(text.encode("utf-16-le")) // 2
    return len(text.encode("utf-8"))


async def test_open_question_in_a_detected_spec_kit_spec(spec_kit: Path, push_or_pull: AgentopsClient):
    c = push_or_pull
    uri = c.open(SPEC)
    diags = await c.diagnostics_of(uri, 1)
    [d] = [d for d in diags if d.code == "needs-clarification"]
    assert d.message == "needs clarification (/speckit.clarify): 何分前？"
    start = LINE.index(MARKER)
    enc = c.position_encoding
    assert as_tuple(d.range) == (
        MARKER_LINE,
        units(LINE[:start], enc),
        MARKER_LINE,
        units(LINE[: start + len(MARKER)], enc),
    )
    assert [x.code for x in diags] == ["needs-clarification"]


async def test_status_lists_the_layouts_found(spec_kit: Path, vscode: AgentopsClient):
    [report] = (await vscode.raw_request("agentops/status", None))["roots"]
    by_flavor = {layout["flavor"]: layout for layout in report["layouts"]}
    assert by_flavor["spec-kit"] == {
        "flavor": "spec-kit",
        "folders": ["specs", ".specify/memory"],
        "source": "detected",
        "evidence": ".specify",
    }
    assert by_flavor["product-dev"]["source"] == "folder"
    keys = [item["key"] for f in report["flavors"] if f["name"] == "spec-kit" for item in f["items"]]
    assert "001-tide-alerts" in keys
