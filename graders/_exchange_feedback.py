"""Feedback pages into nbgrader's exchange, by nbgrader's own ``ExchangeReleaseFeedback``, so that a
student's ``nbgrader fetch_feedback`` finds them.

nbgrader files a page as ``<exchange>/<course>/feedback/<md5(submission secret + notebook id)>.html``;
the secret is the one ``nbgrader submit`` wrote into the submission (``graders collect`` keeps it).
nbgrader releases from a course folder ``feedback/<student>/<aid>/`` holding the pages, the
``timestamp.txt`` and the ``submission_secret.txt``: that folder is staged in a temporary directory,
so the course directory is never written.
"""

from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .course import CourseError

_QUIET = logging.getLogger("graders.exchange")
_QUIET.setLevel(logging.CRITICAL + 1)  # nbgrader's own (English) messages; ours say it in German


@dataclass(frozen=True)
class Submission:
    student: str
    secret: str
    timestamp: str
    pages: dict[str, Path]      # notebook id -> feedback page


def destination(root: Path, course_id: str) -> Path:
    return root / course_id / "feedback"


def check_writable(root: Path, course_id: str) -> None:
    """The German error nbgrader would fail with later, in English, or not at all (root bypasses modes)."""
    if not root.is_dir():
        raise CourseError(f"Exchange-Ordner {root} gibt es nicht (c.Exchange.root oder --exchange; "
                          "nbgrader legt ihn nicht an).")
    target = destination(root, course_id)
    existing = next(p for p in (target, target.parent, root) if p.exists())
    if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        raise CourseError(f"Keine Schreibrechte im Exchange: {existing} (für {target}). Bitte mit einem Konto "
                          "ausführen, das dort schreiben darf, oder die Rechte des Ordners anpassen.")


def release(root: Path, course_id: str, aid: str, submissions: list[Submission], config=None) -> list[Path]:
    """Release every page; the exchange paths written, as nbgrader names them."""
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange import ExchangeError
    from nbgrader.exchange.default import ExchangeReleaseFeedback
    from nbgrader.utils import notebook_hash
    from traitlets.config import Config

    check_writable(root, course_id)
    with tempfile.TemporaryDirectory(prefix="graders-feedback-") as staging:
        for submission in submissions:
            folder = Path(staging) / "feedback" / submission.student / aid
            folder.mkdir(parents=True)
            for notebook_id, page in submission.pages.items():
                (folder / f"{notebook_id}.html").write_bytes(page.read_bytes())
            (folder / "timestamp.txt").write_text(submission.timestamp, encoding="utf-8")
            (folder / "submission_secret.txt").write_text(submission.secret, encoding="utf-8")
        cfg = Config(config) if config is not None else Config()
        cfg.CourseDirectory.root = staging
        cfg.CourseDirectory.feedback_directory = "feedback"
        cfg.CourseDirectory.course_id = course_id
        cfg.CourseDirectory.assignment_id = aid
        cfg.CourseDirectory.student_id = "*"
        cfg.Exchange.root = str(root)
        coursedir = CourseDirectory(config=cfg, log=_QUIET)
        exchange = ExchangeReleaseFeedback(coursedir=coursedir, authenticator=Authenticator(config=cfg, log=_QUIET),
                                           config=cfg, log=_QUIET)
        try:
            exchange.start()
        except (ExchangeError, OSError) as exc:
            raise CourseError(f"nbgrader konnte die Rückmeldungen nicht in den Exchange {root} legen: {exc}") from None
    return sorted(destination(root, course_id) / f"{notebook_hash(secret=s.secret, notebook_id=nb)}.html"
                  for s in submissions for nb in s.pages)
