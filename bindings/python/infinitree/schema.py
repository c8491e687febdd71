"""Typed schemas (docs/data-model.md, "Typed schema"): a tree's fields declared once, as a
class of typed field handles, opened together, with the schema's name, version and each
field's kind and types recorded in the tree -- the same record, the same checks and the
same stored bytes as C++ (include/infinitree/schema.hpp), so either language reads what the
other wrote::

    @dataclass
    class Plant:
        schema_name: ClassVar[str] = "Plant/1"   # names its msgpack layout, as in C++
        name: str
        height: float

    class Garden(Schema, name="garden", version=1):
        plants = MapField(tuple[str, int], Plant)
        tags = SetField(str)

    g = Garden(tree)             # a Tree records the schema if it has none; a View is checked
    g.plants[("fern", 1)] = Plant("fern", 0.4)

Keys use the order-preserving key encoding (``infinitree.keys``); values are msgpack, a
dataclass as the array of its fields in declaration order (C++ MSGPACK_DEFINE), written by
the library's msgpack-cxx (``_msgpack``). Types and their recorded names: ``bool`` "bool",
``int`` "int", ``UInt`` "uint", ``float`` "float", ``str`` "str", ``datetime`` "time" and
``Desc[T]`` "desc T" (keys only), ``tuple[A, B]`` "(A,B)", ``list[T]`` "[T]",
``Optional[T]`` "T?", ``dict[str, V]`` "{str:V}", a dataclass its ``schema_name``.

Errors, as in C++: another schema name or version is UnsupportedVersion; a field stored with
another kind or types, a declared field not in the record or a recorded field not declared
is InvalidArgument naming the field and both types; a checkout without a record is NotFound.
A Python value of the wrong type for a put is TypeError; a stored value that does not fit
the declared type is InvalidArgument.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import math
import types
import typing
from typing import Any, Callable, ClassVar, Dict, Generic, Iterator, List, NamedTuple, NewType, Optional, Tuple, TypeVar, Union

from . import _constants as C
from . import _msgpack
from .errors import InvalidArgument, KeyNotFound, NotFound, UnsupportedVersion
from .fields import List as _List
from .fields import Map, Set, Value
from .keys import Desc
from .tree import Tree, View

#: An unsigned integer (0 .. 2**64-1): recorded as "uint", like a C++ unsigned member or key.
UInt = NewType("UInt", int)

#: The value field holding the record (C++ Schema::kRecordField).
RECORD_FIELD = "infinitree.schema"

K = TypeVar("K")
V = TypeVar("V")

_INT64 = (-(2**63), 2**63 - 1)
_UINT64 = (0, 2**64 - 1)


class SchemaRecord(NamedTuple):
    """What a tree records about its schema: msgpack ``[name, version, [[field, type], ...]]``."""

    name: str
    version: int
    fields: List[Tuple[str, str]]  # (field, "map<str,Plant/1>") in declaration order


class _Shape(Exception):
    """A stored value that does not fit its declared type (becomes InvalidArgument)."""


def _q(s: str) -> str:
    return "'" + s + "'"


def _optional_arg(tp: Any) -> Any:
    """T of Optional[T] / T | None, else None."""
    if typing.get_origin(tp) in (Union, types.UnionType):
        args = typing.get_args(tp)
        rest = [a for a in args if a is not type(None)]
        if len(args) == 2 and len(rest) == 1:
            return rest[0]
        raise TypeError(f"a schema type may be Optional[T] but not the union {tp}")
    return None


def _int_range(v: Any, lo_hi: Tuple[int, int], what: str) -> int:
    if type(v) is bool or not isinstance(v, int):
        raise TypeError(f"{what}: expected an int, got {type(v).__name__}")
    if not lo_hi[0] <= v <= lo_hi[1]:
        raise OverflowError(f"{what}: {v} is outside [{lo_hi[0]}, {lo_hi[1]}]")
    return int(v)


# ------------------------------------------------------------------------------------------
# Key types: a name and a check that returns the key as the key codec must see it
# ------------------------------------------------------------------------------------------
class _KeyType:
    def __init__(self, name: str, norm: Callable[[Any, str], Any], fix: Callable[[Any], Any] = lambda k: k) -> None:
        self.name = name
        self.norm = norm  # Python key -> the value to encode (TypeError if it does not fit)
        self.fix = fix  # decoded key -> the declared shape (a 1-tuple decodes as a scalar)


def _key_scalar(tp: Any) -> Tuple[str, Callable[[Any, str], Any]]:
    if tp is bool:
        return "bool", lambda v, w: v if type(v) is bool else _bad(w, "a bool", v)
    if tp is int:
        return "int", lambda v, w: _int_range(v, _INT64, w)
    if tp is UInt:
        return "uint", lambda v, w: _int_range(v, _UINT64, w)
    if tp is float:  # an int 1 would encode as an integer component: store 1.0
        return "float", lambda v, w: float(v) if isinstance(v, (int, float)) and type(v) is not bool else _bad(w, "a float", v)
    if tp is str:
        return "str", lambda v, w: v if isinstance(v, str) else _bad(w, "a str", v)
    if tp is _dt.datetime:
        def time(v: Any, w: str) -> Any:
            if not isinstance(v, _dt.datetime) or v.tzinfo is None:
                _bad(w, "a timezone-aware datetime", v)
            return v
        return "time", time
    if typing.get_origin(tp) is Desc:
        (inner,) = typing.get_args(tp)
        name, norm = _key_scalar(inner)

        def desc(v: Any, w: str) -> Any:
            if not isinstance(v, Desc):
                _bad(w, f"Desc[{name}]", v)
            return Desc(norm(v.value, w))
        return "desc " + name, desc
    raise TypeError(f"{tp!r} is not a key type (bool, int, UInt, float, str, datetime, Desc[T], or a tuple of them)")


def key_type(tp: Any) -> _KeyType:
    """The key type of a declared Python type (TypeError for one keys cannot hold)."""
    if typing.get_origin(tp) is tuple:
        parts = [_key_scalar(a) for a in typing.get_args(tp)]
        if not parts or Ellipsis in typing.get_args(tp):
            raise TypeError(f"a tuple key type needs fixed components, not {tp!r}")

        def norm(v: Any, w: str) -> Any:
            if not isinstance(v, tuple) or len(v) != len(parts):
                _bad(w, f"a tuple of {len(parts)}", v)
            return tuple(p[1](x, f"{w}[{i}]") for i, (p, x) in enumerate(zip(parts, v)))

        fix = (lambda k: (k,)) if len(parts) == 1 else (lambda k: k)
        return _KeyType("(" + ",".join(p[0] for p in parts) + ")", norm, fix)
    name, norm = _key_scalar(tp)
    return _KeyType(name, norm)


def _bad(where: str, want: str, got: Any) -> Any:
    raise TypeError(f"{where}: expected {want}, got {type(got).__name__} {got!r}"[:300])


# ------------------------------------------------------------------------------------------
# Value types: a name, Python -> JSON-able (checked), JSON-able -> Python (checked)
# ------------------------------------------------------------------------------------------
class _ValueType:
    def __init__(self, name: str, enc: Callable[[Any, str], Any], dec: Callable[[Any, str], Any]) -> None:
        self.name = name
        self.enc = enc  # TypeError/ValueError for a Python value that does not fit
        self.dec = dec  # _Shape for a stored value that does not fit


def _shape(where: str, want: str, got: Any) -> Any:
    raise _Shape(f"{where}: expected {want}, found {json_kind(got)}")


def json_kind(j: Any) -> str:
    return {bool: "a bool", int: "an integer", float: "a float", str: "a string", list: "an array",
            dict: "a map", type(None): "nil"}.get(type(j), type(j).__name__)


def _finite(v: Any, w: str) -> float:
    if type(v) is bool or not isinstance(v, (int, float)):
        _bad(w, "a float", v)
    f = float(v)
    if not math.isfinite(f):
        raise ValueError(f"{w}: {f} cannot be stored (NaN and infinities have no msgpack-JSON form here)")
    return f


_value_types: Dict[Any, _ValueType] = {}


def value_type(tp: Any) -> _ValueType:
    """The value type of a declared Python type (TypeError for one values cannot hold)."""
    if tp in _value_types:
        return _value_types[tp]
    vt = _make_value_type(tp)
    try:
        _value_types[tp] = vt
    except TypeError:  # an unhashable annotation: do not cache
        pass
    return vt


def _make_value_type(tp: Any) -> _ValueType:
    if tp is bool:
        return _ValueType("bool", lambda v, w: v if type(v) is bool else _bad(w, "a bool", v),
                          lambda j, w: j if type(j) is bool else _shape(w, "a bool", j))
    if tp is int or tp is UInt:
        rng = _INT64 if tp is int else _UINT64
        return _ValueType("int" if tp is int else "uint", lambda v, w: _int_range(v, rng, w),
                          lambda j, w: j if type(j) is int and rng[0] <= j <= rng[1] else _shape(w, f"an integer in [{rng[0]}, {rng[1]}]", j))
    if tp is float:
        # msgpack-cxx writes an integral double as an integer: both read back as float.
        return _ValueType("float", _finite,
                          lambda j, w: float(j) if type(j) in (int, float) else _shape(w, "a float", j))
    if tp is str:
        return _ValueType("str", lambda v, w: v if isinstance(v, str) else _bad(w, "a str", v),
                          lambda j, w: j if type(j) is str else _shape(w, "a string", j))
    if tp is _dt.datetime or typing.get_origin(tp) is Desc:
        raise TypeError(f"{tp!r} is a key type only: msgpack keeps a time value as an ext type, which the bindings do not encode")
    inner = _optional_arg(tp)
    if inner is not None:
        it = value_type(inner)
        return _ValueType(it.name + "?", lambda v, w: None if v is None else it.enc(v, w),
                          lambda j, w: None if j is None else it.dec(j, w))
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is list:
        (e,) = args
        et = value_type(e)
        return _ValueType("[" + et.name + "]",
                          lambda v, w: [et.enc(x, f"{w}[{i}]") for i, x in enumerate(v)] if isinstance(v, list) else _bad(w, "a list", v),
                          lambda j, w: [et.dec(x, f"{w}[{i}]") for i, x in enumerate(j)] if type(j) is list else _shape(w, "an array", j))
    if origin is tuple:
        if not args or Ellipsis in args:
            raise TypeError(f"a tuple type needs fixed components, not {tp!r}")
        ts = [value_type(a) for a in args]

        def tenc(v: Any, w: str) -> Any:
            if not isinstance(v, tuple) or len(v) != len(ts):
                _bad(w, f"a tuple of {len(ts)}", v)
            return [t.enc(x, f"{w}[{i}]") for i, (t, x) in enumerate(zip(ts, v))]

        def tdec(j: Any, w: str) -> Any:
            if type(j) is not list or len(j) != len(ts):
                _shape(w, f"an array of {len(ts)}", j)
            return tuple(t.dec(x, f"{w}[{i}]") for i, (t, x) in enumerate(zip(ts, j)))
        return _ValueType("(" + ",".join(t.name for t in ts) + ")", tenc, tdec)
    if origin is dict:
        kt, vt_ = args
        if kt is not str:
            raise TypeError(f"a dict in a value needs str keys (msgpack-JSON maps), not {kt!r}")
        vt = value_type(vt_)

        def denc(v: Any, w: str) -> Any:
            if not isinstance(v, dict):
                _bad(w, "a dict", v)
            out = {}
            for k, x in v.items():
                if not isinstance(k, str):
                    _bad(w + " key", "a str", k)
                out[k] = vt.enc(x, f"{w}[{k!r}]")
            return out
        return _ValueType("{str:" + vt.name + "}", denc,
                          lambda j, w: {k: vt.dec(x, f"{w}[{k!r}]") for k, x in j.items()} if type(j) is dict else _shape(w, "a map", j))
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return _dataclass_type(tp)
    raise TypeError(f"{tp!r} is not a schema value type (bool, int, UInt, float, str, tuple, list, Optional, "
                    "dict[str, V] or a dataclass with a schema_name)")


def _dataclass_type(cls: type) -> _ValueType:
    name = getattr(cls, "schema_name", None)
    if not isinstance(name, str) or not name:
        raise TypeError(f"dataclass {cls.__name__} needs `schema_name: ClassVar[str]` (a name and version of its "
                        'msgpack layout, e.g. "Plant/1"), as a C++ type in a schema does')
    hints = typing.get_type_hints(cls)
    fields = [f for f in dataclasses.fields(cls)]
    types_ = [value_type(hints[f.name]) for f in fields]
    names = [f.name for f in fields]

    def enc(v: Any, w: str) -> Any:
        if not isinstance(v, cls):
            _bad(w, cls.__name__, v)
        return [t.enc(getattr(v, n), f"{w}.{n}") for n, t in zip(names, types_)]

    def dec(j: Any, w: str) -> Any:
        # C++ msgpack-cxx tolerates a short array (missing members keep defaults); here a
        # value of another length is refused, so a layout change cannot go unnoticed.
        if type(j) is not list or len(j) != len(names):
            _shape(w, f"{name}, an array of {len(names)} members", j)
        return cls(**{n: t.dec(x, f"{w}.{n}") for n, t, x in zip(names, types_, j)})
    return _ValueType(name, enc, dec)


def pack_value(tp: Any, value: Any) -> bytes:
    """The stored bytes of ``value`` as type ``tp`` (exactly what C++ msgpack::pack writes)."""
    t = value_type(tp)
    return _msgpack.pack(t.enc(value, "value"))


def unpack_value(tp: Any, raw: bytes) -> Any:
    """The value of stored bytes as type ``tp``; InvalidArgument if they do not fit."""
    return _decode(value_type(tp), raw, "value")


def _decode(t: _ValueType, raw: bytes, where: str) -> Any:
    try:
        j = _msgpack.unpack(raw)
        return t.dec(j, where)
    except _Shape as e:
        raise InvalidArgument(C.IT_EINVAL, f"the stored value does not fit {t.name}: {e}") from None
    except InvalidArgument as e:
        raise InvalidArgument(C.IT_EINVAL, f"{where}: the stored value does not fit {t.name}: {e.message}") from None


# ------------------------------------------------------------------------------------------
# Typed handles
# ------------------------------------------------------------------------------------------
class TypedMap(Generic[K, V]):
    """A map field with typed keys and values: a dict-like view over the live state (or a
    checkout's, read-only). Iteration is in key order."""

    def __init__(self, m: Map, kt: _KeyType, vt: _ValueType) -> None:
        self.map, self._kt, self._vt = m, kt, vt

    def _key(self, k: Any) -> Any:
        return self._kt.norm(k, f"key of field {_q(self.map.name)}")

    def _val(self, raw: bytes, k: Any) -> Any:
        return _decode(self._vt, raw, f"field {_q(self.map.name)} key {k!r}")

    def __getitem__(self, k: K) -> V:
        raw = self.map[self._key(k)]
        return self._val(raw, k)  # type: ignore[no-any-return]

    def get(self, k: K, default: Any = None) -> Any:
        try:
            return self[k]
        except KeyNotFound:
            return default

    def __setitem__(self, k: K, v: V) -> None:
        key = self._key(k)
        self.map[key] = _msgpack.pack(self._vt.enc(v, f"value of field {_q(self.map.name)}"))

    def put(self, k: K, v: V) -> None:
        self[k] = v

    def __delitem__(self, k: K) -> None:
        del self.map[self._key(k)]

    def delete(self, k: K) -> bool:
        """Removes ``k``; True if it was there."""
        return self.map.delete(self._key(k))

    def __contains__(self, k: object) -> bool:
        try:
            return self._key(k) in self.map
        except (TypeError, OverflowError):
            return False

    def __len__(self) -> int:
        return len(self.map)

    def __iter__(self) -> Iterator[K]:
        for k in self.map:
            yield self._kt.fix(k)

    def keys(self, start: Any = None, stop: Any = None) -> Iterator[K]:
        for k in self.map.keys(*self._bounds(start, stop)):
            yield self._kt.fix(k)

    def items(self, start: Any = None, stop: Any = None) -> Iterator[Tuple[K, V]]:
        """(key, value) pairs in key order, from ``start`` (included) to ``stop`` (excluded)."""
        for k, raw in self.map.items(*self._bounds(start, stop)):
            key = self._kt.fix(k)
            yield key, self._val(raw, key)

    def values(self) -> Iterator[V]:
        for _, v in self.items():
            yield v

    def _bounds(self, start: Any, stop: Any) -> Tuple[Any, Any]:
        return (None if start is None else self._key(start), None if stop is None else self._key(stop))

    def __repr__(self) -> str:
        return f"<infinitree.TypedMap {self.map.name!r} {self._kt.name} -> {self._vt.name}>"


class TypedSet(Generic[K]):
    """A set field with typed keys."""

    def __init__(self, s: Set, kt: _KeyType) -> None:
        self.set, self._kt = s, kt

    def _key(self, k: Any) -> Any:
        return self._kt.norm(k, f"key of field {_q(self.set.name)}")

    def add(self, k: K) -> bool:
        """Adds ``k``; True if it was not there."""
        return self.set.insert(self._key(k))

    def discard(self, k: K) -> bool:
        """Removes ``k``; True if it was there."""
        try:
            self.set.remove(self._key(k))
            return True
        except KeyNotFound:
            return False

    def __contains__(self, k: object) -> bool:
        try:
            return self._key(k) in self.set
        except (TypeError, OverflowError):
            return False

    def __len__(self) -> int:
        return len(self.set)

    def __iter__(self) -> Iterator[K]:
        for k in self.set:
            yield self._kt.fix(k)


class TypedList(Generic[V]):
    """A list field with typed elements."""

    def __init__(self, lst: _List, vt: _ValueType) -> None:
        self.list, self._vt = lst, vt

    def __len__(self) -> int:
        return len(self.list)

    def __getitem__(self, i: int) -> V:
        return _decode(self._vt, self.list[i], f"field {_q(self.list.name)} [{i}]")  # type: ignore[no-any-return]

    def __setitem__(self, i: int, v: V) -> None:
        self.list[i] = _msgpack.pack(self._vt.enc(v, f"element of field {_q(self.list.name)}"))

    def append(self, v: V) -> int:
        """Appends ``v``; returns its position."""
        return self.list.append(_msgpack.pack(self._vt.enc(v, f"element of field {_q(self.list.name)}")))

    def __iter__(self) -> Iterator[V]:
        for i, raw in enumerate(self.list):
            yield _decode(self._vt, raw, f"field {_q(self.list.name)} [{i}]")


class TypedValue(Generic[V]):
    """A value field holding one typed value."""

    def __init__(self, v: Value, vt: _ValueType) -> None:
        self.value, self._vt = v, vt

    def get(self, default: Any = None) -> Any:
        raw = self.value.get()
        return default if raw is None else _decode(self._vt, raw, f"field {_q(self.value.name)}")

    def set(self, v: V) -> None:
        self.value.set(_msgpack.pack(self._vt.enc(v, f"value of field {_q(self.value.name)}")))

    def reset(self) -> None:
        self.value.reset()

    def is_set(self) -> bool:
        return self.value.is_set()


# ------------------------------------------------------------------------------------------
# Declarations
# ------------------------------------------------------------------------------------------
class _Field:
    kind = ""

    def __init__(self, field: Optional[str]) -> None:
        self.field = field  # the tree's field name; default: the attribute's name
        self.attr = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.attr = name
        if self.field is None:
            self.field = name

    def type_name(self) -> str:
        raise NotImplementedError

    def open(self, tree: Union[Tree, View]) -> Any:
        raise NotImplementedError


class MapField(_Field, Generic[K, V]):
    """A map field of keys ``key`` and values ``value`` (recorded as "map<K,V>")."""

    kind = "map"

    def __init__(self, key: Any, value: Any, *, field: Optional[str] = None) -> None:
        super().__init__(field)
        self.kt, self.vt = key_type(key), value_type(value)

    def type_name(self) -> str:
        return f"map<{self.kt.name},{self.vt.name}>"

    def open(self, tree: Union[Tree, View]) -> TypedMap[K, V]:
        return TypedMap(tree.map(self.field or self.attr, keys="typed"), self.kt, self.vt)


class SetField(_Field, Generic[K]):
    """A set field of keys ``key`` (recorded as "set<K>")."""

    kind = "set"

    def __init__(self, key: Any, *, field: Optional[str] = None) -> None:
        super().__init__(field)
        self.kt = key_type(key)

    def type_name(self) -> str:
        return f"set<{self.kt.name}>"

    def open(self, tree: Union[Tree, View]) -> TypedSet[K]:
        return TypedSet(tree.set(self.field or self.attr, keys="typed"), self.kt)


class ListField(_Field, Generic[V]):
    """A list field of elements ``value`` (recorded as "list<T>")."""

    kind = "list"

    def __init__(self, value: Any, *, field: Optional[str] = None) -> None:
        super().__init__(field)
        self.vt = value_type(value)

    def type_name(self) -> str:
        return f"list<{self.vt.name}>"

    def open(self, tree: Union[Tree, View]) -> TypedList[V]:
        return TypedList(tree.list(self.field or self.attr), self.vt)


class ValueField(_Field, Generic[V]):
    """A value field holding one ``value`` (recorded as "value<T>")."""

    kind = "value"

    def __init__(self, value: Any, *, field: Optional[str] = None) -> None:
        super().__init__(field)
        self.vt = value_type(value)

    def type_name(self) -> str:
        return f"value<{self.vt.name}>"

    def open(self, tree: Union[Tree, View]) -> TypedValue[V]:
        return TypedValue(tree.value(self.field or self.attr), self.vt)


class Schema:
    """The base of a schema class: see the top of this module. ``Schema(tree)`` with a Tree
    opens the working state (recording the declaration if the tree has no record: the next
    commit persists it); with a View (a checkout) it only checks."""

    schema_name: ClassVar[str] = ""
    schema_version: ClassVar[int] = 0
    _declared: ClassVar[Dict[str, _Field]] = {}

    def __init_subclass__(cls, name: Optional[str] = None, version: Optional[int] = None, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        if name is not None:
            cls.schema_name = name
        if version is not None:
            cls.schema_version = version
        declared: Dict[str, _Field] = {}
        for base in reversed(cls.__mro__[1:]):
            declared.update(getattr(base, "_declared", {}))
        declared.update({a: f for a, f in cls.__dict__.items() if isinstance(f, _Field)})
        cls._declared = declared

    def __init__(self, tree: Union[Tree, View]) -> None:
        name, version = type(self).schema_name, type(self).schema_version
        if not name:
            raise InvalidArgument(C.IT_EINVAL, "a schema needs a name")
        if type(version) is not int or not 0 <= version < 2**32:
            raise InvalidArgument(C.IT_EINVAL, f"schema {_q(name)}: the version must be an int in [0, 2**32)")
        writable = isinstance(tree, Tree)
        stored = Schema.stored(tree)
        if stored is None and not writable:
            raise NotFound(C.IT_ENOTFOUND, f"this version of the tree has no schema record (schema {_q(name)})")
        if stored is not None and (stored.name != name or stored.version != version):
            raise UnsupportedVersion(
                C.IT_EVERSION,
                f"the tree holds schema {_q(stored.name)} version {stored.version}, this program declares "
                f"{_q(name)} version {version} (migrate the data, then Schema.forget the old record)")
        kinds = tree.fields()
        recorded = dict(stored.fields) if stored is not None else {}
        declared: List[Tuple[str, str]] = []
        for f in self._declared.values():
            field, type_ = f.field or f.attr, f.type_name()
            where = f"schema {_q(name)}: field {_q(field)}"
            if any(d[0] == field for d in declared):
                raise InvalidArgument(C.IT_EINVAL, where + " is declared twice")
            if field == RECORD_FIELD:
                raise InvalidArgument(C.IT_EINVAL, where + " is the schema record's own field")
            if field in kinds and kinds[field] != f.kind:
                raise InvalidArgument(C.IT_EINVAL, f"{where} is a {kinds[field]} in the tree, declared as {type_}")
            if stored is not None:
                if field not in recorded:
                    raise InvalidArgument(C.IT_EINVAL, f"{where} ({type_}) is not in the stored schema")
                if recorded[field] != type_:
                    raise InvalidArgument(C.IT_EINVAL, f"{where} is stored as {recorded[field]}, declared as {type_}")
            declared.append((field, type_))
        if stored is not None:
            names = {d[0] for d in declared}
            for field, type_ in stored.fields:
                if field not in names:
                    raise InvalidArgument(C.IT_EINVAL, f"schema {_q(name)}: the stored field {_q(field)} ({type_}) is not declared")
        else:
            assert isinstance(tree, Tree)
            record = [name, version, [[f, t] for f, t in declared]]
            tree.value(RECORD_FIELD).set(_msgpack.pack(record))
        self.tree = tree
        for attr, f in self._declared.items():
            setattr(self, attr, f.open(tree))

    @staticmethod
    def stored(tree: Union[Tree, View]) -> Optional[SchemaRecord]:
        """The record in the tree's working state or a checkout, if any."""
        if not tree.has_field(RECORD_FIELD):
            return None
        raw = tree.value(RECORD_FIELD).get()
        if raw is None:
            return None
        try:
            j = _msgpack.unpack(raw)
            name, version, fields = j
            if type(name) is not str or type(version) is not int or type(fields) is not list:
                raise ValueError
            pairs = [(str(f), str(t)) for f, t in fields if type(f) is str and type(t) is str]
            if len(pairs) != len(fields):
                raise ValueError
        except (ValueError, TypeError, InvalidArgument):
            raise InvalidArgument(C.IT_EINVAL, f"the value field {_q(RECORD_FIELD)} is not a schema record") from None
        return SchemaRecord(name, version, pairs)

    @staticmethod
    def forget(tree: Tree) -> bool:
        """Removes the record from the working state (the next commit persists it), so that
        the next declaration records itself: the last step of a migration. True if there was
        one. Data fields are untouched."""
        if not tree.has_field(RECORD_FIELD):
            return False
        tree.drop_field(RECORD_FIELD)
        return True


__all__ = [
    "Schema", "SchemaRecord", "MapField", "SetField", "ListField", "ValueField", "TypedMap", "TypedSet",
    "TypedList", "TypedValue", "UInt", "RECORD_FIELD", "pack_value", "unpack_value", "key_type", "value_type",
]
