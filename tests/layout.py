"""The code's shape, as ARCHITECTURE.md states it: no module cycle (two
modules under the same parent that each use the other), and no source
file over 900 lines before its tests. Run by tests/run.sh; exits 1 and
names what breaks a rule.

Modules are read from the files under server/src: the library's are
declared in lib.rs, the binary's (the command line and the servers) in
main.rs. A module's uses are its `use` declarations and the `crate::`,
`super::` and `self::` paths in its code, its tests left out. A use
between an ancestor and a descendant is no cycle (a parent declares its
children; a child may use what its parent holds)."""

import collections
import pathlib
import re
import subprocess
import sys

LIMIT = 900
root = pathlib.Path(__file__).resolve().parent.parent
src = root / "server" / "src"
tracked = subprocess.run(
    ["git", "ls-files", "server/*.rs", "tests/bench/src/*.rs"],
    cwd=root, capture_output=True, text=True, check=True,
).stdout.split()


def before_tests(text):
    """The file up to its first top-level `#[cfg(test)]`."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.startswith("#[cfg(test)]"):
            return lines[:i]
    return lines


def is_test_file(name):
    stem = pathlib.PurePath(name).stem
    return stem == "tests" or stem.startswith("tests_") or "/tests/" in name


problems = []
for name in tracked:
    if is_test_file(name):
        continue
    n = len(before_tests((root / name).read_text(encoding="utf-8")))
    if n > LIMIT:
        problems.append(f"{name}: {n} lines before its tests (at most {LIMIT})")

# --- module cycles ---------------------------------------------------------

binary = set(re.findall(r"^mod (\w+);", (src / "main.rs").read_text(), re.M))


def module_of(name):
    """(crate, module path) of a file under server/src."""
    parts = pathlib.PurePath(name).relative_to("server/src").with_suffix("").parts
    crate = "bin" if parts[0] in binary or parts[0] == "main" else "lib"
    if parts[-1] in ("mod", "lib", "main"):
        parts = parts[:-1]
    return crate, tuple(parts)


modules = {}
for name in tracked:
    if name.startswith("server/src/") and not is_test_file(name):
        modules[module_of(name)] = name
children = collections.defaultdict(set)
for crate, path in modules:
    for i in range(len(path)):
        children[(crate, path[:i])].add(path[i])


def expand(use):
    """`a::{b, c::{d, e}}` → `a::b`, `a::c::d`, `a::c::e`."""
    m = re.match(r"^(.*?)\{(.*)\}$", use.strip(), re.S)
    if not m:
        return [use.strip()]
    prefix, inner, parts, depth, cur = m.group(1), m.group(2), [], 0, ""
    for ch in inner:
        depth += (ch == "{") - (ch == "}")
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return [prefix + e for p in parts if p.strip() for e in expand(p.strip())]


edges = collections.defaultdict(dict)
for (crate, path), name in modules.items():
    code = "\n".join(before_tests((root / name).read_text(encoding="utf-8")))
    code = re.sub(r"//[^\n]*", "", code)
    code = re.sub(r'"(\\.|[^"\\])*"', '""', code)
    uses = [u for m in re.finditer(r"\buse\s+([^;]+);", code) for u in expand(m.group(1))]
    uses += re.findall(r"\b(?:crate|super|self)(?:::\w+)+", code)
    for use in uses:
        segs = re.sub(r"\s+as\s+\w+$", "", use).replace(" ", "").split("::")
        if segs[0] == "crate":
            target = segs[1:]
        elif segs[0] in ("super", "self"):
            target, i = list(path), 0
            while i < len(segs) and segs[i] in ("super", "self"):
                if segs[i] == "super":
                    target = target[:-1]
                i += 1
            target += segs[i:]
        else:
            continue
        k = 0
        while k < len(path) and k < len(target) and path[k] == target[k]:
            k += 1
        parent = (crate, tuple(path[:k]))
        # An ancestor or a descendant, or an item the parent itself holds.
        if k == len(path) or k == len(target) or target[k] not in children[parent]:
            continue
        edges[parent].setdefault((path[k], target[k]), f"{name}: {use.strip()}")

for (crate, parent), pairs in sorted(edges.items()):
    graph = collections.defaultdict(set)
    for a, b in pairs:
        graph[a].add(b)
    # Tarjan's strongly connected components.
    index, low, stack, on, order = {}, {}, [], set(), [0]

    def visit(v):
        index[v] = low[v] = order[0]
        order[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                where = "::".join(parent) or f"the {crate} crate's root"
                problems.append(f"a module cycle under {where}: {', '.join(sorted(component))}")
                for a, b in sorted(pairs):
                    if a in component and b in component:
                        problems.append(f"  {a} uses {b} ({pairs[(a, b)]})")

    for v in sorted(graph):
        if v not in index:
            visit(v)

if problems:
    print("\n".join(problems))
    sys.exit("error: the code's shape breaks the rules above (ARCHITECTURE.md)")
print(f"{len(modules)} modules, no cycle; no source file over {LIMIT} lines before its tests")
