"""The Python step of the typed-schema chain of tests/cross/run.sh: opens the tree C++ wrote
(tests/cross/schema.cpp) through the Python declaration of the same schema, checks it, and
adds a plant, a tag, a log line and a config key (Go checks them next, then C++).

    python3 schema_step.py DIR
"""

import sys
from dataclasses import dataclass
from typing import ClassVar, Dict, List, Optional, Tuple

import infinitree
from infinitree import ListField, MapField, Schema, SetField, ValueField

USER, PASSWORD = "cross", "pw-\u00fc"
failures = 0


def result(ok, what):
    global failures
    print(f"{'PASS' if ok else 'FAIL'} python: {what}")
    if not ok:
        failures += 1


@dataclass
class Plant:
    schema_name: ClassVar[str] = "Plant/1"
    name: str
    height: float
    leaves: int
    tags: List[str]
    sown: Optional[int]
    notes: Dict[str, float]
    ok: bool


class Nursery(Schema, name="nursery", version=2):
    plants = MapField(Tuple[str, int], Plant)
    tags = SetField(str)
    log = ListField(str)
    config = ValueField(Dict[str, float])


def main(path):
    with infinitree.Tree.open(path, USER, PASSWORD, kdf="fast") as tree:
        n = Nursery(tree)
        fern = n.plants[("fern", 3)]
        result(fern == Plant("fern", 0.5, -3, ["shade", "wet"], None, {"a": 1.0, "b": 2.5}, True), "the C++ plant")
        result(list(n.tags) == ["green"] and list(n.log) == ["sown"], "the C++ tag and log")
        result(n.config.get() == {"dry_below": 0.25}, "the C++ config")
        n.plants[("moss", 7)] = Plant("moss", 1.0, 9007199254740993, [], 5, {"x": 0.125}, False)
        n.tags.add("py")
        n.log.append("py")
        n.config.set({**n.config.get(), "py": 2.0})
        tree.commit("python")


if __name__ == "__main__":
    try:
        main(sys.argv[1])
    except Exception as e:  # reported as a failure, not a crash
        result(False, f"{type(e).__name__}: {e}")
    sys.exit(1 if failures else 0)
