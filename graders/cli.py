"""The ``graders`` command line (ARCHITECTURE.md): a thin parser over one function per subcommand."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ._mutants import DEFAULT_PER_CELL
from .course import Course, CourseError


def _release(args, course: Course) -> int:
    from .release import release

    from ._progress import progress

    aids = args.aid or course.assignments()
    for aid in aids:
        course.check_assignment(aid)
    if args.roster is not None:
        return _release_personal(args, course, aids)
    with progress(sum(len(course.notebooks(aid)) for aid in aids), "release") as step:
        for aid in aids:
            release(course, aid, on_notebook=step)
    for aid in aids:
        print(f"{aid}: {course.release(aid).relative_to(course.root)}/ (für Studierende), "
              f"{course.solutions(aid).relative_to(course.root)}/ (Musterlösung, ausgeführt)")
    return _kit(args, course)


def _release_personal(args, course: Course, aids: list[str]) -> int:
    from ._progress import progress
    from ._roster import read_roster
    from .release import release_personal

    if not args.aid:
        raise CourseError("--roster braucht die Aufgabe(n): graders release <aid> --roster teilnehmer.csv")
    students = len(read_roster(args.roster))
    with progress(students * len(aids), "release --roster") as step:
        for aid in aids:
            release_personal(course, aid, args.roster, on_student=step)
            print(f"{aid}: {students} persönliche Fassungen in release-personal/{aid}/<student>/ "
                  "(jede Person bekommt ihren Ordner)")
    return 0


def _new(args, course: Course) -> int:
    from .new import new

    notebook, wrong = new(course, args.aid, args.notebook)
    print(f"{args.aid}: {notebook.relative_to(course.root)} (Vorlage mit vier Aufgaben), "
          f"{wrong.relative_to(course.root)} (falsche Antworten, Themenliste)\n"
          f"Weiter: graders release {args.aid}, dann graders validate {args.aid}")
    return 0


def _kit(args, course: Course) -> int:
    from ._kit import build

    path = build(course)
    print(f"Prüfhilfe für Studierende: {path.relative_to(course.root)} (mit den Notebooks ausgeben; "
          f"Installation: pip install {path.name})")
    return 0


def _validate(args, course: Course) -> int:
    from ._progress import progress
    from ._runner import Engine
    from .validate import planned_runs, validate

    if args.mutants < 0:
        raise CourseError("--mutants darf nicht negativ sein.")
    aids = args.aid or course.assignments()
    for aid in aids:
        course.check_assignment(aid)
    reports = []
    with Engine(workers=args.workers) as engine, \
            progress(sum(planned_runs(course, aid, args.mutants) for aid in aids), "validate") as step:
        for aid in aids:
            reports.append(validate(course, aid, engine=engine, on_run=step, mutants=args.mutants))
    for report in reports:
        print(f"{report.aid}: {'OK' if report.ok else 'FEHLER'}")
        for fact in report.facts:
            print(f"  {fact}")
        for warning in report.warnings:
            print(f"  Warnung: {warning}")
        for error in report.errors:
            print(f"  Fehler: {error}")
    return 0 if all(r.ok for r in reports) else 1


def _mutate(args, course: Course) -> int:
    from rich.console import Console

    from ._mutation import load_equivalents, plan, planned_runs
    from ._progress import progress
    from ._runner import Engine
    from .mutate import mutate, survivors_text, table

    if args.per_cell is not None and args.per_cell < 1:
        raise CourseError("--per-cell muss mindestens 1 sein.")
    per_cell = None if args.all else args.per_cell
    aids = args.aid or course.assignments()
    plans = {aid: plan(course, aid, notebook=args.notebook, cell=args.cell, per_cell=per_cell) for aid in aids}
    total = sum(planned_runs(p, load_equivalents(course, aid)) for aid, p in plans.items())
    console = Console(width=None if sys.stdout.isatty() else 160)
    weak = 0
    with Engine(workers=args.workers) as engine, progress(total, "mutate") as step:
        for aid in aids:
            written = mutate(course, aid, notebook=args.notebook, cell=args.cell, per_cell=per_cell,
                             record=args.record, engine=engine, on_run=step, planned=plans[aid])
            console.print(table(written.analysis))
            if args.diffs:
                print(survivors_text(written.analysis))
            for path in (written.html, written.json, written.record):
                if path is not None:
                    print(path.relative_to(course.root))
            weak += len(written.analysis.weak_groups)
    return 1 if weak else 0


def _autograde(args, course: Course) -> int:
    from . import _device
    from ._runner import Limits
    from .autograde import Settings, autograde

    if args.timeout <= 0 or args.memory <= 0:
        raise CourseError("--timeout und --memory müssen positiv sein.")
    if args.device == "cpu" and (args.workers_per_gpu != 1 or args.gpu_memory_fraction is not None or args.mps):
        raise CourseError("--workers-per-gpu, --gpu-memory-fraction und --mps gelten nur mit --device cuda.")
    if args.mps and args.backend == "ray":
        raise CourseError("--mps geht nur mit --backend local (jeder Ray-Actor bräuchte einen eigenen MPS-Daemon).")
    gpu = _device.GpuSettings(workers_per_gpu=args.workers_per_gpu, memory_fraction=args.gpu_memory_fraction,
                              mps=args.mps)
    workers = args.workers
    if workers is None and args.device == "cuda":  # every place the GPUs offer
        workers = max(1, len(_device.discover()) * gpu.workers_per_gpu)
    elif workers is None:  # one notebook per core
        workers = os.cpu_count() or 1
    if workers < 1:
        raise CourseError("--workers muss mindestens 1 sein.")
    settings = Settings(limits=Limits(cell_timeout=args.timeout, notebook_timeout=args.timeout * 10,
                                      memory_gib=args.memory), device=args.device, gpu=gpu, workers=workers,
                        backend=args.backend, ray_address=args.ray_address, sandbox=not args.no_sandbox,
                        record_gradebook=not args.no_gradebook)
    results = autograde(course, args.aid, students=args.student, force=args.force, settings=settings)
    for grades in results:
        print(f"{grades.student}: {grades.score:g}/{grades.max_score:g} ({grades.status_word})")
    if not results:
        print(f"{args.aid}: nichts zu bewerten (alle Abgaben sind bewertet; --force bewertet neu).")
    return 0


def _feedback(args, course: Course) -> int:
    from .feedback import feedback

    for page in feedback(course, args.aid, args.student):
        print(page.relative_to(course.root))
    return 0


def _report(args, course: Course) -> int:
    from .report import course_report, report

    for written in [report(course, args.aid)] if args.aid else course_report(course):
        for path in (written.html, *written.csv):
            print(path.relative_to(course.root))
    return 0


def _similar(args, course: Course) -> int:
    from .similar import similar

    result = similar(course, args.aid, archives=args.archive or [], threshold=args.threshold)
    for problem in result.unreadable:
        print(f"  nicht lesbar: {problem.who}: {problem.path}: {problem.reason}")
    archived = f" und {result.archived} aus dem Archiv" if result.archived else ""
    print(f"{args.aid}: {result.submissions} Abgaben{archived} verglichen, {len(result.pairs)} auffällige(s) Paar(e), "
          f"{len(result.groups)} Gruppe(n) von drei oder mehr")
    for pair in result.pairs[:10]:
        print(f"  {round(100 * pair.score):3d} %  {pair.a.name} – {pair.b.name} ({pair.lines} gemeinsame Zeilen)")
    for path in (result.html, result.csv):
        print(path.relative_to(course.root))
    return 0


def _collect(args, course: Course) -> int:
    from .collect import collect, exchange_inbound

    exchange = None
    if args.from_exchange is not None:
        exchange = Path(args.from_exchange) if args.from_exchange else exchange_inbound(course)
    result = collect(course, args.aid, moodle=args.from_moodle, folder=args.from_dir, exchange=exchange,
                     roster=args.roster)
    problems = sum(1 for line in result.lines if not line[3] and line[4])
    print(f"{args.aid}: {len(result.students)} Abgabe(n) in submitted/, {problems} Hinweis(e) – "
          f"Bericht: {result.report.relative_to(course.root)}")
    return 0


def _return(args, course: Course) -> int:
    from .returns import to_exchange, to_moodle

    if args.to_moodle and (args.worksheet is None or args.exchange is not None):
        raise CourseError("--to-moodle braucht --worksheet CSV (die aus Moodle heruntergeladene Bewertungstabelle) "
                          "und nimmt kein --exchange.")
    if args.to_exchange and (args.worksheet is not None or args.out is not None):
        raise CourseError("--worksheet und --out gelten nur mit --to-moodle.")
    if args.to_moodle:
        result = to_moodle(course, args.aid, args.worksheet, args.out)
    else:
        result = to_exchange(course, args.aid, args.exchange)
    for note in result.notes:
        print(f"Hinweis: {note}")
    for path in result.written:
        print(path.relative_to(course.root) if path.is_relative_to(course.root) else path)
    print(f"{args.aid}: Rückmeldung für {len(result.students)} Studierende.")
    return 0


def _status(args, course: Course) -> int:
    from rich.console import Console

    from . import late
    from .status import status, table

    cfg = late.config(course)
    rows = status(course, args.aid, args.roster)
    budget = late.Deadlines(config=cfg).late_days
    Console(width=None if sys.stdout.isatty() else 140).print(
        table(rows, args.aid, late.local_zone(cfg), late.duedate(course, args.aid, cfg), budget))
    return 0


def _sync_manual(args, course: Course) -> int:
    from .manual import sync_manual

    changed, problems = sync_manual(course, args.aid)
    for grades in changed:
        print(f"{grades.student}: {grades.score:g}/{grades.max_score:g} Punkte")
    for problem in problems:
        print(f"Abgelehnt: {problem}")
    print(f"{args.aid}: {len(changed)} Bewertung(en) aus formgrader übernommen.")
    return 1 if problems else 0


def _formgrader(args, course: Course) -> int:
    from .formgrader import start

    server = start(course, args.port)
    print(f"formgrader (nbgrader) für {course.root}:\n  {server.url}\n"
          f"Von Hand bewertete Zellen: Manual Grading -> Aufgabe -> Notebook; danach graders sync-manual <aid>.\n"
          f"Beenden mit Strg+C (Protokoll: {server.log.relative_to(course.root)}).")
    try:
        return server.process.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        server.stop()


def _deadlines(args, course: Course) -> int:
    from .autograde import repenalize

    for aid in args.aid:
        course.check_assignment(aid)
    changed = repenalize(course, args.aid or None)
    for before, after in changed:
        print(f"{after.assignment} {after.student}: {before.score:g} -> {after.score:g}/{after.max_score:g} Punkte")
    print(f"Fristen neu angerechnet: {len(changed)} Bewertung(en) geändert, nichts neu bewertet.")
    return 0


def _demo(args, course: Course) -> int:
    from .demo import demo

    return demo(course)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="graders", description="Bewertete Übungen und Autograding.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("release", help="source/ -> release/ und solutions/")
    p.add_argument("aid", nargs="*")
    p.add_argument("--roster", type=Path, metavar="CSV",
                   help="Aufgaben mit variante(): eine persönliche Fassung je Person der Liste (release-personal/)")
    p.set_defaults(func=_release)
    p = sub.add_parser("new", help="neue Aufgabe aus der Vorlage: source/<aid>/ und content/<aid>/")
    p.add_argument("aid")
    p.add_argument("--notebook", default="aufgabe", metavar="NAME", help="Name des Notebooks (Standard: aufgabe)")
    p.set_defaults(func=_new)
    p = sub.add_parser("kit", help="die Prüfhilfe für Studierende bauen: release/_kit/graders_student-….whl")
    p.set_defaults(func=_kit)
    p = sub.add_parser("collect", help="Abgaben einsammeln (Moodle-ZIP, Ordner, nbgrader-Exchange)")
    p.add_argument("aid")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--from-moodle", type=Path, metavar="ZIP", help="Moodle: »Alle Abgaben herunterladen«")
    source.add_argument("--from-dir", type=Path, metavar="DIR", help="ein Ordner oder eine Datei pro Student")
    source.add_argument("--from-exchange", nargs="?", const="", metavar="INBOUND",
                        help="nbgrader-Exchange (Standard: c.Exchange.root/<course_id>/inbound)")
    p.add_argument("--roster", type=Path, metavar="CSV", help="Teilnehmerliste (Moodle-Export): Teilnehmer -> Kennung")
    p.set_defaults(func=_collect)
    p = sub.add_parser("status", help="pro Student: abgegeben, wann, verspätet, bewertet, Punkte")
    p.add_argument("aid")
    p.add_argument("--roster", type=Path, metavar="CSV", help="Standard: die Liste des letzten collect --roster")
    p.set_defaults(func=_status)
    p = sub.add_parser("sync-manual", help="von Hand vergebene Punkte und Kommentare aus formgrader übernehmen")
    p.add_argument("aid")
    p.set_defaults(func=_sync_manual)
    p = sub.add_parser("formgrader", help="nbgrader-formgrader starten, um von Hand bewertete Zellen zu bewerten")
    p.add_argument("--port", type=int, default=8888, help="Port auf localhost (Standard: 8888)")
    p.set_defaults(func=_formgrader)
    p = sub.add_parser("deadlines", help="Fristen, Verlängerungen und Verspätungstage neu anrechnen (ohne neu zu bewerten)")
    p.add_argument("aid", nargs="*", help="ohne Aufgabe: alle")
    p.set_defaults(func=_deadlines)
    p = sub.add_parser("validate", help="Lösung, Release und falsche Antworten prüfen")
    p.add_argument("aid", nargs="*")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    p.add_argument("--mutants", type=int, default=3, metavar="N",
                   help="pro Notebook N Mutanten, die laut content/<aid>/mutation.yaml getötet werden, erneut "
                        "prüfen (0: nur das Protokoll prüfen; die volle Analyse ist graders mutate)")
    p.set_defaults(func=_validate)
    p = sub.add_parser("mutate", help="Mutationsanalyse: erkennen die versteckten Tests kleine Fehler?")
    p.add_argument("aid", nargs="*", help="ohne Aufgabe: alle")
    p.add_argument("--notebook", help="nur dieses Notebook")
    p.add_argument("--cell", help="nur die Mutanten dieser Lösungszelle (grade_id)")
    p.add_argument("--per-cell", type=int, default=DEFAULT_PER_CELL, metavar="N",
                   help=f"höchstens N Mutanten pro Lösungszelle, fest ausgewählt (Standard: {DEFAULT_PER_CELL})")
    p.add_argument("--all", action="store_true", help="alle erzeugten Mutanten")
    p.add_argument("--record", action="store_true",
                   help="Ergebnis in content/<aid>/mutation.yaml festhalten (nur ohne --notebook/--cell)")
    p.add_argument("--no-diffs", dest="diffs", action="store_false", help="überlebende Mutanten nicht ausgeben")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    p.set_defaults(func=_mutate)
    p = sub.add_parser("autograde", help="Abgaben bewerten")
    p.add_argument("aid")
    p.add_argument("--student", action="append", help="nur diese(n) Studierende(n) (neu) bewerten")
    p.add_argument("--workers", type=int, default=None,
                   help="parallele Prozesse (Standard: Kerne; mit --device cuda: GPUs × --workers-per-gpu)")
    p.add_argument("--backend", choices=("local", "ray"), default="local",
                   help="local: Prozesspool auf dieser Maschine; ray: Ray-Actors (Cluster)")
    p.add_argument("--ray-address", default=None, help="Adresse eines Ray-Clusters (Standard: lokal starten)")
    p.add_argument("--device", choices=("cpu", "cuda"), default="cpu",
                   help="cuda: je GPU (oder MIG-Instanz) --workers-per-gpu Worker, TF32 aus, deterministische Ops")
    p.add_argument("--workers-per-gpu", type=int, default=1, metavar="N",
                   help="mit --device cuda: N Worker teilen sich eine GPU (Standard: 1)")
    p.add_argument("--gpu-memory-fraction", type=float, default=None, metavar="F",
                   help="mit --device cuda: Anteil des GPU-Speichers pro Worker, in (0, 1] "
                        "(Standard: 0.9 / --workers-per-gpu)")
    p.add_argument("--mps", action="store_true",
                   help="mit --device cuda: die Worker einer GPU laufen über CUDA MPS gleichzeitig, wo "
                        "nvidia-cuda-mps-control installiert ist (nur ohne Sandbox)")
    p.add_argument("--force", action="store_true", help="bereits bewertete Abgaben neu bewerten")
    p.add_argument("--timeout", type=float, default=120.0, help="Zeitlimit pro Zelle in Sekunden")
    p.add_argument("--memory", type=float, default=4.0, help="Speicherlimit pro Abgabe in GiB")
    p.add_argument("--no-sandbox", action="store_true",
                   help="ohne bubblewrap-Sandbox bewerten (nur für vertrauenswürdige Abgaben)")
    p.add_argument("--no-gradebook", action="store_true",
                   help="Probelauf: grades.json schreiben, gradebook.db nicht verändern")
    p.set_defaults(func=_autograde)
    p = sub.add_parser("feedback", help="HTML-Rückmeldung pro Abgabe")
    p.add_argument("aid")
    p.add_argument("--student", action="append")
    p.set_defaults(func=_feedback)
    p = sub.add_parser("return", help="Rückmeldung an die Studierenden: Upload für Moodle oder nbgrader-Exchange")
    p.add_argument("aid")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--to-moodle", action="store_true",
                        help="die Feedbackdateien als ZIP (in Moodle: mehrere Feedbackdateien als ZIP hochladen) "
                             "und die ausgefüllte Bewertungstabelle schreiben")
    target.add_argument("--to-exchange", action="store_true",
                        help="Rückmeldungen in den nbgrader-Exchange legen (für nbgrader fetch_feedback)")
    p.add_argument("--worksheet", type=Path, metavar="CSV",
                   help="mit --to-moodle: die aus Moodle heruntergeladene Bewertungstabelle (»Bewertungstabelle "
                        "herunterladen«); eine ausgefüllte Kopie wird geschrieben")
    p.add_argument("--out", type=Path, metavar="DIR",
                   help="mit --to-moodle: Zielordner (Standard: reports/<aid>/moodle/)")
    p.add_argument("--exchange", type=Path, metavar="PATH",
                   help="mit --to-exchange: Wurzel des Exchange (Standard: c.Exchange.root aus nbgrader_config.py)")
    p.set_defaults(func=_return)
    p = sub.add_parser("report", help="Klassenbericht (HTML mit Grafiken, CSV für Moodle)")
    p.add_argument("aid", nargs="?", help="ohne Aufgabe: Bericht jeder bewerteten Aufgabe und der Kursbericht")
    p.set_defaults(func=_report)
    from .similar import Settings as SimilarSettings

    p = sub.add_parser("similar", help="Ähnlichkeitsbericht: welche Abgaben teilen auffällig viel eigenen Code?")
    p.add_argument("aid")
    p.add_argument("--archive", action="append", type=Path, metavar="DIR",
                   help="Abgaben früherer Jahrgänge zum Vergleich (DIR/<student>/<aid>/*.ipynb oder ein Ordner mit "
                        "Notebooks); mehrfach möglich")
    p.add_argument("--threshold", type=float, default=None, metavar="X",
                   help="auffällig ab diesem Anteil gemeinsamen eigenen Codes, zwischen 0 und 1 "
                        f"(Standard: {SimilarSettings.threshold:g})")
    p.set_defaults(func=_similar)
    p = sub.add_parser("demo", help="der ganze Ablauf mit den Beispielabgaben")
    p.set_defaults(func=_demo)
    from .bank.cli import add_commands as add_bank_commands

    add_bank_commands(sub)  # bank validate|stats|export, drill, exam
    return parser


def main(argv: list[str] | None = None) -> int:
    from ._device import DeviceError
    from ._references import ReferenceError
    from ._runner import SandboxUnavailable

    args = build_parser().parse_args(argv)
    try:
        return args.func(args, Course.find())
    except SandboxUnavailable as exc:
        print(f"graders: Die Sandbox für Studierendencode kann nicht starten: {exc}\n"
              "Ohne Sandbox bewerten (nur vertrauenswürdige Abgaben): --no-sandbox", file=sys.stderr)
        return 2
    except (CourseError, DeviceError, ReferenceError) as exc:
        print(f"graders: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
