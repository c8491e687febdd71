#!/usr/bin/env python3
"""Checks include/infinitree.h against the rules written at its top, so a new function
cannot quietly break them. Usage: check_header_rules.py path/to/infinitree.h

Fails (exit 1, one line per problem) on:
  - a function without a doc comment directly above its declaration;
  - a symbol (function, type, enum value, macro) without the it_ / IT_ prefix;
  - a verb or accessor outside the allowed set, or a banned word (drop, erase, pop, ...);
  - a return type other than int (status) or void (*_free), besides the four error/version
    calls; any other string-out style than it_buf (const char* / uint8_t** / char** outs);
  - a predicate (contains, is_*) that does not return a status and write `int* out`;
  - a count or index that is not uint64_t, or a count not returned through `uint64_t* out`;
  - an anonymous enum, a kind enum not starting at 1, a status or kind handed out as a bare
    int, a filled struct without a version;
  - a read-only call (get, count, contains, is_*, ...) taking a non-const handle.
"""

from __future__ import annotations

import re
import sys
from typing import List, Tuple

# What may follow the object prefix as the first word. Verbs (rule 1 of the header) and the
# accessor nouns that name what a getter returns.
VERBS = {
    "new", "free", "create", "open", "close", "get", "set", "put", "add", "insert", "push",
    "remove", "clear", "delete", "contains", "is", "count", "describe", "commit", "rollback",
    "checkout", "diff", "log", "resolve", "switch", "rename", "finish", "decode", "write",
    "read", "seek", "tell", "first", "last", "next", "prev", "compare", "change", "stats",
    "forget", "prune", "space", "refresh", "follow", "copy", "encode",
}
NOUNS = {
    "map", "set", "list", "value", "fields", "branches", "tags", "current", "cursor", "prefix",
    "key", "entry", "id", "parent", "time", "sequence", "branch", "message", "custom", "name",
    "target", "type", "int", "uint", "double", "bool", "bytes", "size", "string", "code",
    "forgotten",
}
BANNED = {"drop", "erase", "pop", "reset", "has", "unset", "destroy", "release", "exists"}
# Groups of functions that work on no handle.
FREE_OBJECTS = {"error", "buf", "key", "stream", "version", "write_only_keys", "msgpack"}
# The only calls that return something other than a status (they cannot fail).
NON_STATUS = {
    "it_version": "const char*",
    "it_error_string": "const char*",
    "it_error_message": "const char*",
    "it_error_code": "int",
}
READ_ONLY_WORDS = {"get", "count", "contains", "is", "describe", "fields", "branches", "tags",
                   "current", "resolve", "log", "diff", "checkout", "cursor", "prefix", "stats",
                   "key", "entry", "size", "tell", "id", "parent", "time", "sequence", "branch",
                   "message", "custom", "name", "target", "type", "space", "forgotten"}


def strip_comments(text: str) -> str:
    return re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)


def declarations(text: str) -> List[Tuple[int, str]]:
    """(first line number, declaration text) of every IT_API function."""
    lines = strip_comments(text).split("\n")
    out = []
    i = 0
    while i < len(lines):
        if lines[i].startswith("IT_API"):
            start = i
            decl = lines[i]
            while ";" not in decl:
                i += 1
                decl += " " + lines[i].strip()
            out.append((start, " ".join(decl.split())))
        i += 1
    return out


def parse(decl: str) -> Tuple[str, str, List[Tuple[str, str]]]:
    m = re.match(r"IT_API (.+?)\b(it_\w+)\((.*)\);$", decl)
    if not m:
        raise ValueError(f"cannot parse: {decl}")
    ret = m.group(1).replace(" *", "*").strip()
    params = []
    for p in m.group(3).split(","):
        p = p.strip()
        if p == "void" or not p:
            continue
        pm = re.match(r"(.+?)(\w+)$", p)
        if not pm:
            raise ValueError(f"cannot parse parameter {p!r} of {decl}")
        params.append((pm.group(1).replace(" ", "").strip(), pm.group(2)))
    return ret, m.group(2), params


def main() -> int:
    path = sys.argv[1]
    text = open(path, encoding="utf-8").read()
    raw_lines = text.split("\n")
    problems: List[str] = []

    def bad(msg: str) -> None:
        problems.append(msg)

    handles = set(re.findall(r"typedef struct (it_\w+) \1;", text))
    objects = {h[3:] for h in handles} | FREE_OBJECTS
    for t in re.findall(r"typedef (?:struct|enum) (\w+)", text):
        if not t.startswith("it_"):
            bad(f"type {t} lacks the it_ prefix")
    for macro in re.findall(r"^#define (\w+)", text, flags=re.M):
        if not macro.startswith("IT_") and macro != "INFINITREE_H":
            bad(f"macro {macro} lacks the IT_ prefix")

    decls = declarations(text)
    if len(decls) < 100:
        bad(f"only {len(decls)} declarations parsed: the parser no longer matches the header")
    for line_no, decl in decls:
        ret, name, params = parse(decl)
        if not name.startswith("it_"):
            bad(f"{name}: lacks the it_ prefix")
        # Doc comment: the line above the declaration closes a comment.
        if not raw_lines[line_no - 1].rstrip().endswith("*/"):
            bad(f"{name}: no doc comment directly above its declaration")

        # Object and first word of the member.
        rest = name[3:]
        obj = max((o for o in objects if rest == o or rest.startswith(o + "_")), key=len, default=None)
        if obj is None:
            bad(f"{name}: names no known handle or group (it_<object>_<verb>)")
            continue
        member = rest[len(obj) + 1:]
        words = member.split("_") if member else []
        if obj == "version" and not member:
            words = []
        elif not words:
            bad(f"{name}: no verb after the object")
            continue
        for w in words:
            if w in BANNED:
                bad(f"{name}: uses the banned word '{w}' (see rule 1 of the header)")
        if words and words[0] not in VERBS | NOUNS:
            bad(f"{name}: '{words[0]}' is not an allowed verb or accessor (rule 1)")

        # Return types and string outputs.
        if name in NON_STATUS:
            if ret != NON_STATUS[name]:
                bad(f"{name}: must return {NON_STATUS[name]}")
        elif words and words[-1] == "free" or name == "it_error_clear":
            if ret != "void":
                bad(f"{name}: *_free and it_error_clear return void")
        elif ret != "int":
            bad(f"{name}: returns {ret}; calls that can fail return an int status (rule 2)")
        for ptype, pname in params:
            if re.search(r"(char|uint8_t|void)\*\*", ptype) or (
                ptype.startswith("const") and ptype.endswith("**")
            ):
                bad(f"{name}: parameter {pname} hands out a pointer ({ptype}); use it_buf* (rule 6)")

        # Predicates.
        predicate = "contains" in words or (words and words[0] == "is")
        if predicate and (not params or params[-1] != ("int*", "out") or ret != "int"):
            bad(f"{name}: a predicate returns a status and writes its answer to `int* out` (rule 3)")
        if not predicate and params and params[-1] == ("int*", "out") and name != "it_key_parts_bool":
            bad(f"{name}: writes a yes/no `int* out` but is not named contains/is_* (rule 1)")

        # Counts and indexes.
        if words and words[0] == "count" and (not params or params[-1] != ("uint64_t*", "out")):
            bad(f"{name}: a count is returned through `uint64_t* out` (rule 7)")
        for ptype, pname in params:
            if pname in ("index", "i", "count", "n") and ptype not in ("uint64_t", "uint64_t*"):
                bad(f"{name}: {pname} is {ptype}; counts and indexes are uint64_t (rule 7)")
            # A status, kind or mode handed out is its named enum, never a bare int.
            if pname in ("status", "kind", "type", "mode") and ptype in ("int", "int*"):
                bad(f"{name}: {pname} is {ptype}; codes and kinds are named enum types (rule 8)")

        # Const handles for read-only calls.
        if params and words and (words[0] in READ_ONLY_WORDS or words[-1] in ("count",)):
            ptype, _ = params[0]
            if ptype.rstrip("*") in handles and not ptype.startswith("const"):
                bad(f"{name}: a read-only call takes `const {ptype}` (rule 10)")

    # Enums: named, and kinds start at 1.
    if re.search(r"(?<!typedef )\benum\s*\{", text):
        bad("an anonymous enum: name every enum type (rule 8)")
    for ename, body in re.findall(r"typedef enum (it_\w+) \{(.*?)\}", text, flags=re.S):
        values = re.findall(r"(IT_\w+)\s*=\s*(-?\d+)", strip_comments(body))
        if not values:
            bad(f"enum {ename}: values must be explicit")
            continue
        if ename != "it_status" and min(int(v) for _, v in values) != 1:
            bad(f"enum {ename}: kinds start at 1 (rule 8)")

    # Structs the library fills carry a version.
    for sname, body in re.findall(r"typedef struct (it_\w+) \{(.*?)\}", text, flags=re.S):
        if sname == "it_buf":
            continue
        first = strip_comments(body).strip().split(";")[0].split()
        if first != ["uint32_t", "version"]:
            bad(f"struct {sname}: its first field must be `uint32_t version` (rule 9)")
        macro = "IT_" + sname[3:].upper() + "_VERSION"
        if f"#define {macro} " not in text:
            bad(f"struct {sname}: no {macro}")

    for p in problems:
        print(p)
    print(f"{len(decls)} functions checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
