#!/usr/bin/env python3
"""Fails when the top-level modules of a crate use each other in a circle.

A module used by a sibling should not use it back: the shared piece belongs in a leaf
module that both use (ARCHITECTURE.md, "Invariants"). For each crate under crates/, the
top-level modules are the files and directories of src/; module A uses B when a file of A
names `crate::B` (paths or `use crate::{B, ...}`), or, in A's own root file, `super::B`;
an inline `#[cfg(test)] mod tests` (the rest of its file) is left out: tests may use
anything. Prints every cycle with the files behind each edge and exits 1; prints nothing and exits 0
when there is none.

    scripts/module_cycles.py            run from anywhere in the repository
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
USE_GROUP = re.compile(r"use\s+crate::\{([^;]*)\}", re.S)
CRATE_PATH = re.compile(r"\bcrate::([a-z_][a-z0-9_]*)")
INLINE_TESTS = re.compile(r"#\[cfg\(test\)\]\s*mod tests\s*\{.*", re.S)


def modules(src: Path) -> dict[str, list[Path]]:
    """The crate's top-level modules and the files each holds."""
    found: dict[str, list[Path]] = {}
    for entry in sorted(src.iterdir()):
        if entry.is_file() and entry.suffix == ".rs" and entry.stem not in ("lib", "main"):
            found.setdefault(entry.stem, []).append(entry)
        elif entry.is_dir():
            found.setdefault(entry.name, []).extend(sorted(entry.rglob("*.rs")))
    return found


def uses(text: str, is_root_file: bool) -> set[str]:
    text = INLINE_TESTS.sub("", text)
    names = set(CRATE_PATH.findall(text))
    for group in USE_GROUP.findall(text):
        names.update(re.findall(r"(?:^|[,{\s])([a-z_][a-z0-9_]*)\s*(?:::|,|\}|$)", group))
    if is_root_file:
        names.update(re.findall(r"\bsuper::([a-z_][a-z0-9_]*)", text))
    return names


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def main() -> int:
    failed = False
    for src in sorted(ROOT.glob("crates/*/src")):
        mods = modules(src)
        graph: dict[str, set[str]] = {m: set() for m in mods}
        why: dict[tuple[str, str], set[str]] = {}
        for name, files in mods.items():
            for path in files:
                root_file = path == src / f"{name}.rs" or path == src / name / "mod.rs"
                for used in uses(path.read_text(encoding="utf-8"), root_file):
                    if used in mods and used != name:
                        graph[name].add(used)
                        why.setdefault((name, used), set()).add(str(path.relative_to(ROOT)))
        for component in strongly_connected(graph):
            failed = True
            print(f"{src.parent.name}: module cycle {' <-> '.join(component)}")
            for a in component:
                for b in sorted(graph[a] & set(component)):
                    print(f"    {a} -> {b} ({', '.join(sorted(why[(a, b)]))})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
