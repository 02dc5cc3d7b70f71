"""Run notebook cells in a separate process, under limits, and read back what it produced.

Every run is a fresh child forked from a warm zygote (``zygote.py``), so framework imports are
paid once per worker, not once per notebook. By default the zygote runs in the bubblewrap sandbox
(``sandbox.py``). The modules, by job:

- ``types``: what a run is given and what it hands back (``Limits``, ``RunResult``, ``CellRun``)
- ``environment``: the environment of a zygote (``runner_env``), GPU settings included
- ``worker``: the grader's handle on one warm process (``Zygote``) and wiping its scratch
- ``watch``: one notebook run under watch: time and memory limits, results copied out as plain data
- ``pool``: ``Engine``, the pool of zygotes that the grading commands share, and ``run_cells``
- ``mps``: the CUDA MPS daemon of an engine with several workers per GPU
"""

from . import sandbox
from .environment import runner_env
from .pool import Engine, default_engine, run_cells
from .sandbox import SandboxUnavailable
from .types import CellRun, Limits, RunResult
from .worker import DEFAULT_WARM, ZygoteError

__all__ = ["DEFAULT_WARM", "CellRun", "Engine", "Limits", "RunResult", "SandboxUnavailable", "ZygoteError", "default_engine",
           "run_cells", "runner_env", "sandbox"]
