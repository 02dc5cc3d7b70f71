"""``--backend ray``: the same workers as Ray actors, for grading on a cluster.

Each actor owns a one-worker ``Engine`` (its own warm zygote) and grades whole submissions; the
driver stays the single writer. On GPU runners every actor requests its share of a GPU
(1 / workers_per_gpu), and Ray's ``CUDA_VISIBLE_DEVICES`` for that actor becomes its zygote's
device. The course folder must be reachable under the same path on every node (a shared file
system); ``ray.init()`` without an address starts a local cluster.
"""

from __future__ import annotations

import hashlib
import platform
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from .course import CourseError


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of this graders package's source: a node with other code would grade differently."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


class _GradingActor:
    def __init__(self, root: str, aid: str, settings, fingerprint: str | None = None):
        from ._runner import Engine
        from .course import Course
        from .grading import prepare

        self.problem = None
        if fingerprint is not None and fingerprint != code_fingerprint():
            self.problem = (f"Knoten {platform.node()}: graders hat dort anderen Code ({code_fingerprint()} statt "
                            f"{fingerprint}); jeder Knoten braucht denselben Stand des Projekts.")
            return
        self.course, self.aid, self.settings = Course(Path(root)), aid, settings
        self.engine = Engine(workers=1, device=settings.device, sandbox=settings.sandbox, gpu=settings.gpu)
        self.references = prepare(self.course, aid, self.engine)

    def check(self) -> str | None:
        """Why this actor cannot grade (German), or None."""
        return self.problem

    def grade(self, student: str):
        from .grading import grade_safely

        return grade_safely(self.course, self.aid, student, self.settings, self.references, self.engine)

    def visible_devices(self) -> str:
        import os

        return os.environ.get("CUDA_VISIBLE_DEVICES", "")


def start(attempts: int = 3, **init_kwargs) -> None:
    """``ray.init`` with retries: on a busy machine the raylet gives up when its dashboard agent
    takes longer than a hard-coded 15 s to start (ray-project/ray#65983); a second try succeeds."""
    import ray

    for attempt in range(1, attempts + 1):
        try:
            ray.init(include_dashboard=False, log_to_driver=False, **init_kwargs)
            return
        except Exception:  # ray raises a bare Exception for a node that timed out during startup
            ray.shutdown()
            if attempt == attempts:
                raise


def grade_all(course, aid: str, students: list[str], settings) -> Iterator:
    """Yield one ``SubmissionResult`` per student, in completion order."""
    try:
        import ray
        from ray.util import ActorPool
    except ImportError:
        raise CourseError("--backend ray braucht Ray: pip install -e '.[ray]'") from None
    if not ray.is_initialized():
        start(address=settings.ray_address)
    gpus = 1 / settings.gpu.workers_per_gpu if settings.device == "cuda" else 0
    actor_class = ray.remote(num_cpus=1, num_gpus=gpus)(_GradingActor)
    actors = [actor_class.remote(str(course.root), aid, settings, code_fingerprint()) for _ in range(settings.workers)]
    try:
        _check(ray, actors)
        yield from ActorPool(actors).map_unordered(lambda actor, student: actor.grade.remote(student), students)
    finally:
        for actor in actors:
            ray.kill(actor)


def _check(ray, actors) -> None:
    """Every actor started with the driver's code, before any submission is handed out."""
    problems = []
    for actor in actors:
        try:
            problem = ray.get(actor.check.remote())
        except ray.exceptions.RayActorError as exc:
            problem = (f"ein Ray-Actor startete nicht ({type(exc).__name__}: {str(exc).splitlines()[0][:300]}); "
                       "haben alle Knoten dasselbe graders, dieselbe Python- und Paketversionen?")
        if problem:
            problems.append(problem)
    if problems:
        raise CourseError("--backend ray: " + " ".join(sorted(set(problems))))
