"""The ``graders bank|drill|exam`` commands; ``graders/cli.py`` registers them with ``add_commands``.

Each command is ``func(args, course) -> exit code``, like the other subcommands.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..course import Course


def _validate(args, course: Course) -> int:
    from .validate import validate_bank

    report = validate_bank(course.bank, exports=not args.no_exports)
    if report.problems:
        print(f"Fragenbank {course.bank}: {len(report.problems)} Probleme")
        for problem in report.problems:
            print(f"  - {problem}")
        return 1
    print(f"Fragenbank {course.bank}: OK")
    for line in report.summary():
        print(f"  {line}")
    return 0


def _export(args, course: Course) -> int:
    from ._load import load_bank
    from .export import export

    count = export(load_bank(course.bank), args.format, Path(args.out), args.topic)
    print(f"{args.out}: {count} Fragen ({args.format})")
    return 0


def _stats(args, course: Course) -> int:
    from rich.console import Console

    from ._load import load_bank
    from ._stats_table import show
    from .stats import as_json, collect

    db = None if args.no_drills else course.drills_db
    sources = collect(load_bank(course.bank), db, [Path(p) for p in args.responses or []])
    show(Console(), sources)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(as_json(sources), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"{args.json} geschrieben.")
    return 0


def _drill(args, course: Course) -> int:
    from ._terminal import run
    from .drill import Drill

    with Drill.for_course(course, args.student, args.topic, args.count) as drill:
        return run(drill)


def _exam(args, course: Course) -> int:
    from ._load import load_bank
    from .exam import generate

    exam = generate(load_bank(course.bank), args.questions, args.seed, Path(args.out),
                    Path(args.roster) if args.roster else None, args.topic)
    topics = sorted({q.topic for q in exam.questions})
    print(f"{args.out}: {len(exam.questions)} Fragen aus {len(topics)} Themen für {len(exam.papers)} Teilnehmende "
          f"(Seed {args.seed}); pruefung.moodle.xml, loesungen.html, manifest.json, je Person pruefung.html und "
          f"loesung.html.")
    return 0


def add_commands(subparsers) -> None:
    """Register ``bank`` (validate, stats, export), ``drill`` and ``exam`` on ``graders``' subparsers."""
    from .export import FORMATS

    bank = subparsers.add_parser("bank", help="Fragenbank prüfen, auswerten, exportieren")
    bank_sub = bank.add_subparsers(dest="bank_command", required=True)
    p = bank_sub.add_parser("validate", help="alle Fragen, Generatoren und Exporte prüfen")
    p.add_argument("--no-exports", action="store_true", help="Exporte nicht schreiben und wieder einlesen")
    p.set_defaults(func=_validate)
    p = bank_sub.add_parser("stats", help="Itemstatistik aus Drills und Antwort-CSVs")
    p.add_argument("--responses", action="extend", nargs="+", metavar="CSV",
                   help="Antworten einer Prüfung (student,qid,score,answer)")
    p.add_argument("--no-drills", action="store_true", help="die Drill-Datenbank nicht einbeziehen")
    p.add_argument("--json", metavar="PATH", help="Ergebnisse zusätzlich als JSON schreiben")
    p.set_defaults(func=_stats)
    p = bank_sub.add_parser("export", help="als GIFT, Moodle XML, Anki-Paket oder JSON exportieren")
    p.add_argument("--format", required=True, choices=FORMATS)
    p.add_argument("--out", required=True, metavar="PATH")
    p.add_argument("--topic", action="extend", nargs="+", metavar="T", help="nur diese(s) Thema/Themen (Schlüssel)")
    p.set_defaults(func=_export)

    p = subparsers.add_parser("drill", help="Fragen üben (Terminal); schwache Themen zuerst, dann Wiederholungen")
    p.add_argument("--student", required=True)
    p.add_argument("--topic", action="extend", nargs="+", metavar="T", help="nur diese Themen (Schlüssel)")
    p.add_argument("--count", type=int, default=10, help="Fragen pro Sitzung (Standard: 10)")
    p.set_defaults(func=_drill)

    p = subparsers.add_parser("exam", help="Prüfung ziehen: HTML je Teilnehmer/in, Lösungen, Moodle XML")
    p.add_argument("--questions", type=int, required=True, metavar="N")
    p.add_argument("--topic", action="extend", nargs="+", metavar="T", help="nur diese Themen (Schlüssel)")
    p.add_argument("--seed", type=int, required=True, metavar="K")
    p.add_argument("--roster", metavar="CSV", help="Teilnehmerliste (Spalte student/id oder Moodle-Export)")
    p.add_argument("--out", required=True, metavar="DIR")
    p.set_defaults(func=_exam)
