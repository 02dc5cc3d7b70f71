"""``check`` and ``check_function`` called inside a plain Jupyter kernel (nbgrader autograde, or
the instructor running the source notebook).

The graders engine never executes these calls: it parses them (``_checks``). When a kernel does
run them, they compute the reference the same way the engine does (the solution notebook in a
separate process, cached) and compare in this process. That keeps ``nbgrader autograde`` scoring
the same as ``graders autograde``, without the engine's isolation.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ._checks import make_spec, resolve_target
from ._compare import compare
from ._convert import to_plain
from ._inputs import check_arguments
from .course import Course, CourseError

_COURSE_FOLDERS = ("source", "release", "solutions")
_STUDENT_FOLDERS = ("submitted", "autograded")


def _assignment_of(cwd: Path, course: Course) -> str:
    """nbgrader runs a notebook in autograded/<student>/<aid>/; instructors in source/<aid>/."""
    rel = cwd.resolve().relative_to(course.root)
    parts = rel.parts
    if len(parts) >= 2 and parts[0] in _COURSE_FOLDERS:
        return parts[1]
    if len(parts) >= 3 and parts[0] in _STUDENT_FOLDERS:
        return parts[2]
    raise CourseError(f"{cwd} liegt in keinem Aufgabenordner des Kurses.")


def _run(call: str, name: str, frame_globals: dict, **kwargs) -> None:
    spec = make_spec(call, name, **kwargs)
    from ._references import load_references

    course = Course.find()
    aid = _assignment_of(Path.cwd(), course)
    try:
        value = resolve_target(frame_globals, name)
    except NameError as exc:
        raise AssertionError(str(exc)) from None
    if spec.kind == "call":
        args, kwargs = check_arguments(spec.inputs, spec.kwargs, spec.tensors)
        value = value(*args, **kwargs)
    actual = to_plain(value)
    if spec.is_threshold:
        from ._score import _threshold

        outcome = _threshold(spec, actual)
    else:
        for notebook in course.notebooks(aid):
            refs = load_references(course, aid, notebook)
            if spec.key in refs.values:
                outcome = compare(actual, refs.get(spec.key), what=spec.label, options=spec.options)
                break
        else:
            raise CourseError(f"Keine Referenz für {spec.label} in source/{aid}/.")
    if not outcome.ok:
        raise AssertionError(outcome.message)


def check(name: str, frame_globals: dict, **options) -> None:
    """Hidden test: the variable ``name`` must equal the solution's (``graders.check`` decides it is one)."""
    _run("check", name, frame_globals, **options)


def check_function(name: str, *, inputs=(), kwargs=None, tensors=None, **options) -> None:
    """Hidden test: ``name(*inputs, **kwargs)`` must return what the solution's returns."""
    _run("check_function", name, sys._getframe(1).f_globals, inputs=inputs, kwargs=kwargs, tensors=tensors,
         **options)
