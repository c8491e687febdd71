"""Forget (by name and by policy), the history across forgotten commits, prune (objects
counted in a directory store), the space report and the errors."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

import infinitree
from conftest import PASSWORD, USER


def _commits(tree, n):
    m = tree.map("m")
    out = []
    for i in range(n):
        m[b"k%d" % i] = b"v%d" % i
        out.append(tree.commit("c%d" % i))
    return out


def _objects(store: Path) -> int:
    """Object files of a directory store: one folder per leading byte of the id."""
    return sum(
        1
        for d in store.iterdir()
        if d.is_dir() and len(d.name) == 2
        for f in d.iterdir()
        if not f.name.startswith(".")
    )


def test_forget_by_name_and_the_log_across_the_gap(mem_tree):
    c = _commits(mem_tree, 5)
    mem_tree.create_tag("first", c[0])
    with pytest.raises(infinitree.InvalidArgument, match="head"):
        mem_tree.forget(c[4])
    with pytest.raises(infinitree.InvalidArgument, match="tagged"):
        mem_tree.forget("first")

    dry = mem_tree.forget(c[1], c[2].id, dry_run=True)
    assert [x.id for x in dry.forgotten] == [c[2].id, c[1].id]
    assert len(list(mem_tree.log())) == 5

    r = mem_tree.forget(c[1], c[2])
    assert isinstance(r, infinitree.ForgetReport)
    assert [x.id for x in r.forgotten] == [c[2].id, c[1].id]
    assert [x.id for x in r.kept] == [c[4].id, c[3].id, c[0].id]
    log = list(mem_tree.log())
    assert [x.id for x in log] == [c[4].id, c[3].id, c[0].id]
    assert log[1].forgotten_parents == (c[2].id,)
    assert log[1].parents == (c[2].id,)  # the kept commit itself is unchanged
    assert log[0].forgotten_parents == () and c[3].forgotten_parents == ()
    assert mem_tree.commit_info(c[3]).forgotten_parents == (c[2].id,)
    # Filters and diff across the gap; kept content unchanged.
    assert len(list(mem_tree.log(range=(c[0], c[4])))) == 3
    assert len(mem_tree.diff("m", c[0], c[3])) == 3
    assert mem_tree.checkout(c[3]).map("m")[b"k3"] == b"v3"

    for reach in (mem_tree.checkout, mem_tree.commit_info, mem_tree.forget):
        with pytest.raises(infinitree.NotFound, match="forgotten"):
            reach(c[1])
    nothing = mem_tree.forget()
    assert nothing.forgotten == () and [x.id for x in nothing.kept] == [x.id for x in log]


def test_forget_by_policy(tree_path):
    with infinitree.Tree.create(tree_path, USER, PASSWORD, kdf="fast") as t:
        c = _commits(t, 10)
        t.create_branch("side", c[2])
        t.create_tag("t", c[4])
        with pytest.raises(infinitree.InvalidArgument, match="rule"):
            t.forget_policy()
        with pytest.raises(ValueError):
            t.forget_policy(keep_last=-1)
        with pytest.raises(infinitree.InvalidArgument):
            t.forget_policy(keep_within=dt.timedelta(seconds=-1))
        with pytest.raises(TypeError):
            t.forget_policy(keep_within=1.5)  # type: ignore[arg-type]
        # All ten share an hour, day, week, month and year and lie within an hour.
        rich = t.forget_policy(
            keep_hourly=1, keep_daily=1, keep_weekly=1, keep_monthly=1, keep_yearly=1,
            keep_within=dt.timedelta(hours=1), dry_run=True,
        )
        assert rich.forgotten == () and len(rich.kept) == 10
        assert len(t.forget_policy(keep_within=3_600_000, dry_run=True).kept) == 10
        assert len(t.forget_policy(keep_daily=1, dry_run=True).forgotten) == 7

        r = t.forget_policy(keep_last=2)
        assert {x.id for x in r.kept} == {c[9].id, c[8].id, c[4].id, c[2].id}
        assert len(r.forgotten) == 6
    # Durable, and a read-only tree may plan but not forget.
    with infinitree.Tree.open(tree_path, USER, PASSWORD, kdf="fast", read_only=True) as r:
        assert [x.id for x in r.log()] == [c[9].id, c[8].id, c[4].id, c[2].id]  # side's head too
        assert r.checkout("side").map("m")[b"k2"] == b"v2"
        assert len(r.forget_policy(keep_last=1, dry_run=True).forgotten) == 1  # c8
        with pytest.raises(infinitree.ReadOnly):
            r.forget_policy(keep_last=1)
        with pytest.raises(infinitree.ReadOnly):
            r.prune()


def test_prune_reclaims_objects(tree, tree_path):
    m = tree.map("m")
    for i in range(3):
        m[b"big"] = os.urandom(6 << 20)  # incompressible, replaced by every commit
        tree.commit("c%d" % i)
    last = m[b"big"]
    tree.forget_policy(keep_last=1)

    plan = tree.space()
    assert isinstance(plan, infinitree.SpaceReport)
    assert plan.object_bytes == plan.objects * (4 << 20)
    assert 6 << 20 <= plan.live_bytes < 12 << 20
    assert plan.garbage_bytes == plan.object_bytes - plan.live_bytes
    assert plan.objects_to_delete > 0 and plan.objects_deleted == 0

    before = _objects(tree_path)
    dry = tree.prune(grace=0, dry_run=True)
    assert _objects(tree_path) == before
    assert dry.objects_to_delete == plan.objects_to_delete and dry.objects_deleted == 0

    done = tree.prune(grace=dt.timedelta(0), temp_grace=0, repack_below=0.5)
    after = _objects(tree_path)
    assert done.objects_deleted >= plan.objects_to_delete and done.objects_deferred == 0
    # Repacking may write a few new objects: the store shrinks by at most what was deleted.
    assert before - done.objects_deleted <= after < before
    again = tree.space()
    assert again.objects_to_delete == 0 and again.objects_pending == 0
    assert m[b"big"] == last


def test_prune_with_grace_defers_and_errors(mem_tree):
    c = _commits(mem_tree, 2)
    mem_tree.map("m")[b"dirty"] = b"x"
    with pytest.raises(infinitree.Conflict):
        mem_tree.prune()
    mem_tree.rollback()
    for bad in ({"repack_below": 1.5}, {"repack_below": float("nan")}, {"grace": -1}, {"temp_grace": -5}):
        with pytest.raises(infinitree.InvalidArgument):
            mem_tree.prune(**bad)
        with pytest.raises(infinitree.InvalidArgument):
            mem_tree.space(**bad)
    mem_tree.forget(c[0])
    r = mem_tree.prune()  # the default grace: due deletions wait
    assert r.objects_deleted == 0
    assert mem_tree.space().objects_pending == r.objects_deferred
    mem_tree.close()
    with pytest.raises(infinitree.Closed):
        mem_tree.space()
