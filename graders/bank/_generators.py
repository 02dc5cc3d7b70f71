"""Import a parameterized question's ``generator.py`` from its path and call it."""

from __future__ import annotations

import hashlib
import importlib.util
import math
import os
from types import ModuleType

from ._model import BankError, Question

# keyed by path and file state, so an edited generator is re-imported
_MODULES: dict[tuple[str, int, int], ModuleType] = {}


def generator(question: Question) -> ModuleType:
    path = os.path.abspath(question.generator_path)
    try:
        stat = os.stat(path)
    except OSError:
        raise BankError(f"{question.topic}/{question.qid}: generator.py fehlt.") from None
    key = (path, stat.st_mtime_ns, stat.st_size)
    module = _MODULES.get(key)
    if module is None:
        digest = hashlib.sha1(path.encode()).hexdigest()[:10]
        name = f"_graders_bank_generator_{question.qid.replace('-', '_')}_{digest}"
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
        except Exception as exc:
            raise BankError(f"{question.topic}/{question.qid}: generator.py lässt sich nicht importieren "
                            f"({type(exc).__name__}: {exc}).") from None
        for function in ("generate", "solve"):
            if not callable(getattr(module, function, None)):
                raise BankError(f"{question.topic}/{question.qid}: generator.py definiert {function}() nicht.")
        _MODULES[key] = module
    return module


def parameters(question: Question, seed: int) -> dict:
    module = generator(question)
    try:
        params = module.generate(seed)
    except Exception as exc:
        raise BankError(f"{question.topic}/{question.qid}: generate({seed}) schlägt fehl "
                        f"({type(exc).__name__}: {exc}).") from None
    if not isinstance(params, dict):
        raise BankError(f"{question.topic}/{question.qid}: generate({seed}) liefert kein dict.")
    return params


def solution(question: Question, params: dict) -> float:
    try:
        value = float(generator(question).solve(dict(params)))
    except Exception as exc:
        raise BankError(f"{question.topic}/{question.qid}: solve() schlägt fehl "
                        f"({type(exc).__name__}: {exc}).") from None
    if not math.isfinite(value):
        raise BankError(f"{question.topic}/{question.qid}: solve() liefert {value}.")
    return value
