"""The draft as Markdown, with the provenance appendix (and the QA report when given)."""

from __future__ import annotations

from collections.abc import Sequence

from bridge_app.core.drafting.model import Clause, Draft, Finding
from bridge_app.services.render.skeleton import ContractWriter, edited, prov_heading, source_lines
from bridge_app.services.text_safety import escape_markdown_html


class MarkdownWriter(ContractWriter[str]):
    def __init__(self) -> None:
        self.out: list[str] = []

    def begin(self, draft: Draft, meta: str) -> None:
        self.out += [f"# {draft.title}", "", f"_{meta}_", ""]

    def clause(self, clause: Clause, n: int) -> None:
        self.out += [f"## {clause.number}. {clause.heading}", ""]
        for line in clause.text.split("\n"):
            self.out += [line, ""]

    def signatures(self, rows: list[tuple[str, str]]) -> None:
        self.out += ["## Signatures", ""]
        for name, role in rows:
            label = f"For **{name}**" + (f' (the "{role}")' if role and role != "Party" else "")
            self.out += [
                label,
                "",
                "Signature: ______________________  ",
                "Name:  ",
                "Title:  ",
                "Date:  ",
                "",
            ]

    def appendix_start(self) -> None:
        self.out += ["## Appendix A - Provenance", ""]

    def appendix_clause(self, clause: Clause) -> None:
        if not clause.provenance and not clause.override:
            return
        self.out += [f"### {clause.number}. {clause.heading}{edited(clause)}", ""]
        for prov in clause.provenance:
            self.out.append(f"- **{prov_heading(prov)}**")
            self.out += [f"  - {line}" for line in source_lines(prov)]
        self.out.append("")

    def qa(self, findings: Sequence[Finding]) -> None:
        self.out += ["## QA report", ""]
        if not findings:
            self.out.append("No findings.")
        for f in findings:
            where = f" (clause {f.clause})" if f.clause else ""
            self.out.append(f"- **{f.severity}** `{f.code}`{where}: {f.message}")
        self.out.append("")

    def finish(self) -> str:
        return escape_markdown_html("\n".join(self.out).rstrip() + "\n")


def render_markdown(draft: Draft, findings: Sequence[Finding] | None = None) -> str:
    """The draft as Markdown, with the provenance appendix (and the QA report when given)."""
    return MarkdownWriter().write(draft, findings)
