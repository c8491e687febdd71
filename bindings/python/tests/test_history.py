"""Commits, rollback, log filters, checkout, diff, branches, tags and password changes."""

from __future__ import annotations

import datetime as dt

import pytest

import infinitree
from conftest import PASSWORD, USER


def test_commit_metadata_and_no_empty_commits(tree):
    assert tree.head() is None
    assert not tree.has_changes
    assert tree.commit("nothing") is None  # nothing changed
    before = dt.datetime.now(dt.timezone.utc)
    tree.map("m")[b"k"] = b"v"
    assert tree.has_changes
    c1 = tree.commit("first", custom=b"\x00meta")
    assert isinstance(c1, infinitree.Commit)
    assert len(c1.id) == 32 and int(c1.id, 16) >= 0
    assert c1.parents == () and c1.parent is None
    assert c1.message == "first" and c1.custom == b"\x00meta"
    assert c1.sequence == 1 and c1.branch == "main"
    assert c1.time.tzinfo is not None
    assert abs((c1.time - before).total_seconds()) < 60
    assert abs(c1.time_ms - int(c1.time.timestamp() * 1000)) <= 1
    assert not tree.has_changes
    c2 = tree.commit("forced", force=True)
    assert c2 is not None and c2.parents == (c1.id,) and c2.sequence == 2
    assert tree.head() == c2
    assert tree.commit_info(c1.id) == c1
    assert tree.commit_info(c1.id[:8]) == c1  # unique prefix
    assert tree.resolve("main") == c2.id
    assert str(c2) == c2.id


def test_rollback_discards_uncommitted_changes(tree):
    m = tree.map("m")
    m[b"keep"] = b"1"
    tree.commit("c")
    m[b"keep"] = b"changed"
    m[b"new"] = b"2"
    tree.list("l").append(b"x")
    tree.rollback()
    assert dict(m) == {b"keep": b"1"}
    assert len(tree.list("l")) == 0
    assert not tree.has_changes


def test_log_filters(tree):
    m = tree.map("m")
    commits = []
    for i in range(6):
        m[i] = b"%d" % i
        commits.append(tree.commit(f"c{i}"))
    newest_first = list(reversed(commits))
    assert list(tree.log()) == newest_first
    assert list(tree.log(single=commits[2])) == [commits[2]]
    assert list(tree.log(up_to=commits[2].id)) == newest_first[3:]
    assert list(tree.log(range=(commits[1], commits[4]))) == [commits[4], commits[3], commits[2], commits[1]]
    lazy = tree.log()
    assert next(lazy) == commits[-1]
    lazy.close()  # abandoning a log frees it
    with pytest.raises(infinitree.NotFound):
        list(tree.log(single="ffffffffffffffffffffffffffffffff"))


def test_checkout_shows_each_commit_as_it_was(tree):
    m = tree.map("m")
    snapshots = []
    for i in range(5):
        m[i] = b"v%d" % i
        if i % 2:
            del m[i - 1]
        snapshots.append((tree.commit(f"c{i}"), dict(m)))
    m[99] = b"uncommitted"
    for c, expected in snapshots:
        with tree.checkout(c) as view:
            assert view.commit == c
            vm = view.map("m")
            assert dict(vm) == expected
            assert list(reversed(vm)) == sorted(expected, reverse=True)
            assert view.fields() == {"m": "map"} and view.has_field("m")
    # by branch name and by tag
    tree.create_tag("v1", snapshots[1][0])
    with tree.checkout("v1") as view:
        assert dict(view.map("m")) == snapshots[1][1]
    with tree.checkout("main") as view:
        assert 99 not in view.map("m")


def test_diff(tree):
    m = tree.map("m")
    for i in range(10):
        m[i] = b"a"
    a = tree.commit("a")
    m[3] = b"changed"
    del m[5]
    m[20] = b"new"
    b = tree.commit("b")
    d = tree.diff("m", a, b)
    assert d == [
        infinitree.DiffEntry(3, b"a", b"changed"),
        infinitree.DiffEntry(5, b"a", None),
        infinitree.DiffEntry(20, None, b"new"),
    ]
    assert tree.diff("m", b.id, a.id)[0] == (3, b"changed", b"a")
    assert tree.diff("m", a, a) == []
    s = tree.set("s")
    s.add("x")
    c = tree.commit("c")
    s.add("y")
    s.discard("x")
    e = tree.commit("e")
    assert [(x.key, x.old is None, x.new is None) for x in tree.diff("s", c, e)] == [(b"x", False, True), (b"y", True, False)]


def test_branches_and_tags(tree):
    m = tree.map("m")
    m[b"k"] = b"main1"
    c1 = tree.commit("main 1")
    assert tree.branch == "main"
    tree.create_branch("dev")
    assert tree.branches() == {"main": c1.id, "dev": c1.id}
    tree.switch_branch("dev")
    m[b"k"] = b"dev1"
    d1 = tree.commit("dev 1")
    assert d1.branch == "dev" and d1.parents == (c1.id,)
    tree.switch_branch("main")
    assert m[b"k"] == b"main1"
    m[b"k"] = b"main2"
    c2 = tree.commit("main 2")
    assert [c.id for c in tree.log()] == [c2.id, c1.id]
    merge = tree.commit("merge", force=True, parents=[d1])
    assert merge.parents == (c2.id, d1.id)
    orphan_branch = "island"
    tree.create_branch(orphan_branch, c1)
    tree.switch_branch(orphan_branch)
    lone = tree.commit("alone", force=True, orphan=True)
    assert lone.parents == ()
    tree.switch_branch("main")
    tree.delete_branch("dev")
    assert "dev" not in tree.branches()
    tree.create_tag("release", c1)
    assert tree.tags() == {"release": c1.id}
    assert tree.resolve("release") == c1.id
    tree.delete_tag("release")
    assert tree.tags() == {}


def test_change_password(tree_path):
    with infinitree.Tree.create(tree_path, USER, PASSWORD, kdf="fast") as t:
        t.map("m")[b"k"] = b"v"
        t.commit("c")
        t.change_password("bob", b"new \x00 binary password", kdf="fast")
    with pytest.raises(infinitree.WrongCredentials):
        infinitree.Tree.open(tree_path, USER, PASSWORD, kdf="fast")
    with infinitree.Tree.open(tree_path, "bob", b"new \x00 binary password", kdf="fast") as t:
        assert t.map("m")[b"k"] == b"v"
        assert len(list(t.log())) == 1


def test_stats(tree):
    m = tree.map("m")
    for i in range(1000):
        m[i] = b"x" * 10
    tree.commit("c")
    s = tree.stats()
    assert s.commits == 1 and s.objects >= 1
    assert s.chunks_written > 0 and s.bytes_written > 0


def test_history_survives_reopen(tree_path):
    with infinitree.Tree.create(tree_path, USER, PASSWORD, kdf="fast") as t:
        ids = []
        for i in range(3):
            t.list("l").append(b"%d" % i)
            ids.append(t.commit(f"c{i}").id)
    with infinitree.Tree.open(tree_path, USER, PASSWORD, kdf="fast") as t:
        assert [c.id for c in t.log()] == ids[::-1]
        assert list(t.list("l")) == [b"0", b"1", b"2"]
        with t.checkout(ids[0]) as v:
            assert list(v.list("l")) == [b"0"]
