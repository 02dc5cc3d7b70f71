"""The drill database (SQLite): sessions with their planned questions, one row per review.

Every review is committed in its own transaction together with the session's progress, so killing
the process at any moment loses at most the answer being typed. ``UNIQUE(session_id, position)``
keeps a planned question from being recorded twice (two windows on one session).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    student     TEXT NOT NULL,
    topics      TEXT NOT NULL,   -- JSON list of topic keys, [] = all
    plan        TEXT NOT NULL,   -- JSON list of {qid, seed, reason}
    started_at  TEXT NOT NULL,   -- ISO 8601, UTC
    finished_at TEXT
);
CREATE TABLE IF NOT EXISTS reviews (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id   INTEGER NOT NULL REFERENCES sessions(id),
    position     INTEGER NOT NULL,   -- index in the session's plan
    student      TEXT NOT NULL,
    qid          TEXT NOT NULL,
    uuid         TEXT NOT NULL,
    seed         INTEGER NOT NULL,   -- variant seed
    answer       TEXT NOT NULL,      -- JSON, canonical form (docs/bank.md)
    score        REAL NOT NULL,      -- 0..1
    rating       INTEGER NOT NULL,   -- fsrs.Rating: 1 Again, 2 Hard, 3 Good, 4 Easy
    needs_review INTEGER NOT NULL DEFAULT 0,
    duration_s   REAL,
    reviewed_at  TEXT NOT NULL,      -- ISO 8601, UTC
    card         TEXT NOT NULL,      -- fsrs Card.to_dict() after this review, JSON
    due          TEXT NOT NULL,      -- the card's next due date, ISO 8601, UTC
    UNIQUE (session_id, position)
);
CREATE INDEX IF NOT EXISTS reviews_by_student ON reviews (student, qid, id);
CREATE INDEX IF NOT EXISTS sessions_by_student ON sessions (student, finished_at);
"""


@dataclass(frozen=True)
class Session:
    id: int
    student: str
    topics: list[str]
    plan: list[dict]
    finished: bool


@dataclass(frozen=True)
class Review:
    session_id: int
    position: int
    student: str
    qid: str
    seed: int
    answer: object
    score: float
    rating: int
    needs_review: bool
    reviewed_at: str
    card: dict
    due: str


class DrillStore:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # autocommit mode; transactions are explicit (BEGIN IMMEDIATE … COMMIT)
        self._db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        self._db.execute("PRAGMA foreign_keys = ON")
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise RuntimeError(f"{self.path}: Schema {version} ist neuer als diese Version ({SCHEMA_VERSION}).")
        self._db.executescript(SCHEMA)
        self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "DrillStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _transaction(self):
        return _Transaction(self._db)

    # sessions
    def unfinished_session(self, student: str, topics: list[str]) -> Session | None:
        row = self._db.execute(
            "SELECT id, student, topics, plan, finished_at FROM sessions WHERE student = ? AND topics = ? "
            "AND finished_at IS NULL ORDER BY id DESC LIMIT 1", (student, json.dumps(sorted(topics)))).fetchone()
        return _session(row) if row else None

    def create_session(self, student: str, topics: list[str], plan: list[dict], now: datetime) -> Session:
        with self._transaction():
            cursor = self._db.execute(
                "INSERT INTO sessions (student, topics, plan, started_at) VALUES (?, ?, ?, ?)",
                (student, json.dumps(sorted(topics)), json.dumps(plan), now.isoformat()))
        return Session(cursor.lastrowid, student, sorted(topics), plan, False)

    def answered_positions(self, session_id: int) -> set[int]:
        rows = self._db.execute("SELECT position FROM reviews WHERE session_id = ?", (session_id,))
        return {r[0] for r in rows}

    def finish_session(self, session_id: int, now: datetime) -> None:
        with self._transaction():
            self._db.execute("UPDATE sessions SET finished_at = ? WHERE id = ? AND finished_at IS NULL",
                             (now.isoformat(), session_id))

    # reviews
    def add_review(self, review: Review, uuid: str, duration_s: float | None, finishes: bool) -> bool:
        """Commit one review (and the session's end with it); False when that position was already taken."""
        try:
            with self._transaction():
                self._db.execute(
                    "INSERT INTO reviews (session_id, position, student, qid, uuid, seed, answer, score, rating, "
                    "needs_review, duration_s, reviewed_at, card, due) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (review.session_id, review.position, review.student, review.qid, uuid, review.seed,
                     json.dumps(review.answer, ensure_ascii=False), review.score, review.rating,
                     int(review.needs_review), duration_s, review.reviewed_at, json.dumps(review.card), review.due))
                if finishes:
                    self._db.execute("UPDATE sessions SET finished_at = ? WHERE id = ?",
                                     (review.reviewed_at, review.session_id))
        except sqlite3.IntegrityError:
            return False
        return True

    def latest_cards(self, student: str) -> dict[str, tuple[dict, str]]:
        """qid -> (card after the student's last review of it, due)."""
        rows = self._db.execute(
            "SELECT qid, card, due FROM reviews WHERE id IN "
            "(SELECT MAX(id) FROM reviews WHERE student = ? GROUP BY qid)", (student,))
        return {qid: (json.loads(card), due) for qid, card, due in rows}

    def review_counts(self, student: str) -> dict[str, int]:
        rows = self._db.execute("SELECT qid, COUNT(*) FROM reviews WHERE student = ? GROUP BY qid", (student,))
        return dict(rows.fetchall())

    def reviews(self, student: str | None = None) -> list[Review]:
        query = ("SELECT session_id, position, student, qid, seed, answer, score, rating, needs_review, reviewed_at, "
                 "card, due FROM reviews")
        rows = self._db.execute(query + (" WHERE student = ?" if student else "") + " ORDER BY id",
                                (student,) if student else ())
        return [Review(s, p, st, q, seed, json.loads(a), score, rating, bool(nr), at, json.loads(card), due)
                for s, p, st, q, seed, a, score, rating, nr, at, card, due in rows]


class _Transaction:
    def __init__(self, db: sqlite3.Connection):
        self._db = db

    def __enter__(self):
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type, exc, tb):
        self._db.execute("COMMIT" if exc_type is None else "ROLLBACK")
        return False


def _session(row) -> Session:
    sid, student, topics, plan, finished = row
    return Session(sid, student, json.loads(topics), json.loads(plan), finished is not None)
