"""What a student reads when a test cell raised: one wording for the grader and the local check.

Kept apart from ``_score`` so that a student's kernel can use it without importing the engine.
"""

from __future__ import annotations


def failure_message(ename: str, evalue: str, *, hidden: bool = False, failed_solution: str = "") -> tuple[str, str]:
    """(status, German message) for a test cell that raised; the grader and ``check("test_...")`` say the same."""
    if ename == "AssertionError":
        if hidden:
            return "failed", "Ein verdeckter Test ist fehlgeschlagen."
        detail = f": {evalue}" if evalue else ""
        return "failed", f"Ein sichtbarer Test ist fehlgeschlagen{detail}."
    prefix = "Ein verdeckter Test" if hidden else "Der Test"
    message = f"{prefix} brach mit {ename} ab" + ("." if hidden else f": {evalue}")
    if failed_solution:
        message += f" Ursache ist vermutlich {failed_solution}."
    elif ename == "NotImplementedError":
        message += " Die Aufgabe ist noch nicht bearbeitet: ersetze `raise NotImplementedError()` durch deine Lösung."
    return "error", message
