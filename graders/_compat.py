"""``check``, ``check_function`` and ``check_structure`` called inside a plain Jupyter kernel (nbgrader
autograde, or the instructor running the source notebook).

The graders engine never executes these calls: it parses them (``_checks``). When a kernel does
run them, they compute the reference the same way the engine does (the solution notebook in a
separate process, cached) and compare in this process. That keeps ``nbgrader autograde`` scoring
the same as ``graders autograde``, without the engine's isolation.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ._capture import pack, unpack
from ._checks import make_spec, resolve_target
from ._convert import value_kind
from ._describe import describe
from ._inputs import check_arguments
from ._policy import Environment
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
    from ._score import judge

    course = Course.find()
    aid = _assignment_of(Path.cwd(), course)
    try:
        value = resolve_target(frame_globals, name)
    except NameError as exc:
        raise AssertionError(str(exc)) from None
    args, kwargs = check_arguments(spec.inputs, spec.kwargs, spec.tensors) if spec.kind == "call" else ([], {})
    if spec.kind == "call":
        value = value(*args, **kwargs)
    envelope = pack(describe(value) if spec.kind == "structure" else value, value_kind(value),
                    (args, kwargs) if spec.unchanged else None)
    actual = unpack(envelope, unchanged=spec.unchanged)  # the same capture the engine's harness writes
    expected = None
    if not spec.is_threshold:
        for notebook in course.notebooks(aid):
            refs = load_references(course, aid, notebook)
            if spec.key in refs.values:
                expected = refs.capture(spec.key)
                break
        else:
            raise CourseError(f"Keine Referenz für {spec.label} in source/{aid}/.")
    outcome = judge(spec, actual, expected, Environment())
    if not outcome.ok:
        raise AssertionError(outcome.message)


def check(name: str, frame_globals: dict, **options) -> None:
    """Hidden test: the variable ``name`` must equal the solution's (``graders.check`` decides it is one)."""
    _run("check", name, frame_globals, **options)


def check_function(name: str, *, inputs=(), kwargs=None, tensors=None, **options) -> None:
    """Hidden test: ``name(*inputs, **kwargs)`` must return what the solution's returns."""
    _run("check_function", name, sys._getframe(1).f_globals, inputs=inputs, kwargs=kwargs, tensors=tensors,
         **options)


def check_structure(name: str, *, ignore=()) -> None:
    """Hidden test: the model, optimizer, loss or estimator ``name`` must be built like the solution's."""
    _run("check_structure", name, sys._getframe(1).f_globals, ignore=ignore)
