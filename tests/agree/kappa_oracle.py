"""Checks `rubrica agree --format json` against scikit-learn.

Usage: kappa_oracle.py GROUPS.json NAME=OUTPUT.json ...

GROUPS.json lists the raw ratings behind each number the agreement reports: which output and
where in it (`rubric` id, `indicator` id; `null` rubric for the overall numbers), the scale
(`levels`: 1..levels), and both coaches' ratings (`null` for not rated). For each group this
script keeps the ratings both coaches gave (the documented rule), recounts exact and
within-one agreement, and computes Cohen's kappa with scikit-learn's `cohen_kappa_score`
(`labels=` the full scale, `weights=None` and `weights="quadratic"`). A kappa the engine
reports as `null` must be NaN (undefined) here; every other must match to 1e-9.
Prints `N passed, M failed` and exits 1 on any failure.
"""

import json
import math
import sys
import warnings

import sklearn
from sklearn.metrics import cohen_kappa_score

TOLERANCE = 1e-9


def percent(count, of):
    """Hundredths of a percent, rounded half up, as the engine documents."""
    if of == 0:
        return None
    return (count * 20000 + of) // (2 * of) / 100


def find(output, rubric, indicator):
    if rubric is None:
        return output["overall"]
    practice = next(p for p in output["practices"] if p["rubric"]["id"] == rubric)
    if indicator is None:
        return practice
    return next(i for i in practice["indicators"] if i["id"] == indicator)


def kappa(a, b, labels, weights):
    if not a:
        return math.nan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(cohen_kappa_score(a, b, labels=labels, weights=weights))


def main():
    groups = json.load(open(sys.argv[1], encoding="utf-8"))
    outputs = {}
    for arg in sys.argv[2:]:
        name, path = arg.split("=", 1)
        outputs[name] = json.load(open(path, encoding="utf-8"))
    passed = failed = 0
    undefined = 0
    for g in groups:
        where = f"{g['output']}: rubric {g['rubric']}, indicator {g['indicator']}"
        stats = find(outputs[g["output"]], g["rubric"], g["indicator"])
        both = [(x, y) for x, y in zip(g["a"], g["b"]) if x is not None and y is not None]
        one = sum(1 for x, y in zip(g["a"], g["b"]) if (x is None) != (y is None))
        neither = sum(1 for x, y in zip(g["a"], g["b"]) if x is None and y is None)
        a = [x for x, _ in both]
        b = [y for _, y in both]
        labels = list(range(1, g["levels"] + 1))
        exact = sum(1 for x, y in both if x == y)
        within = sum(1 for x, y in both if abs(x - y) <= 1)
        problems = []
        counts = {
            "compared": (stats["compared"], len(both)),
            "one_rated": (stats["one_rated"], one),
            "neither_rated": (stats["neither_rated"], neither),
            "exact.count": (stats["exact"]["count"], exact),
            "within_one.count": (stats["within_one"]["count"], within),
            "exact.percent": (stats["exact"]["percent"], percent(exact, len(both))),
            "within_one.percent": (stats["within_one"]["percent"], percent(within, len(both))),
        }
        for name, (have, want) in counts.items():
            if have != want:
                problems.append(f"{name}: rubrica {have}, expected {want}")
        mixed = g["rubric"] is None and g["output"] == "one"
        for key, weights in (("kappa", None), ("quadratic_kappa", "quadratic")):
            have = stats[key]["value"]
            want = math.nan if mixed else kappa(a, b, labels, weights)
            if math.isnan(want):
                undefined += 1
                if have is not None:
                    problems.append(f"{key}: rubrica {have}, scikit-learn undefined (NaN)")
                elif not stats[key].get("reason"):
                    problems.append(f"{key}: null without a reason")
            elif have is None or abs(have - want) > TOLERANCE:
                problems.append(f"{key}: rubrica {have}, scikit-learn {want!r}")
        if problems:
            failed += 1
            print(f"FAIL {where} (a={g['a']}, b={g['b']}, levels={g['levels']})")
            for p in problems:
                print(f"    {p}")
        else:
            passed += 1
    print(
        f"checked {len(groups)} rating tables with scikit-learn {sklearn.__version__} "
        f"({undefined} undefined kappas expected as null)"
    )
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
