"""What a student reads when a test cell raised: one wording for the grader and the local check.

Kept apart from ``_score`` so that a student's kernel can use it without importing the engine.
"""

from __future__ import annotations


def failure_message(ename: str, evalue: str, *, hidden: bool = False, failed_solution: str = "") -> tuple[str, str]:
    """(status, German message) for a test cell that raised; the grader and ``check("test_...")`` say the same."""
    if ename == "AssertionError":
        if hidden:
            return "failed", "Ein verdeckter Test ist fehlgeschlagen."
        return "failed", _sentence("Ein sichtbarer Test ist fehlgeschlagen", evalue)
    prefix = "Ein verdeckter Test" if hidden else "Der Test"
    message = _sentence(f"{prefix} brach mit {ename} ab", "" if hidden else evalue)
    if failed_solution:
        message += f" Ursache ist vermutlich {failed_solution}."
    elif ename == "NotImplementedError":
        message += " Die Aufgabe ist noch nicht bearbeitet: ersetze `raise NotImplementedError()` durch deine Lösung."
    return "error", message


def _sentence(head: str, detail: str) -> str:
    """``head: detail.`` with one final punctuation mark; ``head.`` without a detail."""
    detail = " ".join(detail.split())
    text = f"{head}: {detail}" if detail else head
    return text if text.endswith((".", "!", "?")) else text + "."
