"""GPU proof (issue 18): what ``benchmarks/gpu_check.sh`` runs once its wheels are on the path.

1. tests/test_gpu.py, unfaked (each worker its own GPU, ``_device.configure`` applied, GPU in grades.json);
2. determinism: the same submission graded twice on the GPU, same scores, bit-identical captured values;
3. TF32 probe: a float32 matmul in a graded notebook's process against a float64 reference, with the
   grader's settings and again with TF32 switched on, so the probe can tell the two apart;
4. TensorFlow: its flags in a notebook's process, or "nicht geprüft" where it is not installed;
5. speed: the CNN notebook of benchmarks/gpu_course/ graded with 1, 2, 4 and 8 workers on one GPU
   against the CPU pool (one worker per core), N submissions each.

It ends with one summary line and exits non-zero if a check failed. ``--cpu-dry-run`` runs what needs
no CUDA on the CPU: the plumbing of every step, the CPU pool's speed, no GPU verdicts.
The sandbox stays off: the GPU runner has no bubblewrap, and the unpacked wheels would lie outside it.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path

from graders import _device
from graders._device import GpuSettings
from graders._plaindata import read_plain
from graders._runner import DEFAULT_WARM, Engine, Limits
from graders.course import Course
from graders.grading import Settings, grade_submission, prepare

ROOT = Path(__file__).resolve().parents[1]
COURSE = ROOT / "benchmarks" / "gpu_course"
AID, NOTEBOOK = "gpu-cnn", "cnn.ipynb"
WORKERS_PER_GPU = [1, 2, 4, 8]  # --workers-per-gpu narrows it
LIMITS = Limits(cell_timeout=300, notebook_timeout=600, memory_gib=8)
# what a float32 matmul of 2048 terms may be off by (relative to max|reference|); TF32 is ~1e-4
FLOAT32_LEVEL = 1e-5
TF32_FACTOR = 10.0
STARTED = time.monotonic()


def say(text: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.1f}s] {text}", flush=True)


@dataclass
class Verdict:
    """One check's outcome: ``ok`` True/False, or None where it did not run (dry run, not installed)."""
    word: str  # what the summary line shows
    ok: bool | None = True
    details: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)  # what later steps or the summary use


def guarded(step, *args) -> Verdict:
    """A step that crashes is a failed check, and the remaining steps and the summary still run."""
    try:
        return step(*args)
    except Exception as exc:  # noqa: BLE001 - reported, never hidden
        traceback.print_exc()
        return Verdict("FAILED", False, [f"{step.__name__}: {type(exc).__name__}: {exc}"])


# -- engines and courses ----------------------------------------------------------------------------

def warm_modules() -> tuple[str, ...]:
    """Warm only the frameworks that are installed (the GPU runner has PyTorch, not TensorFlow)."""
    return tuple(name for name in DEFAULT_WARM if find_spec(name.split(".")[0]) is not None)


@contextlib.contextmanager
def engine(device: str, workers: int, workers_per_gpu: int = 1):
    """A pool of ``workers`` warm workers, all on the first GPU when ``device`` is cuda."""
    if device == "cpu":
        with Engine(workers=workers, device="cpu", warm=warm_modules(), sandbox=False) as pool:
            yield pool
        return
    # all workers on the first GPU: the timing is per GPU
    first = _device.discover()[0]
    before = os.environ.get("CUDA_VISIBLE_DEVICES")
    os.environ["CUDA_VISIBLE_DEVICES"] = first
    try:
        with Engine(workers=workers, device="cuda", warm=warm_modules(), sandbox=False,
                    gpu=GpuSettings(workers_per_gpu=workers_per_gpu)) as pool:
            yield pool
    finally:
        if before is None:
            os.environ.pop("CUDA_VISIBLE_DEVICES", None)
        else:
            os.environ["CUDA_VISIBLE_DEVICES"] = before


def settings(device: str, workers: int, workers_per_gpu: int = 1) -> Settings:
    common = dict(limits=LIMITS, device=device, workers=workers, sandbox=False, record_gradebook=False)
    if device == "cuda":
        return Settings(**common, gpu=GpuSettings(workers_per_gpu=workers_per_gpu))
    return Settings(**common)


def course_with(folder: Path, submissions: int) -> Course:
    """A throwaway copy of the GPU course with ``submissions`` copies of the correct submission."""
    shutil.copytree(COURSE / "source", folder / "source")
    for number in range(submissions):
        target = folder / "submitted" / f"s{number:03d}" / AID
        target.mkdir(parents=True)
        shutil.copyfile(COURSE / "abgabe" / NOTEBOOK, target / NOTEBOOK)
    return Course(folder)


class CaptureDigests:
    """Hands runs to the engine and keeps a digest of every run's captured values (bytes, names)."""

    def __init__(self, pool: Engine):
        self.pool, self.digests = pool, []

    def run(self, cells, inputs, **kwargs):
        result = self.pool.run(cells, inputs, **kwargs)
        digest = hashlib.sha256()
        for path in sorted(p for p in result.captures.rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(result.captures)).encode() + b"\0" + path.read_bytes())
        self.digests.append(digest.hexdigest())
        return result


def full_marks(grades: dict) -> bool:
    return grades["status"] == "graded" and grades["score"] == grades["max_score"] > 0


def cell_outcomes(grades: dict) -> list[tuple]:
    return [(c["grade_id"], c["score"], c.get("message", "")) for e in grades["notebooks"] for c in e["cells"]]


# -- the checks -------------------------------------------------------------------------------------

def run_tests(dry: bool) -> Verdict:
    say("1/5 tests/test_gpu.py (ohne Fälschung)")
    command = [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", "tests/test_gpu.py"]
    try:
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        return Verdict("FAILED(timeout)", False, ["tests/test_gpu.py: nach 300 s abgebrochen"])
    lines = (done.stdout + done.stderr).strip().splitlines()
    for line in lines[-12:]:
        print(f"    {line}")
    last = lines[-1] if lines else ""
    if done.returncode not in (0, 5):  # 5: nothing collected, as when the module skips itself
        return Verdict("FAILED", False, [f"tests/test_gpu.py: {last}"])
    if "passed" not in last:  # everything skipped
        return Verdict("skipped(kein CUDA)", None if dry else False,
                       [] if dry else ["tests/test_gpu.py: übersprungen, obwohl eine GPU da sein sollte"])
    return Verdict("ok")


def check_determinism(device: str, course: Course, gpu_name: str) -> Verdict:
    say(f"2/5 Determinismus: dieselbe Abgabe zweimal bewerten ({device})")
    with engine(device, 1) as pool:
        references = prepare(course, AID, pool)
        recorder = CaptureDigests(pool)
        runs = [grade_submission(course, AID, "s000", settings(device, 1), references, recorder).grades.to_json()
                for _ in range(2)]
    problems = []
    if not all(full_marks(g) for g in runs):
        problems.append(f"die richtige Abgabe bekam {runs[0]['score']:g} und {runs[1]['score']:g} "
                        f"von {runs[0]['max_score']:g} Punkten: {cell_outcomes(runs[0])}")
    if cell_outcomes(runs[0]) != cell_outcomes(runs[1]):
        problems.append(f"Punkte je Zelle weichen ab: {cell_outcomes(runs[0])} / {cell_outcomes(runs[1])}")
    if len(set(recorder.digests)) != 1 or len(recorder.digests) != 2:
        problems.append(f"die erfassten Werte sind nicht bitgleich (sha256 {', '.join(d[:12] for d in recorder.digests)})")
    say(f"    Punkte {runs[0]['score']:g}/{runs[0]['max_score']:g} und {runs[1]['score']:g}/{runs[1]['max_score']:g}, "
        f"erfasste Werte sha256 {' / '.join(d[:12] for d in recorder.digests)}")
    if device == "cuda":  # what grades.json records, from the grader's side (_environment.record)
        recorded = runs[0]["environment"].get("gpu", {})
        say(f"    grades.json: GPU {recorded.get('name')}, Treiber {recorded.get('driver')}")
        if recorded.get("name") != gpu_name or recorded.get("driver") in (None, "unbekannt"):
            problems.append(f"grades.json nennt die GPU nicht richtig: {recorded}")
    return Verdict("FAILED", False, problems) if problems else Verdict("ok")


TF32_PROBE = """\
import torch

geraet = "cuda" if torch.cuda.is_available() else "cpu"
erzeuger = torch.Generator().manual_seed(0)
a64 = torch.randn(2048, 2048, generator=erzeuger, dtype=torch.float64)
b64 = torch.randn(2048, 2048, generator=erzeuger, dtype=torch.float64)
referenz = a64 @ b64
a, b = a64.float().to(geraet), b64.float().to(geraet)


def fehler():
    produkt = (a @ b).double().cpu()
    return float((produkt - referenz).abs().max() / referenz.abs().max())


tf32_flag = bool(torch.backends.cuda.matmul.allow_tf32)  # as the grader's settings left it
fehler_eingestellt = fehler()
torch.backends.cuda.matmul.allow_tf32 = True
fehler_tf32 = fehler()
torch.backends.cuda.matmul.allow_tf32 = False
"""


def run_probe(device: str, source: str, names: tuple[str, ...], label: str) -> dict | Verdict:
    """The values ``names`` of one probe cell run in a graded notebook's process, or a failed verdict."""
    cells = [{"source": source, "captures": [{"key": n, "kind": "value", "name": n} for n in names]}]
    with engine(device, 1) as pool:
        result = pool.run(cells, {}, limits=LIMITS)
        try:
            cell = result.cells[0]
            if cell.status != "ok":
                return Verdict("FAILED", False, [f"{label}: {cell.status} {cell.ename}: {cell.evalue}"])
            return {n: read_plain(result.captures / n)["value"] for n in names}
        finally:
            result.cleanup()


def probe_tf32(device: str) -> Verdict:
    say(f"3/5 TF32-Probe: float32-Matmul 2048×2048 gegen float64 im Notebook-Prozess ({device})")
    names = ("tf32_flag", "fehler_eingestellt", "fehler_tf32", "geraet")
    values = run_probe(device, TF32_PROBE, names, "TF32-Probe")
    if isinstance(values, Verdict):
        return values
    flag, err, tf32_err = (_scalar(values[n]) for n in names[:3])
    say(f"    Gerät {_scalar(values['geraet'])}: allow_tf32={flag}, Fehler {err:.2e}, mit TF32 {tf32_err:.2e}")
    numbers = f"err={err:.1e}, tf32_err={tf32_err:.1e}"
    if device == "cpu":  # a CPU has no TF32: the probe's plumbing ran, no verdict
        return Verdict(f"dry({numbers})", None)
    problems = []
    if flag:
        problems.append("torch.backends.cuda.matmul.allow_tf32 ist im Notebook-Prozess an")
    if not err <= FLOAT32_LEVEL:
        problems.append(f"float32-Matmul weicht um {err:.2e} ab (float32-Niveau: ≤ {FLOAT32_LEVEL:g})")
    if not tf32_err >= TF32_FACTOR * err:
        problems.append(f"mit TF32 nur {tf32_err:.2e} gegen {err:.2e}: die Probe unterscheidet TF32 nicht")
    return Verdict(f"{'FAILED' if problems else 'ok'}({numbers})", not problems, problems)


def _scalar(value):
    value = getattr(value, "value", value)  # plain data: arrays come back wrapped
    return value.item() if hasattr(value, "item") else value


TF_PROBE = """\
import tensorflow as tf

gpus = tf.config.list_physical_devices("GPU")
tf32_an = bool(tf.config.experimental.tensor_float_32_execution_enabled())
wachstum = [bool(tf.config.experimental.get_memory_growth(g)) for g in gpus]
anzahl_gpus = len(gpus)
"""


def check_tensorflow(device: str) -> Verdict:
    if find_spec("tensorflow") is None:
        say("4/5 TensorFlow: nicht geprüft (nicht installiert)")
        return Verdict("not-checked", None)
    say(f"4/5 TensorFlow: Einstellungen im Notebook-Prozess ({device})")
    names = ("tf32_an", "wachstum", "anzahl_gpus")
    values = run_probe(device, TF_PROBE, names, "TensorFlow-Probe")
    if isinstance(values, Verdict):
        return values
    tf32_on, growth, gpus = (values[n] for n in names)
    tf32_on, gpus = _scalar(tf32_on), _scalar(gpus)
    growth = [_scalar(g) for g in growth]
    say(f"    GPUs sichtbar: {gpus}, TF32 an: {tf32_on}, Speicherwachstum: {growth}")
    if device == "cpu":
        return Verdict("dry", None)
    problems = [text for bad, text in ((gpus != 1, f"TensorFlow sieht {gpus} GPUs statt einer"),
                                       (tf32_on, "TensorFlow rechnet mit TF32"),
                                       (not all(growth), "TensorFlow ohne Speicherwachstum")) if bad]
    return Verdict("FAILED" if problems else "ok", not problems, problems)


def time_grading(label: str, device: str, workers: int, workers_per_gpu: int, course: Course,
                 submissions: int) -> tuple[float, list[str]]:
    """Submissions per second of grading ``submissions`` copies of the correct work with warm workers."""
    students = [f"s{n:03d}" for n in range(submissions)]
    with engine(device, workers, workers_per_gpu) as pool:
        references = prepare(course, AID, pool)  # computed once per course copy
        # one short job per worker at once, so every warm worker is up before the clock starts
        with ThreadPoolExecutor(workers) as threads:
            list(threads.map(lambda _: pool.run([{"source": "import time\ntime.sleep(1)", "captures": []}], {})
                             .cleanup(), range(workers)))
        started = time.monotonic()
        with ThreadPoolExecutor(workers) as threads:
            grades = list(threads.map(lambda s: grade_submission(course, AID, s, settings(device, workers, workers_per_gpu),
                                                                 references, pool).grades.to_json(), students))
        elapsed = time.monotonic() - started
    wrong = [f"{label}: {g['student']} bekam {g['score']:g}/{g['max_score']:g} {cell_outcomes(g)}"
             for g in grades if not full_marks(g)]
    rate = submissions / elapsed
    say(f"    {label}: {submissions} Abgaben in {elapsed:.1f} s = {rate:.2f}/s"
        + (f", {len(wrong)} ohne volle Punkte" if wrong else ""))
    return rate, wrong


def time_cnn(dry: bool, submissions: int, cpu_workers: int, budget_s: float, folder: Path) -> Verdict:
    say(f"5/5 Tempo: CNN-Notebook, je {submissions} Abgaben, CPU-Pool mit {cpu_workers} Workern"
        + ("" if dry else f", dann {', '.join(map(str, WORKERS_PER_GPU))} Worker auf einer GPU"))
    rates, problems = {}, []
    plans = [("cpu", "cpu", cpu_workers, 1)] + ([] if dry else [(f"w{w}", "cuda", w, w) for w in WORKERS_PER_GPU])
    courses = {device: course_with(folder / f"tempo-{device}", submissions) for device in ("cpu", "cuda")}
    for label, device, workers, per_gpu in plans:
        if time.monotonic() - STARTED > budget_s:
            say(f"    {label}: übersprungen (Zeitbudget {budget_s:.0f} s erreicht)")
            problems.append(f"{label}: übersprungen (Zeitbudget)")
            continue
        try:
            rates[label], wrong = time_grading(label, device, workers, per_gpu, courses[device], submissions)
            problems += wrong
        except Exception as exc:  # noqa: BLE001 - the other worker counts still get measured
            traceback.print_exc()
            problems.append(f"{label}: {type(exc).__name__}: {exc}")
    if "cpu" in rates:
        for label, rate in rates.items():
            if label != "cpu":
                say(f"    {label}: {rate / rates['cpu']:.2f}× der CPU-Pool")
    return Verdict("ok" if not problems else "FAILED", not problems, problems, {"rates": rates})


# -- main -------------------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cpu-dry-run", action="store_true", help="what needs no CUDA, on the CPU")
    parser.add_argument("--submissions", type=int, default=None, help="submissions per timing (GPU 24, dry run 2)")
    parser.add_argument("--workers-per-gpu", default=",".join(map(str, WORKERS_PER_GPU)),
                        help="the worker counts to time on one GPU, e.g. 4,8")
    parser.add_argument("--budget-s", type=float, default=420.0, help="skip further timings after this many seconds")
    args = parser.parse_args()
    WORKERS_PER_GPU[:] = [int(w) for w in args.workers_per_gpu.split(",")]
    dry = args.cpu_dry_run
    submissions = args.submissions or (2 if dry else 24)
    cpu_workers = min(os.cpu_count() or 1, 2) if dry else (os.cpu_count() or 1)

    gpus = [] if dry else _device.discover()
    if not dry and not gpus:
        print("gpu_check: keine NVIDIA-GPU gefunden (nvidia-smi -L); ohne GPU: --cpu-dry-run", flush=True)
        return 2
    device = "cpu" if dry else "cuda"
    gpu_name = "none(cpu-dry-run)" if dry else _device.describe(gpus[0])["name"]
    say(f"Python {sys.version.split()[0]}, graders aus {Path(_device.__file__).parent}, Gerät {device}, GPU: {gpu_name}")
    say(f"Warm im Zygoten: {', '.join(warm_modules()) or 'nichts'}; Sandbox: aus "
        f"({'bubblewrap fehlt' if shutil.which('bwrap') is None else 'bubblewrap da, aber die Wheels lägen außerhalb'})")

    verdicts = {}
    with tempfile.TemporaryDirectory(prefix="gpu-check-") as tmp:
        folder = Path(tmp)
        verdicts["tests"] = guarded(run_tests, dry)
        verdicts["determinism"] = guarded(check_determinism, device, course_with(folder / "determinismus", 1), gpu_name)
        verdicts["tf32_off"] = guarded(probe_tf32, device)
        verdicts["tf"] = guarded(check_tensorflow, device)
        verdicts["cnn"] = guarded(time_cnn, dry, submissions, cpu_workers, args.budget_s, folder)
    rates = verdicts["cnn"].data.get("rates", {})

    failed = [name for name, v in verdicts.items() if v.ok is False]
    for name in failed:
        for line in verdicts[name].details:
            print(f"gpu_check: FEHLER {name}: {line}", flush=True)
    cnn = " ".join(f"{label}={rates[label]:.2f}" if label in rates else f"{label}=-"
                   for label in ("cpu", *(f"w{w}" for w in WORKERS_PER_GPU)))
    cnn += "" if verdicts["cnn"].ok is not False else " FAILED"
    print(f"gpu_check: gpu={gpu_name} tests={verdicts['tests'].word} determinism={verdicts['determinism'].word} "
          f"tf32_off={verdicts['tf32_off'].word} tf={verdicts['tf'].word} cnn[s/s]: {cnn} "
          f"total={time.monotonic() - STARTED:.0f}s", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
