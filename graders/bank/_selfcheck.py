"""Checks a student's answers in their personal drill notebook (standard library only).

``takeaway`` copies this file verbatim into the notebook's first code cell and appends the line
``_SCHLUESSEL = _lies("…")`` with the answer key (base64 JSON: not readable at a glance). Nothing
here imports ``graders``: the notebook runs in any Jupyter, offline, without the course's code.
"""

import base64
import json
import re

_SCHLUESSEL = {}
_TRENNER = re.compile(r"[\s,;]+")
_MEHRDEUTIG = re.compile(r"-?\d{1,3}(\.\d{3})+")


def _lies(text):
    return {int(k): v for k, v in json.loads(base64.b64decode(text).decode("utf-8")).items()}


def _teile(antwort):
    if isinstance(antwort, (list, tuple)):
        return [str(a).strip().rstrip(")").lower() for a in antwort]
    return [t.rstrip(")").lower() for t in _TRENNER.split(str(antwort).strip()) if t]


def _zahl(antwort):
    if isinstance(antwort, bool):
        raise ValueError("Bitte eine Zahl eintragen, z. B. 0.25 oder \"0,25\".")
    if isinstance(antwort, (int, float)):
        return float(antwort)
    text = str(antwort).strip().replace("\u2212", "-").replace(" ", "")
    if _MEHRDEUTIG.fullmatch(text):
        raise ValueError(f"„{text}“ ist mehrdeutig (Tausenderpunkt oder Dezimalpunkt?). "
                         f"Schreib die Zahl ohne Tausenderpunkt, z. B. {text.replace('.', '')} "
                         f"oder {text.replace('.', ',')}.")
    if "," in text and "." in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        return float(text.replace(",", "."))
    except ValueError:
        raise ValueError(f"„{antwort}“ ist keine Zahl. Schreib z. B. 0.25 oder \"0,25\".") from None


def bewerte(nummer, antwort):
    """(richtig, Hinweis) für die Antwort auf Frage ``nummer``; richtig ist None ohne Antwort."""
    if nummer not in _SCHLUESSEL:
        return None, f"Frage {nummer} gibt es in diesem Notebook nicht – führe zuerst die erste Code-Zelle aus."
    key = _SCHLUESSEL[nummer]
    if antwort is None or (isinstance(antwort, str) and not antwort.strip()):
        return None, "Trag zuerst deine Antwort ein und führe die Zelle dann noch einmal aus."
    typ = key["typ"]
    if typ == "zahl":
        try:
            wert = _zahl(antwort)
        except ValueError as fehler:
            return False, str(fehler)
        return abs(wert - key["wert"]) <= key["toleranz"], ""
    if typ == "text":
        return any(re.search(muster, str(antwort), re.IGNORECASE) for muster in key["muster"]), ""
    teile = _teile(antwort)
    if typ == "mehrfach":
        gewaehlt, richtig = set(teile), set(key["richtig"])
        if gewaehlt == richtig:
            return True, ""
        return False, (f"{len(gewaehlt & richtig)} von {len(richtig)} richtigen Antworten gewählt, "
                       f"{len(gewaehlt - richtig)} falsche.")
    if typ == "einfach" and len(teile) != 1:
        return False, "Bitte genau eine Antwort angeben, z. B. \"b\"."
    if typ in ("reihenfolge", "zuordnung") and len(teile) != len(key["richtig"]):
        return False, f"Bitte genau {len(key['richtig'])} Angaben machen, durch Kommas getrennt."
    return teile == key["richtig"], ""


def pruefe(nummer, antwort):
    """Sagt, ob die Antwort stimmt; die Lösung steht eingeklappt unter der Frage."""
    richtig, hinweis = bewerte(nummer, antwort)
    if richtig is None:
        print(f"Frage {nummer}: {hinweis}")
    elif richtig:
        print(f"Frage {nummer}: Richtig!")
    else:
        print(f"Frage {nummer}: Noch nicht richtig. {hinweis}".rstrip()
              + "\nVersuch es noch einmal – oder klapp die Lösung unter der Frage auf.")
