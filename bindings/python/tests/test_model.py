"""A model-based test: random operations on a Map (mixed key types, auto mode) checked
against a plain dict after every step, with commits, rollbacks and checkouts of past commits."""

from __future__ import annotations

import random

import pytest

import infinitree


def _random_key(rnd: random.Random):
    kind = rnd.randrange(5)
    if kind == 0:
        return rnd.randrange(-50, 50)
    if kind == 1:
        return "".join(rnd.choice("ab\x00é") for _ in range(rnd.randrange(0, 4)))
    if kind == 2:
        return ("t", rnd.randrange(5), rnd.choice(["x", "y"]))
    if kind == 3:
        return bytes(rnd.choice(b"pq\x00\xff") for _ in range(rnd.randrange(1, 4)))
    return rnd.choice([None, True, False, 0.5, -2.25])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_map_matches_a_dict(mem_tree, seed):
    """The model is keyed by the stored bytes (auto mode writes bytes raw, str as UTF-8, and encodes the rest,
    so b"\\x00" and None, or True and 1, are different keys in the store but not in a dict)."""
    rnd = random.Random(seed)
    def enc(k):
        if isinstance(k, bytes):
            return k
        return k.encode("utf-8") if isinstance(k, str) else infinitree.encode_key(k)

    m = mem_tree.map("m")
    raw = mem_tree.map("m", keys="bytes")  # the same field, stored keys as they are
    model: dict = {}  # stored key -> (python key as written, value)
    committed: dict = {}
    history = []  # (commit, snapshot)

    def ordered(d):
        return [(sk, d[sk][1]) for sk in sorted(d)]

    def check_all():
        expected = ordered(model)
        assert list(raw.items()) == expected
        assert list(reversed(raw.items())) == expected[::-1]
        assert len(m) == len(model)
        decoded = list(m.items())
        assert [v for _, v in decoded] == [v for _, v in expected]
        for (k, v), (sk, _) in zip(decoded, expected):
            assert enc(k) == sk and m[k] == v  # every yielded key finds its entry again

    for step in range(1500):
        op = rnd.random()
        k = _random_key(rnd)
        sk = enc(k)
        if op < 0.35:
            v = bytes([rnd.randrange(256)]) * rnd.randrange(0, 20)
            m[k] = v
            model[sk] = (k, v)
        elif op < 0.45:
            assert m.delete(k) == (sk in model)
            model.pop(sk, None)
        elif op < 0.6:
            assert m.get(k) == (model[sk][1] if sk in model else None)
            assert (k in m) == (sk in model)
        elif op < 0.7 and len(model) >= 2:
            (a, ka), (b, kb) = sorted(((s, model[s][0]) for s in rnd.sample(sorted(model), 2)))
            # None as a bound means "unbounded": use the stored bytes for a None key
            ka, kb = (a if ka is None else ka), (b if kb is None else kb)
            expected = [(s, v) for s, v in ordered(model) if a <= s < b]
            assert list(raw.items(a, b)) == expected
            assert [v for _, v in m.items(ka, kb)] == [v for _, v in expected]
            assert m.count(ka, kb) == len(expected)
            if rnd.random() < 0.3:
                assert m.delete_range(ka, kb) == len(expected)
                for s, _ in expected:
                    del model[s]
        elif op < 0.75:
            p = bytes([rnd.choice(b"pq\x00\x02\x14")])
            expected = [(s, v) for s, v in ordered(model) if s.startswith(p)]
            assert list(raw.prefix(p)) == expected
        elif op < 0.82:
            c = mem_tree.commit(f"step {step}")
            assert (c is None) == (model == committed)
            committed = dict(model)
            if c is not None:
                history.append((c, ordered(model)))
        elif op < 0.86:
            mem_tree.rollback()
            model = dict(committed)
        elif op < 0.9 and history:
            c, snap = rnd.choice(history)
            with mem_tree.checkout(c) as view:
                assert list(view.map("m", keys="bytes").items()) == snap
        if step % 100 == 0:
            check_all()
    check_all()
