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
    for hint in report.hints:
        print(f"  Hinweis: {hint}")
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
    from .stats import collect, facilities

    bank = load_bank(course.bank)
    # item statistics, where there are any, decide the difficulty class of a question
    db = course.drills_db if course.drills_db.is_file() else None
    facility = facilities(collect(bank, db, [Path(p) for p in args.responses or []]))
    exam = generate(bank, args.questions, args.seed, Path(args.out), Path(args.roster) if args.roster else None,
                    args.topic, facility, args.same_questions)
    topics = sorted({slot.topic for slot in exam.slots})
    how = ("alle dieselben Fragen" if args.same_questions else
           f"je Person eigene Auswahl aus {len(exam.questions)} Fragen und eigene Reihenfolge")
    print(f"{args.out}: {len(exam.slots)} Aufgaben aus {len(topics)} Themen für {len(exam.papers)} Teilnehmende "
          f"(Seed {args.seed}; {how}); pruefung.moodle.xml, loesungen.html, manifest.json, je Person "
          f"pruefung.html und loesung.html.")
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
    p.add_argument("--same-questions", action="store_true",
                   help="alle bekommen dieselben Fragen in derselben Reihenfolge (sonst je Person eine eigene "
                        "Auswahl gleicher Themen und Schwierigkeit)")
    p.add_argument("--responses", action="extend", nargs="+", metavar="CSV",
                   help="Antworten früherer Prüfungen für die Schwierigkeit (neben der Drill-Datenbank)")
    p.set_defaults(func=_exam)
