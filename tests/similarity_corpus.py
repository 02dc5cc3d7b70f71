"""A cohort of submissions for ``graders similar``: independent correct solutions and planted copies.

One assignment, four solution cells with six short NumPy functions. Each function has five or six
hand-written solutions in different styles (loops, vectorised, comprehensions, helpers, other NumPy
routines), most with a few places where students write the same thing differently. An independent
student picks one solution per function, one way at each such place, and keeps personal habits
(converting inputs first, a result variable before ``return``, comments, docstrings, names of their
own). A planted copy takes another student's cells and disguises them: every name the copier may
rename is renamed, the functions of a cell are reordered, comments are replaced and dead code is
inserted into each function.

Used by tests/test_similar.py and benchmarks/similarity.py; ``check_solutions`` runs every written
way against a reference, so the corpus is made of correct solutions only.
"""

from __future__ import annotations

import ast
import io
import itertools
import random
import re
import tokenize
from dataclasses import dataclass, field

import numpy as np

AID = "03-aehnlich"
NOTEBOOK = "aufgaben"

# cell -> the functions it asks for, with their parameters (the starter code)
CELLS = {
    "wahrscheinlichkeiten": {"softmax": "z", "kreuzentropie": "p, y"},
    "nachbarn": {"knn_vorhersage": "X_train, y_train, X_test, k"},
    "auswertung": {"konfusionsmatrix": "y_true, y_pred, n_klassen", "genauigkeit_pro_klasse": "matrix"},
    "batches": {"mini_batches": "X, y, groesse, rng"},
}

# A solution is a list of pieces joined by newlines: a string is fixed text, a tuple offers the ways
# students write that piece (one is chosen). Bodies are indented by four spaces. Pieces before DEF
# (imports, helpers) go above the function's ``def`` line.
DEF = "<def>"
SOLUTIONS: dict[str, list[list]] = {
    "softmax": [
        [("    m = z.max(axis=1, keepdims=True)", "    m = np.max(z, axis=1, keepdims=True)",
          "    m = np.amax(z, axis=1)[:, None]", "    m = z.max(1).reshape(-1, 1)"),
         ("    e = np.exp(z - m)", "    e = np.exp(np.subtract(z, m))"),
         ("    return e / e.sum(axis=1, keepdims=True)", "    return e / np.sum(e, axis=1, keepdims=True)",
          "    return e / e.sum(axis=1)[:, np.newaxis]",
          "    summen = e.sum(axis=1, keepdims=True)\n    return e / summen",
          "    return np.divide(e, e.sum(axis=1, keepdims=True))")],
        [("    ergebnis = np.zeros_like(z, dtype=float)", "    ergebnis = np.empty(z.shape)",
          "    ergebnis = np.zeros(z.shape, dtype=np.float64)"),
         ("    for i in range(z.shape[0]):", "    for i in range(len(z)):", "    for i, _ in enumerate(z):"),
         ("        zeile = z[i] - np.max(z[i])", "        zeile = z[i] - z[i].max()",
          "        zeile = z[i, :] - np.amax(z[i, :])"),
         ("        ergebnis[i] = np.exp(zeile) / np.exp(zeile).sum()",
          "        exps = np.exp(zeile)\n        ergebnis[i] = exps / np.sum(exps)",
          "        exps = np.exp(zeile)\n        ergebnis[i, :] = exps / exps.sum()"),
         "    return ergebnis"],
        [("    zeilen = []", "    zeilen = list()"),
         "    for zeile in z:",
         ("        verschoben = zeile - zeile.max()", "        verschoben = zeile - max(zeile)",
          "        verschoben = np.asarray(zeile) - np.max(zeile)"),
         ("        zeilen.append(np.exp(verschoben) / np.exp(verschoben).sum())",
          "        oben = np.exp(verschoben)\n        zeilen.append(oben / oben.sum())",
          "        zeilen.append(np.exp(verschoben) / sum(np.exp(verschoben)))"),
         ("    return np.array(zeilen)", "    return np.vstack(zeilen)", "    return np.stack(zeilen)")],
        [("    verschoben = z - np.max(z, axis=-1, keepdims=True)", "    verschoben = z - z.max(axis=-1, keepdims=True)"),
         ("    log_summe = np.log(np.sum(np.exp(verschoben), axis=-1, keepdims=True))",
          "    log_summe = np.log(np.exp(verschoben).sum(axis=-1))[..., None]",
          "    log_summe = np.log(np.exp(verschoben).sum(-1, keepdims=True))"),
         ("    return np.exp(verschoben - log_summe)", "    log_p = verschoben - log_summe\n    return np.exp(log_p)")],
        [("    zt = z.T - z.max(axis=1)", "    zt = z.T - np.max(z, axis=1)", "    zt = np.transpose(z) - z.max(1)"),
         ("    ez = np.exp(zt)", "    ez = np.e ** zt"),
         ("    return (ez / ez.sum(axis=0)).T", "    return np.transpose(ez / np.sum(ez, axis=0))",
          "    anteile = ez / ez.sum(0)\n    return anteile.T")],
        ["    def zeile_softmax(v):",
         ("        v = v - v.max()\n        return np.exp(v) / np.exp(v).sum()",
          "        w = np.exp(v - np.max(v))\n        return w / w.sum()",
          "        w = np.exp(v - v.max())\n        return w / np.sum(w)"),
         ("    return np.apply_along_axis(zeile_softmax, 1, z)",
          "    return np.array([zeile_softmax(zeile) for zeile in z])",
          "    return np.apply_along_axis(zeile_softmax, axis=1, arr=z)")],
    ],
    "kreuzentropie": [
        [("    return -np.mean(np.log(p[np.arange(len(y)), y]))",
          "    return -np.log(p[np.arange(p.shape[0]), y]).mean()",
          "    richtige = p[np.arange(len(y)), y]\n    return -np.mean(np.log(richtige))",
          "    zeilen = np.arange(len(p))\n    return float(-np.log(p[zeilen, y]).mean())",
          "    richtige = p[range(len(y)), y]\n    return -np.sum(np.log(richtige)) / len(y)")],
        [("    summe = 0.0", "    summe = 0"),
         ("    for i in range(len(y)):\n        summe -= np.log(p[i, y[i]])",
          "    for i, label in enumerate(y):\n        summe = summe - np.log(p[i, label])",
          "    for i in range(p.shape[0]):\n        summe += -np.log(p[i][y[i]])",
          "    for zeile, label in zip(p, y):\n        summe -= np.log(zeile[label])"),
         ("    return summe / len(y)", "    return summe / p.shape[0]", "    return float(summe / len(y))")],
        [("    one_hot = np.eye(p.shape[1])[y]", "    one_hot = np.zeros_like(p)\n    one_hot[np.arange(len(y)), y] = 1",
          "    one_hot = (np.arange(p.shape[1]) == y[:, None]).astype(float)"),
         ("    return -np.sum(one_hot * np.log(p)) / len(y)",
          "    return -(one_hot * np.log(p)).sum(axis=1).mean()",
          "    verluste = -np.sum(one_hot * np.log(p), axis=1)\n    return verluste.mean()")],
        [("    gewaehlt = np.take_along_axis(p, y[:, None], axis=1)",
          "    gewaehlt = np.take_along_axis(p, y.reshape(-1, 1), axis=1)",
          "    gewaehlt = np.take_along_axis(p, np.expand_dims(y, axis=1), axis=1)"),
         ("    return float(-np.log(gewaehlt).mean())", "    return -np.mean(np.log(gewaehlt))",
          "    return -np.log(gewaehlt).sum() / gewaehlt.size")],
        [("    verluste = [-np.log(zeile[label]) for zeile, label in zip(p, y)]",
          "    verluste = [-np.log(p[i, y[i]]) for i in range(len(y))]",
          "    verluste = list(map(lambda paar: -np.log(paar[0][paar[1]]), zip(p, y)))"),
         ("    return sum(verluste) / len(verluste)", "    return np.mean(verluste)",
          "    return float(np.sum(verluste) / len(y))")],
        [("    eps = 1e-12", "    eps = 1e-15", "    epsilon = np.finfo(float).eps\n    eps = epsilon"),
         ("    p_sicher = np.clip(p, eps, 1.0)", "    p_sicher = np.maximum(p, eps)", "    p_sicher = p.clip(eps, 1)"),
         ("    n = y.shape[0]", "    n = len(y)"),
         ("    return -np.log(p_sicher[range(n), y]).sum() / n",
          "    return -np.sum(np.log(p_sicher[np.arange(n), y])) / n")],
    ],
    "knn_vorhersage": [
        [("    vorhersagen = []", "    vorhersagen = list()"),
         ("    for x in X_test:", "    for i in range(len(X_test)):\n        x = X_test[i]"),
         ("        abstaende = np.sqrt(np.sum((X_train - x) ** 2, axis=1))",
          "        abstaende = np.linalg.norm(X_train - x, axis=1)",
          "        abstaende = ((X_train - x) ** 2).sum(axis=1)",
          "        diff = X_train - x\n        abstaende = np.sqrt((diff * diff).sum(axis=1))"),
         ("        naechste = np.argsort(abstaende)[:k]\n        labels = y_train[naechste]",
          "        labels = y_train[np.argsort(abstaende)[:k]]",
          "        naechste = abstaende.argsort()[:k]\n        labels = y_train[naechste]"),
         ("        vorhersagen.append(np.bincount(labels).argmax())",
          "        vorhersagen.append(np.argmax(np.bincount(labels)))",
          "        werte, anzahl = np.unique(labels, return_counts=True)\n"
          "        vorhersagen.append(werte[anzahl.argmax()])"),
         ("    return np.array(vorhersagen)", "    return np.asarray(vorhersagen, dtype=int)")],
        [("    differenzen = X_test[:, None, :] - X_train[None, :, :]",
          "    differenzen = X_test.reshape(len(X_test), 1, -1) - X_train.reshape(1, len(X_train), -1)",
          "    differenzen = np.expand_dims(X_test, 1) - np.expand_dims(X_train, 0)"),
         ("    distanzen = np.sqrt((differenzen ** 2).sum(axis=-1))",
          "    distanzen = np.linalg.norm(differenzen, axis=2)",
          "    distanzen = np.sum(differenzen ** 2, axis=2)"),
         ("    indizes = np.argsort(distanzen, axis=1)[:, :k]", "    indizes = distanzen.argsort(axis=1)[:, :k]",
          "    indizes = np.argsort(distanzen)[:, 0:k]"),
         ("    nachbar_labels = y_train[indizes]", "    nachbar_labels = np.take(y_train, indizes)"),
         ("    return np.array([np.bincount(zeile).argmax() for zeile in nachbar_labels])",
          "    ergebnis = []\n    for zeile in nachbar_labels:\n        ergebnis.append(np.bincount(zeile).argmax())\n"
          "    return np.array(ergebnis)",
          "    return np.apply_along_axis(lambda zeile: np.argmax(np.bincount(zeile)), 1, nachbar_labels)")],
        [("    quadrate = (X_test ** 2).sum(axis=1)[:, None] + (X_train ** 2).sum(axis=1)[None, :] "
          "- 2 * X_test @ X_train.T",
          "    quadrate = np.sum(X_test ** 2, axis=1, keepdims=True) + np.sum(X_train ** 2, axis=1) "
          "- 2 * np.dot(X_test, X_train.T)",
          "    a2 = (X_test * X_test).sum(1)\n    b2 = (X_train * X_train).sum(1)\n"
          "    quadrate = a2[:, None] + b2[None, :] - 2 * X_test.dot(X_train.T)"),
         ("    naechste = np.argpartition(quadrate, k, axis=1)[:, :k]",
          "    naechste = np.argsort(quadrate, axis=1)[:, :k]"),
         ("    ergebnis = np.empty(len(X_test), dtype=y_train.dtype)",
          "    ergebnis = np.zeros(X_test.shape[0], dtype=y_train.dtype)"),
         "    for i, reihe in enumerate(naechste):",
         ("        werte, anzahl = np.unique(y_train[reihe], return_counts=True)\n"
          "        ergebnis[i] = werte[np.argmax(anzahl)]",
          "        ergebnis[i] = np.bincount(y_train[reihe]).argmax()"),
         "    return ergebnis"],
        ["from collections import Counter",
         "",
         "",
         "def abstand(a, b):",
         ("    return np.sqrt(np.sum((a - b) ** 2))", "    return np.linalg.norm(a - b)",
          "    return float(np.sqrt(((a - b) ** 2).sum()))", "    return sum((a - b) ** 2) ** 0.5"),
         "",
         "",
         DEF,
         ("    ergebnis = []", "    ergebnis = list()"),
         "    for punkt in X_test:",
         ("        dists = [abstand(punkt, t) for t in X_train]",
          "        dists = np.array([abstand(punkt, t) for t in X_train])",
          "        dists = []\n        for t in X_train:\n            dists.append(abstand(punkt, t))"),
         ("        nachbarn = sorted(range(len(X_train)), key=lambda j: dists[j])[:k]",
          "        nachbarn = np.argsort(dists)[:k]"),
         ("        stimmen = Counter(y_train[j] for j in nachbarn)",
          "        stimmen = Counter([y_train[j] for j in nachbarn])",
          "        stimmen = Counter(y_train[nachbarn])"),
         ("        ergebnis.append(stimmen.most_common(1)[0][0])",
          "        bester, _ = stimmen.most_common(1)[0]\n        ergebnis.append(bester)"),
         ("    return np.array(ergebnis)", "    return np.asarray(ergebnis)")],
        [("    ausgabe = np.zeros(X_test.shape[0], dtype=int)", "    ausgabe = np.zeros(len(X_test), dtype=int)",
          "    ausgabe = np.empty(len(X_test), dtype=np.int64)"),
         ("    for i in range(X_test.shape[0]):", "    for i in range(len(X_test)):"),
         ("        d = np.linalg.norm(X_train - X_test[i], axis=1)",
          "        d = np.sqrt(((X_train - X_test[i]) ** 2).sum(1))",
          "        d = np.sum(np.abs(X_train - X_test[i]) ** 2, axis=1)"),
         ("        paare = sorted(zip(d, y_train))[:k]",
          "        paare = sorted(zip(d, y_train), key=lambda t: t[0])[:k]"),
         ("        stimmen = {}", "        stimmen = dict()"),
         "        for _, label in paare:",
         ("            stimmen[label] = stimmen.get(label, 0) + 1",
          "            if label in stimmen:\n                stimmen[label] += 1\n            else:\n"
          "                stimmen[label] = 1",
          "            if label not in stimmen:\n                stimmen[label] = 0\n            stimmen[label] += 1"),
         ("        ausgabe[i] = max(stimmen, key=stimmen.get)",
          "        ausgabe[i] = max(stimmen.items(), key=lambda t: t[1])[0]",
          "        ausgabe[i] = sorted(stimmen, key=lambda c: -stimmen[c])[0]"),
         "    return ausgabe"],
        [("    diff = X_test[:, np.newaxis] - X_train", "    diff = np.expand_dims(X_test, 1) - X_train",
          "    diff = X_test[:, None, :] - X_train"),
         ("    d2 = np.einsum('ijk,ijk->ij', diff, diff)", "    d2 = np.einsum('abc,abc->ab', diff, diff)",
          "    d2 = (diff ** 2).sum(-1)"),
         ("    top = np.argsort(d2, axis=1)[:, :k]", "    top = np.argpartition(d2, k, axis=1)[:, :k]",
          "    top = d2.argsort(1)[:, :k]"),
         ("    return np.apply_along_axis(lambda r: np.bincount(r).argmax(), 1, y_train[top])",
          "    stimmen = y_train[top]\n    return np.array([np.bincount(r, minlength=2).argmax() for r in stimmen])",
          "    zaehler = np.apply_along_axis(np.bincount, 1, y_train[top], minlength=y_train.max() + 1)\n"
          "    return zaehler.argmax(axis=1)")],
    ],
    "konfusionsmatrix": [
        [("    matrix = np.zeros((n_klassen, n_klassen), dtype=int)",
          "    matrix = np.zeros(shape=(n_klassen, n_klassen), dtype=np.int32)",
          "    matrix = np.zeros((n_klassen,) * 2, dtype=int)"),
         ("    for t, v in zip(y_true, y_pred):\n        matrix[t, v] += 1",
          "    for i in range(len(y_true)):\n        matrix[y_true[i], y_pred[i]] += 1",
          "    for t, v in zip(y_true, y_pred):\n        matrix[t][v] = matrix[t][v] + 1",
          "    for i, t in enumerate(y_true):\n        matrix[t, y_pred[i]] += 1"),
         ("    return matrix", "    return matrix.astype(int)")],
        [("    m = np.zeros((n_klassen, n_klassen), dtype=np.int64)",
          "    m = np.zeros([n_klassen, n_klassen], dtype=int)",
          "    m = np.zeros((n_klassen, n_klassen), int)"),
         ("    np.add.at(m, (y_true, y_pred), 1)", "    np.add.at(m, tuple([y_true, y_pred]), 1)",
          "    paare = (np.asarray(y_true), np.asarray(y_pred))\n    np.add.at(m, paare, 1)"),
         "    return m"],
        [("    index = y_true * n_klassen + y_pred", "    index = np.asarray(y_true) * n_klassen + np.asarray(y_pred)",
          "    index = np.ravel_multi_index((y_true, y_pred), (n_klassen, n_klassen))"),
         ("    zaehler = np.bincount(index, minlength=n_klassen * n_klassen)",
          "    zaehler = np.bincount(index, minlength=n_klassen ** 2)"),
         ("    return zaehler.reshape(n_klassen, n_klassen)", "    return zaehler.reshape((n_klassen, n_klassen))",
          "    return np.reshape(zaehler, (n_klassen, -1))")],
        [("    ergebnis = np.zeros((n_klassen, n_klassen), dtype=int)",
          "    ergebnis = np.zeros((n_klassen, n_klassen), dtype=np.int64)"),
         ("    for i in range(n_klassen):\n        for j in range(n_klassen):",
          "    for i in range(n_klassen):\n        maske = y_true == i\n        for j in range(n_klassen):"),
         ("            ergebnis[i, j] = np.sum((y_true == i) & (y_pred == j))",
          "            ergebnis[i, j] = np.count_nonzero(np.logical_and(y_true == i, y_pred == j))",
          "            ergebnis[i][j] = ((y_true == i) * (y_pred == j)).sum()"),
         "    return ergebnis"],
        [("    return np.array([[np.count_nonzero((y_true == wahr) & (y_pred == vorher))",
          "    return np.array([[int(np.sum((y_true == wahr) & (y_pred == vorher)))",
          "    return np.array([[sum(1 for t, v in zip(y_true, y_pred) if t == wahr and v == vorher)"),
         "                      for vorher in range(n_klassen)] for wahr in range(n_klassen)])"],
        [("    wahr = np.eye(n_klassen, dtype=int)[y_true]\n    vorher = np.eye(n_klassen, dtype=int)[y_pred]",
          "    einheit = np.eye(n_klassen, dtype=int)\n    wahr = einheit[y_true]\n    vorher = einheit[y_pred]",
          "    wahr = (y_true[:, None] == np.arange(n_klassen)).astype(int)\n"
          "    vorher = (y_pred[:, None] == np.arange(n_klassen)).astype(int)"),
         ("    return wahr.T @ vorher", "    return np.dot(wahr.T, vorher)", "    return np.matmul(wahr.T, vorher)")],
    ],
    "genauigkeit_pro_klasse": [
        [("    return np.diag(matrix) / matrix.sum(axis=1)", "    return np.diag(matrix) / np.sum(matrix, axis=1)",
          "    return matrix.diagonal() / matrix.sum(1)",
          "    richtig = np.diag(matrix)\n    return richtig / matrix.sum(axis=1)")],
        [("    werte = []", "    werte = list()"),
         ("    for i in range(len(matrix)):\n        werte.append(matrix[i, i] / np.sum(matrix[i]))",
          "    for i in range(matrix.shape[0]):\n        werte.append(matrix[i][i] / matrix[i].sum())",
          "    for i, zeile in enumerate(matrix):\n        werte.append(zeile[i] / sum(zeile))"),
         ("    return np.array(werte)", "    return np.asarray(werte, dtype=float)")],
        [("    korrekt = matrix.diagonal()", "    korrekt = np.diagonal(matrix)", "    korrekt = np.diag(matrix).astype(float)"),
         ("    gesamt = matrix.sum(1)", "    gesamt = np.sum(matrix, 1)", "    gesamt = matrix.sum(axis=-1)"),
         ("    return korrekt / gesamt", "    return np.divide(korrekt, gesamt)")],
        [("    return np.array([zeile[i] / zeile.sum() for i, zeile in enumerate(matrix)])",
          "    return np.array([matrix[i, i] / matrix[i].sum() for i in range(len(matrix))])",
          "    anteile = [zeile[i] / np.sum(zeile) for i, zeile in enumerate(matrix)]\n    return np.array(anteile)")],
        [("    n = matrix.shape[0]", "    n = len(matrix)"),
         ("    return np.array([matrix[i][i] for i in range(n)]) / np.sum(matrix, axis=1)",
          "    diagonale = np.array([matrix[i, i] for i in range(n)])\n    return diagonale / matrix.sum(axis=1)",
          "    return np.array([matrix[i, i] for i in range(n)], dtype=float) / matrix.sum(1)")],
        [("    anteile = matrix / matrix.sum(axis=1, keepdims=True)",
          "    anteile = matrix / matrix.sum(axis=1)[:, None]",
          "    anteile = (matrix.T / matrix.sum(axis=1)).T"),
         ("    return np.diagonal(anteile).copy()", "    return np.diag(anteile)", "    return anteile.diagonal().copy()")],
    ],
    "mini_batches": [
        [("    reihenfolge = rng.permutation(len(X))", "    reihenfolge = rng.permutation(X.shape[0])"),
         ("    batches = []", "    batches = list()"),
         ("    for start in range(0, len(X), groesse):", "    for start in range(0, X.shape[0], groesse):"),
         ("        auswahl = reihenfolge[start:start + groesse]\n        batches.append((X[auswahl], y[auswahl]))",
          "        batches.append((X[reihenfolge[start:start + groesse]], y[reihenfolge[start:start + groesse]]))",
          "        ende = start + groesse\n        auswahl = reihenfolge[start:ende]\n"
          "        batches.append((X[auswahl], y[auswahl]))"),
         "    return batches"],
        [("    idx = rng.permutation(X.shape[0])", "    idx = rng.permutation(len(y))",
          "    idx = np.arange(len(X))\n    rng.shuffle(idx)"),
         ("    X_gemischt, y_gemischt = X[idx], y[idx]", "    X_gemischt = X[idx]\n    y_gemischt = y[idx]",
          "    X_gemischt = np.take(X, idx, axis=0)\n    y_gemischt = np.take(y, idx, axis=0)"),
         ("    return [(X_gemischt[i:i + groesse], y_gemischt[i:i + groesse]) for i in range(0, len(X), groesse)]",
          "    starts = range(0, len(X), groesse)\n"
          "    return [(X_gemischt[s:s + groesse], y_gemischt[s:s + groesse]) for s in starts]")],
        [("    n = len(X)", "    n = X.shape[0]"),
         ("    indizes = np.arange(n)\n    rng.shuffle(indizes)", "    indizes = rng.permutation(n)"),
         ("    teile = np.split(indizes, np.arange(groesse, n, groesse))",
          "    grenzen = list(range(groesse, n, groesse))\n    teile = np.split(indizes, grenzen)",
          "    teile = np.array_split(indizes, range(groesse, n, groesse))"),
         ("    return [(X[teil], y[teil]) for teil in teile]",
          "    ergebnis = []\n    for teil in teile:\n        ergebnis.append((X[teil], y[teil]))\n    return ergebnis")],
        [("    perm = rng.permutation(len(y))", "    perm = rng.permutation(np.arange(len(X)))"),
         ("    ergebnis = []", "    ergebnis = list()"),
         ("    i = 0", "    i = 0  # Startindex"),
         ("    while i < len(perm):", "    while i < perm.size:"),
         ("        teil = perm[i:i + groesse]", "        teil = perm[i:min(i + groesse, len(perm))]"),
         ("        ergebnis.append((X[teil], y[teil]))", "        ergebnis.append(tuple([X[teil], y[teil]]))"),
         ("        i += groesse", "        i = i + groesse"),
         "    return ergebnis"],
        [("    gemischt = rng.permutation(len(X))", "    gemischt = rng.permutation(X.shape[0])"),
         ("    anzahl_batches = (len(X) + groesse - 1) // groesse",
          "    anzahl_batches = int(np.ceil(len(X) / groesse))",
          "    anzahl_batches = -(-len(X) // groesse)"),
         ("    liste = []", "    liste = list()"),
         "    for b in range(anzahl_batches):",
         ("        teil = gemischt[b * groesse:(b + 1) * groesse]",
          "        von, bis = b * groesse, min((b + 1) * groesse, len(X))\n        teil = gemischt[von:bis]"),
         ("        liste.append((X[teil], y[teil]))", "        liste += [(X[teil], y[teil])]"),
         "    return liste"],
        ["    def erzeuge():",
         ("        ordnung = rng.permutation(len(X))", "        ordnung = rng.permutation(y.shape[0])"),
         ("        for anfang in range(0, len(ordnung), groesse):", "        for anfang in range(0, ordnung.size, groesse):"),
         ("            ende = min(anfang + groesse, len(ordnung))\n"
          "            yield X[ordnung[anfang:ende]], y[ordnung[anfang:ende]]",
          "            yield X[ordnung[anfang:anfang + groesse]], y[ordnung[anfang:anfang + groesse]]",
          "            teil = ordnung[anfang:anfang + groesse]\n            yield (X[teil], y[teil])"),
         ("    return list(erzeuge())", "    return [paar for paar in erzeuge()]")],
    ],
}

# what an independent student may call a variable instead (the solutions' own names come first)
SYNONYMS = {
    "m": ["m", "maxi", "zmax", "groesster"], "e": ["e", "exps", "ez", "potenzen"],
    "ergebnis": ["ergebnis", "result", "out", "res", "ausgabe"], "zeile": ["zeile", "row", "r", "reihe"],
    "verschoben": ["verschoben", "shifted", "z_stabil"], "vorhersagen": ["vorhersagen", "preds", "y_hat"],
    "abstaende": ["abstaende", "dists", "distanzen", "d"], "labels": ["labels", "nachbar_labels", "ks"],
    "naechste": ["naechste", "nn", "idx", "nachbarn"], "matrix": ["matrix"], "werte": ["werte", "acc", "liste"],
    "batches": ["batches", "ergebnis", "out"], "teil": ["teil", "batch_idx", "sel", "b_idx"],
    "summe": ["summe", "loss", "gesamt", "total"], "stimmen": ["stimmen", "votes", "zaehler"],
    "i": ["i", "n", "idx", "zeilen_index"], "x": ["x", "punkt", "probe", "xt"],
}

# personal habits: a first line of each function that converts or checks an input
PROLOGUES = {
    "softmax": ["    z = np.asarray(z, dtype=float)", "    assert z.ndim == 2"],
    "kreuzentropie": ["    y = np.asarray(y)", "    p = np.asarray(p, dtype=np.float64)"],
    "knn_vorhersage": ["    X_test = np.atleast_2d(X_test)", "    y_train = np.asarray(y_train)"],
    "konfusionsmatrix": ["    y_true = np.asarray(y_true)", "    assert len(y_true) == len(y_pred)"],
    "genauigkeit_pro_klasse": ["    matrix = np.asarray(matrix)", "    matrix = matrix.astype(float)"],
    "mini_batches": ["    assert len(X) == len(y)", "    X = np.asarray(X)"],
}

# small habits, decided per occurrence: (pattern, replacement), applied in either direction
_ARRAY = r"(X|y|z|p|X_train|y_train|X_test|y_true|y_pred|matrix|perm|ordnung)"
MICRO = [
    (re.compile(rf"\blen\({_ARRAY}\)"), r"\1.shape[0]"),
    (re.compile(rf"\b{_ARRAY}\.shape\[0\]"), r"len(\1)"),
    (re.compile(r"\[:, None\]"), "[:, np.newaxis]"),
    (re.compile(r"\[:, np\.newaxis\]"), "[:, None]"),
    (re.compile(r"(?<![\w.\]])\(([\w\[\] .*-]+)\) \*\* 2"), r"np.square(\1)"),
    (re.compile(r"np\.array\("), "np.asarray("),
    (re.compile(r"np\.argmax\((\w+)\)"), r"\1.argmax()"),
    (re.compile(r"\b(\w+)\.argmax\(\)"), r"np.argmax(\1)"),
    (re.compile(r"dtype=int\b"), "dtype=np.int64"),
    (re.compile(r"^(\s*)(\w+) \+= (\w+)$", re.MULTILINE), r"\1\2 = \2 + \3"),
    (re.compile(r"np\.sum\((\w+), axis=(-?\d)\)"), r"\1.sum(axis=\2)"),
    (re.compile(r"\b(\w+)\.sum\(axis=(-?\d)\)"), r"np.sum(\1, axis=\2)"),
    (re.compile(r"np\.zeros\(\((\w+), (\w+)\)"), r"np.zeros([\1, \2]"),
]

COMMENTS = ["# Zeilenweise rechnen", "# numerisch stabil", "# TODO: schneller machen?", "# siehe Vorlesung 3",
            "# Ergebnis zurückgeben", "# über alle Beispiele", "# Indizes sortieren", "# vektorisiert",
            "# hier aufpassen mit der Achse", "# Hilfsgröße", "# funktioniert!", "# Schleife über Klassen"]
DOCSTRINGS = ['"""Berechnet das Ergebnis."""', '"""Meine Lösung."""', '"""Siehe Aufgabe."""']

NAMES = ["tmp", "hilf", "wert", "zw", "aa", "bb", "q", "zz", "feld", "ablage", "xx", "puffer", "speicher",
         "zahl", "menge", "rest", "ding", "obj", "kk", "vv", "ww", "hh", "jj", "uu", "tt", "pp", "oo"]
DEAD_CODE = ["{v} = None", "{v} = np.zeros(3)", "{v} = [0] * 2", "if False:\n    {v} = 0",
             "for {v} in range(0):\n    {w} = {v}", "{v} = len(str({w}))", "{v} = {{}}", "{v} = 0\n{v} += 1"]


@dataclass
class Cohort:
    """student -> cell -> code, and which submissions are planted copies of whom."""
    submissions: dict[str, dict[str, str]] = field(default_factory=dict)
    copied_from: dict[str, str] = field(default_factory=dict)

    def group(self, student: str) -> str:
        while student in self.copied_from:
            student = self.copied_from[student]
        return student

    def copy_pairs(self) -> set[frozenset[str]]:
        return {frozenset(pair) for pair in itertools.combinations(self.submissions, 2)
                if self.group(pair[0]) == self.group(pair[1])}

    def independent_pairs(self) -> int:
        n = len(self.submissions)
        return n * (n - 1) // 2 - len(self.copy_pairs())


def _split(pieces: list) -> tuple[list, list]:
    """(pieces above the ``def`` line, pieces of the body)."""
    return (pieces[:pieces.index(DEF)], pieces[pieces.index(DEF) + 1:]) if DEF in pieces else ([], pieces)


def _choose(pieces: list, rng: random.Random) -> str:
    return "\n".join(rng.choice(p) if isinstance(p, tuple) else p for p in pieces)


def _rename(code: str, mapping: dict[str, str]) -> str:
    """``code`` with the names in ``mapping`` replaced (not attributes, not keyword arguments)."""
    tree = ast.parse(code)
    keywords = {(n.lineno, n.col_offset) for n in ast.walk(tree) if isinstance(n, ast.keyword) and n.arg}
    lines = code.split("\n")
    edits: dict[int, list[tuple[int, int, str]]] = {}
    previous = None
    for tok in tokenize.generate_tokens(io.StringIO(code).readline):
        if (tok.type == tokenize.NAME and tok.string in mapping and previous != "."
                and tok.start not in keywords):
            edits.setdefault(tok.start[0], []).append((tok.start[1], tok.end[1], mapping[tok.string]))
        if tok.type not in (tokenize.NL, tokenize.COMMENT):
            previous = tok.string
    for number, changes in edits.items():
        line = lines[number - 1]
        for start, end, new in sorted(changes, reverse=True):
            line = line[:start] + new + line[end:]
        lines[number - 1] = line
    return "\n".join(lines)


def _bound(code: str, keep: set[str]) -> list[str]:
    """Names the code binds (variables, parameters, functions), without ``keep``, in order of
    appearance."""
    names: dict[str, None] = {}
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names[node.name] = None
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names[node.id] = None
        elif isinstance(node, ast.arg):
            names[node.arg] = None
    return [n for n in names if n not in keep and n != "_"]


def _statement_lines(code: str) -> list[tuple[int, int, tuple[str, ...]]]:
    """(line, indentation, the function's parameters) of every statement inside a top-level function:
    where a line can go before it, and names it can use there."""
    found = set()
    for node in ast.parse(code).body:
        if isinstance(node, ast.FunctionDef):
            params = tuple(a.arg for a in node.args.args)
            for child in ast.walk(node):
                if isinstance(child, ast.stmt) and child is not node:
                    found.add((child.lineno, child.col_offset, params))
    return sorted(found)


def _insert(code: str, line: int, indent: int, text: str) -> str:
    lines = code.split("\n")
    block = [" " * indent + t for t in text.split("\n")]
    return "\n".join(lines[:line - 1] + block + lines[line - 1:])


def _add_comments(code: str, rng: random.Random, count: int) -> str:
    for _ in range(count):
        spots = _statement_lines(code)
        if spots:
            line, indent, _ = rng.choice(spots)
            code = _insert(code, line, indent, rng.choice(COMMENTS))
    return code


def _strip_comments(code: str) -> str:
    lines: list[str | None] = list(code.split("\n"))
    for tok in tokenize.generate_tokens(io.StringIO(code).readline):
        if tok.type == tokenize.COMMENT:
            row, col = tok.start
            kept = lines[row - 1][:col].rstrip()
            lines[row - 1] = kept or None  # a line that was only a comment goes
    return "\n".join(line for line in lines if line is not None)


def _micro(code: str, rng: random.Random, chance: float) -> str:
    """Each small habit at each place where it fits, with the student's own ``chance``."""
    for pattern, replacement in MICRO:
        code = pattern.sub(lambda m: m.expand(replacement) if rng.random() < chance else m.group(0), code)
    return code


def _function(name: str, params: str, rng: random.Random, habits: dict) -> str:
    """One student's function ``name``: a solution, a way at each choice, the student's habits."""
    above, pieces = _split(rng.choice(SOLUTIONS[name]))
    head = _choose(above, rng) + "\n" if above else ""
    body = _choose(pieces, rng).split("\n")
    if habits["prologue"] and rng.random() < 0.7:
        body.insert(0, rng.choice(PROLOGUES[name]))
    if habits["result_variable"] and body[-1].startswith("    return ") and "\n" not in body[-1]:
        expression = body[-1][len("    return "):]
        if not expression.startswith(("np.array(ergebnis)", "ergebnis")):
            body[-1:] = [f"    ergebnis = {expression}", "    return ergebnis"]
    if habits["docstrings"]:
        body.insert(0, "    " + rng.choice(DOCSTRINGS))
    code = f"{head}def {name}({params}):\n" + "\n".join(body)
    required = {name, *[p.strip() for p in params.split(",")]}
    mapping = {n: rng.choice(SYNONYMS[n]) for n in _bound(code, required) if n in SYNONYMS}
    if len(set(mapping.values())) < len(mapping):  # two names became one: keep the solution's own
        mapping = {}
    return _micro(_rename(code, mapping), rng, habits["micro"])


def independent(rng: random.Random) -> dict[str, str]:
    """One student's cells, written from scratch."""
    habits = {"prologue": rng.random() < 0.3, "result_variable": rng.random() < 0.3,
              "docstrings": rng.random() < 0.2, "comments": rng.choice([0, 0, 1, 2, 4]),
              "micro": rng.uniform(0.1, 0.6)}
    cells = {}
    for cell, functions in CELLS.items():
        parts = [_function(name, params, rng, habits) for name, params in functions.items()]
        code = "\n\n\n".join(parts)
        if "Counter" in code:  # the import goes first, wherever the function ended up
            code = "from collections import Counter\n\n\n" + code.replace("from collections import Counter\n\n\n", "")
        cells[cell] = _add_comments(code, rng, habits["comments"])
    return cells


def _top_level_blocks(code: str) -> tuple[list[str], list[str]]:
    """(imports and other statements, function definitions) of a cell, each as its text."""
    tree = ast.parse(code)
    lines = code.split("\n")
    other, functions = [], []
    for node in tree.body:
        text = "\n".join(lines[node.lineno - 1:node.end_lineno])
        (functions if isinstance(node, ast.FunctionDef) else other).append(text)
    return other, functions


def disguise(cells: dict[str, str], rng: random.Random, dead_per_function: int = 1) -> dict[str, str]:
    """A planted copy: names renamed, functions reordered, comments replaced, dead code inserted."""
    required = {name for functions in CELLS.values() for name in functions}
    mapping: dict[str, str] = {}
    for code in cells.values():
        for name in _bound(code, required):
            mapping.setdefault(name, f"{rng.choice(NAMES)}{len(mapping)}")
    copied = {}
    for cell, code in cells.items():
        code = _rename(_strip_comments(code), mapping)
        other, functions = _top_level_blocks(code)
        rng.shuffle(functions)
        code = "\n\n\n".join(other + functions)
        for _ in range(dead_per_function * len(functions)):
            line, indent, params = rng.choice(_statement_lines(code))
            dead = rng.choice(DEAD_CODE).format(v=f"unbenutzt_{rng.randrange(100)}", w=rng.choice(params))
            code = _insert(code, line, indent, dead)
        code = _add_comments(code, rng, rng.choice([1, 2, 3]))
        ast.parse(code)
        copied[cell] = code
    return copied


def cohort(independent_students: int, copies: int, seed: int, triples: int = 0, dead_per_function: int = 1,
           copied_cells: int | None = None) -> Cohort:
    """``independent_students`` from scratch, then ``copies`` planted copies of distinct students
    (the first ``triples`` of those students are copied twice: groups of three). A copy inserts
    ``dead_per_function`` dead statements per function; with ``copied_cells`` it copies only that
    many cells and writes the others itself."""
    rng = random.Random(seed)
    made = Cohort()
    for i in range(independent_students):
        made.submissions[f"s{i:03d}"] = independent(rng)
    originals = rng.sample(sorted(made.submissions), copies)
    for j, original in enumerate(originals + originals[:triples]):
        name = f"k{j:03d}"
        copied = disguise(made.submissions[original], rng, dead_per_function)
        if copied_cells is not None:
            own = independent(rng)
            kept = set(rng.sample(sorted(CELLS), copied_cells))
            copied = {cell: copied[cell] if cell in kept else own[cell] for cell in CELLS}
        made.submissions[name] = copied
        made.copied_from[name] = original
    return made


def source_cells() -> dict[str, str]:
    """The instructor's solution cells: the first way of the first solution, inside solution markers."""
    cells = {}
    for cell, functions in CELLS.items():
        parts = []
        for name, params in functions.items():
            body = "\n".join(p[0] if isinstance(p, tuple) else p for p in SOLUTIONS[name][0])
            parts.append(f"def {name}({params}):\n    ### BEGIN SOLUTION\n{body}\n    ### END SOLUTION")
        cells[cell] = "\n\n\n".join(parts)
    return cells


def _works(functions: dict, what: str) -> None:
    """Each of the assignment's functions in ``functions`` gives the reference's answer."""
    data = np.random.default_rng(7)
    z = data.normal(size=(6, 4))
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    y = data.integers(0, 4, size=6)
    X_train, X_test = data.normal(size=(20, 3)), data.normal(size=(5, 3))
    y_train = data.integers(0, 2, size=20)  # two classes and k = 3: no tie in the vote
    y_true, y_pred = data.integers(0, 3, size=30), data.integers(0, 3, size=30)
    X, y_batch = data.normal(size=(11, 2)), np.arange(11)
    reference = {
        "softmax": ((z,), p),
        "kreuzentropie": ((p, y), -np.mean(np.log(p[np.arange(6), y]))),
        "knn_vorhersage": ((X_train, y_train, X_test, 3), np.array([
            np.bincount(y_train[np.argsort(((X_train - x) ** 2).sum(1))[:3]]).argmax() for x in X_test])),
        "konfusionsmatrix": ((y_true, y_pred, 3), np.array([[np.sum((y_true == i) & (y_pred == j))
                                                              for j in range(3)] for i in range(3)])),
        "genauigkeit_pro_klasse": ((np.array([[3, 1], [2, 4]]),), np.array([0.75, 4 / 6])),
    }
    for name, function in functions.items():
        if name == "mini_batches":
            got = function(X, y_batch, 4, np.random.default_rng(3))
            assert [len(b[1]) for b in got] == [4, 4, 3], what
            assert np.array_equal(np.concatenate([b[1] for b in got]), np.random.default_rng(3).permutation(11)), what
            assert all(np.array_equal(bx, X[by]) for bx, by in got), what
        else:
            args, expected = reference[name]
            got = function(*args)
            assert np.allclose(np.asarray(got, dtype=float), expected), (what, got, expected)


def check_solutions() -> int:
    """Run every way of writing every solution against a reference; the number of ways run."""
    runs = 0
    for name, solutions in SOLUTIONS.items():
        params = next(f[name] for f in CELLS.values() if name in f)
        for solution in solutions:
            above, body = _split(solution)
            choices = [p if isinstance(p, tuple) else (p,) for p in above + [f"def {name}({params}):"] + body]
            for combination in itertools.product(*choices):
                code = "\n".join(combination)
                namespace = {"np": np}
                exec(compile(code, name, "exec"), namespace)
                _works({name: namespace[name]}, code)
                runs += 1
    return runs


def check_submission(cells: dict[str, str]) -> None:
    """A submission (independent or a planted copy) still solves every task."""
    namespace = {"np": np}
    for cell, code in cells.items():
        exec(compile(code, cell, "exec"), namespace)
    _works({name: namespace[name] for functions in CELLS.values() for name in functions}, "\n\n".join(cells.values()))


def _cell(kind: str, source: str, gid: str, cell_type: str = "code"):
    """A cell with nbgrader's metadata: ``locked``, ``solution``, ``test`` or ``manual`` (a written answer)."""
    import nbformat

    cell = nbformat.v4.new_markdown_cell(source) if cell_type == "markdown" else nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade_id": gid, "schema_version": 3, "locked": kind == "locked" or kind == "test",
                                 "solution": kind in ("solution", "manual"), "grade": kind in ("test", "manual"),
                                 **({"points": 1} if kind in ("test", "manual") else {})}
    return cell


def notebook(cells: dict[str, str], answer: str | None = None):
    """The assignment's notebook with these solution cells (source or a student's), tests after each;
    with ``answer``, a written answer (markdown, graded by hand) at the end."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [_cell("locked", "Übung: Wahrscheinlichkeiten, Nachbarn, Auswertung, Batches", "intro", "markdown"),
                _cell("locked", "import numpy as np", "setup")]
    for cell, code in cells.items():
        nb.cells += [_cell("solution", code, cell), _cell("test", f"# Tests für {cell}\nassert True", f"test_{cell}")]
    if answer is not None:
        nb.cells += [_cell("locked", "Warum Kreuzentropie und nicht der quadratische Fehler?", "frage", "markdown"),
                     _cell("manual", answer, "antwort", "markdown")]
    return nb


def write_course(root, made: Cohort):
    """A course folder with the assignment in source/ and every submission in submitted/."""
    from graders._markup import write_notebook
    from graders.course import Course

    root.mkdir(parents=True, exist_ok=True)
    (root / "nbgrader_config.py").write_text("c = get_config()\n", encoding="utf-8")
    write_notebook(notebook(source_cells()), root / "source" / AID / f"{NOTEBOOK}.ipynb")
    course = Course(root)
    for student, cells in made.submissions.items():
        write_notebook(notebook(cells), course.submitted(student, AID) / f"{NOTEBOOK}.ipynb")
    return course
