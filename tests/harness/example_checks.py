"""Static checks that an example proves what it shows (issue 11, conventions C1-C3).

C1  a section that reloads (`load_model(` or `.from_config(`) prints a comparison of whole
    configurations, `x.get_config() == y.get_config()`, and a setting of the reloaded object;
    sections that demonstrate an error (an `except` around the reload) are exempt.
C2  every call, in an included section, of a class that serializes `__init__` parameters with
    defaults in `get_config` passes each of them, with a value other than the default.
C3  in a group of content tabs holding Python blocks, every tab shows a block's output, and a
    name an earlier tab defines and a later tab defines again is used by the earlier tab first.

Only sections that some page includes are checked, by reading the snippet modules' syntax
trees; nothing is run. Each problem names the module and the line where the section starts
(or the page and line of the tab) and the section.
"""

from __future__ import annotations

import ast
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

from tests.harness import snippet_usage
from tests.harness.blocks import PageError
from tests.harness.collect import page_blocks
from tools import expand
from tools import page_text
from tools import site_config as config

RELOADS = ("load_model", "from_config")


# --- what the pages include ----------------------------------------------------------

@dataclass(frozen=True)
class Section:
    module: str   # repository-relative path of the snippet module
    name: str
    start: int    # line of `# --8<-- [start:name]`
    end: int      # line of `# --8<-- [end:name]`

    @property
    def where(self) -> str:
        return f"{self.module}:{self.start}: section '{self.name}'"

    def holds(self, node: ast.AST) -> bool:
        return self.start < getattr(node, "lineno", 0) < self.end


def section_ranges(module: Path, shown: str) -> dict[str, Section]:
    """name -> Section of a module's well-formed sections (snippet_usage reports the others)."""
    names, _ = snippet_usage.sections(module, shown)
    starts: dict[str, int] = {}
    found: dict[str, Section] = {}
    for number, line in enumerate(module.read_text(encoding="utf-8").splitlines(), start=1):
        m = snippet_usage.SECTION.match(line)
        if not m:
            continue
        name = m.group("name")
        if m.group("kind") == "start":
            starts.setdefault(name, number)
        elif name in starts and name in names:
            found[name] = Section(shown, name, starts[name], number)
    return found


def included_sections(site: config.SiteConfig) -> dict[str, list[Section]]:
    """module -> the sections that any page (of any language) includes, in module order."""
    wanted: dict[str, set[str]] = {}
    for lang in site.languages:
        for page in site.pages(lang):
            for _, target in expand.includes(page.read_text(encoding="utf-8")):
                path, _, name = target.partition(":")
                wanted.setdefault(path, set()).add(name)
    result = {}
    for module, names in sorted(wanted.items()):
        path = site.root / module
        if path.suffix != ".py" or not path.exists():
            continue  # a missing include is reported by the page tests
        ranges = section_ranges(path, module)
        if "" in names:  # the whole module is shown
            whole = Section(module, "(whole module)", 0, len(path.read_text(encoding="utf-8").splitlines()) + 1)
            result[module] = [whole]
            continue
        result[module] = sorted((ranges[n] for n in names if n in ranges), key=lambda s: s.start)
    return result


def _tree(site: config.SiteConfig, module: str) -> ast.Module:
    return ast.parse((site.root / module).read_text(encoding="utf-8"), filename=module)


def _called_name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _is_get_config_call(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get_config"


def _is_print(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print"


# --- C1: config compared on every round trip -------------------------------------------

def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}


def _reload_calls(tree: ast.Module, section: Section) -> list[ast.Call]:
    """load_model(...) and x.from_config(...) calls of a section. A `from_config` classmethod
    delegating to `super().from_config(...)` implements the hook; it is not a round trip.
    Neither is loading a legacy `.h5` file that Keras 2 wrote: its configuration has another
    format, so there is no Keras 3 original to compare with (saving it again is a round trip)."""
    calls = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and section.holds(node)):
            continue
        name = _called_name(node)
        if name == "load_model":
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Constant) and str(first.value).endswith(".h5"):
                continue
            calls.append(node)
        elif name == "from_config" and isinstance(node.func, ast.Attribute):
            receiver = node.func.value
            if isinstance(receiver, ast.Call) and _called_name(receiver) == "super":
                continue
            calls.append(node)
    return calls


def _inside_try_with_except(node: ast.AST, parents) -> bool:
    while node in parents:
        parent = parents[node]
        if isinstance(parent, (ast.Try, getattr(ast, "TryStar", ast.Try))) and parent.handlers \
                and node in parent.body:
            return True
        node = parent
    return False


def _reloaded_names(tree: ast.Module, section: Section, calls: list[ast.Call]) -> set[str]:
    """Names bound to a reloaded object: targets of `x = load_model(...)`, and of calls to a
    function of the section that reloads (`y = round_trip(model, ...)`)."""
    call_ids = {id(c) for c in calls}
    reloading_functions = {
        f.name for f in ast.walk(tree)
        if isinstance(f, ast.FunctionDef) and section.holds(f)
        and any(id(n) in call_ids for n in ast.walk(f))
    }
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and section.holds(node) and isinstance(node.value, ast.Call):
            if id(node.value) in call_ids or _called_name(node.value) in reloading_functions:
                names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


def _root(node: ast.AST) -> ast.AST:
    """The object an expression reads from: `f(reloaded).rate` and `reloaded.layers[1]` both
    read from `reloaded` (a helper that digs into the reloaded object counts as reading it)."""
    while True:
        if isinstance(node, (ast.Attribute, ast.Subscript)):
            node = node.value
        elif _is_get_config_call(node):
            node = node.func.value
        elif isinstance(node, ast.Call) and len(node.args) == 1 and not _is_print(node):
            node = node.args[0]
        else:
            return node


def _whole_config(node: ast.AST) -> bool:
    """`x.get_config()`, or it passed whole through one function: `json.dumps(x.get_config())`."""
    if isinstance(node, ast.Call) and not _is_get_config_call(node) and len(node.args) == 1:
        node = node.args[0]
    return _is_get_config_call(node)


def _compares_configs(node: ast.AST) -> bool:
    return (isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], ast.Eq)
            and _whole_config(node.left) and _whole_config(node.comparators[0]))


def _prints_setting(print_call: ast.Call, reloaded: set[str], calls: list[ast.Call]) -> bool:
    callees = {id(n.func) for n in ast.walk(print_call) if isinstance(n, ast.Call)}
    call_ids = {id(c) for c in calls}
    for node in ast.walk(print_call):
        reads = isinstance(node, (ast.Attribute, ast.Subscript)) and id(node) not in callees
        reads = reads or (isinstance(node, ast.Call) and node is not print_call and len(node.args) == 1
                          and not _is_get_config_call(node))
        if reads:
            root = _root(node)
            if (isinstance(root, ast.Name) and root.id in reloaded) or id(root) in call_ids:
                return True
    return False


def config_round_trips(site: config.SiteConfig | None = None) -> list[str]:
    """C1 problems."""
    site = site or config.site()
    problems = []
    for module, sections in included_sections(site).items():
        tree = _tree(site, module)
        parents = _parents(tree)
        for section in sections:
            calls = _reload_calls(tree, section)
            if not calls or any(_inside_try_with_except(c, parents) for c in calls):
                continue
            if any(isinstance(n, ast.ExceptHandler) and section.holds(n) for n in ast.walk(tree)):
                continue
            first = calls[0]
            how = f"{_called_name(first)}( on line {first.lineno}"
            prints = [n for n in ast.walk(tree) if _is_print(n) and section.holds(n)]
            if not any(_compares_configs(n) for p in prints for n in ast.walk(p)):
                problems.append(
                    f"{section.where} reloads with {how} but prints no comparison of whole "
                    "configurations; add print(\"same config:\", reloaded.get_config() == "
                    "original.get_config())"
                )
            reloaded = _reloaded_names(tree, section, calls)
            if not any(_prints_setting(p, reloaded, calls) for p in prints):
                problems.append(
                    f"{section.where} reloads with {how} but prints no setting of the reloaded "
                    "object; print the one it is about (e.g. reloaded.layers[1].rate)"
                )
    return problems


# --- C2: non-default values ------------------------------------------------------------

@dataclass
class Serialized:
    name: str
    params: list[str]                  # positional parameters after self, in order
    defaults: dict[str, ast.expr]      # serialized parameters with a default -> default


def _config_keys(method: ast.FunctionDef) -> set[str]:
    """String keys of the dict get_config builds: dict literals, .update(...) and x["k"] = ..."""
    keys = set()
    for node in ast.walk(method):
        if isinstance(node, ast.Dict):
            keys |= {k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}
        elif isinstance(node, ast.Call) and _called_name(node) in ("update", "dict"):
            keys |= {k.arg for k in node.keywords if k.arg}
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant) \
                        and isinstance(target.slice.value, str):
                    keys.add(target.slice.value)
    return keys


def serialized_classes(tree: ast.Module) -> dict[str, Serialized]:
    classes = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        methods = {f.name: f for f in node.body if isinstance(f, ast.FunctionDef)}
        if "get_config" not in methods or "__init__" not in methods:
            continue
        keys = _config_keys(methods["get_config"])
        args = methods["__init__"].args
        positional = [a.arg for a in args.posonlyargs + args.args][1:]
        defaults = dict(zip(positional[len(positional) - len(args.defaults):], args.defaults)) \
            if args.defaults else {}
        defaults.update({a.arg: d for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None})
        kept = {name: d for name, d in defaults.items() if name in keys}
        if kept:
            classes[node.name] = Serialized(node.name, positional, kept)
    return classes


def _literal(node: ast.expr):
    try:
        return True, ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False, None


def _passed(call: ast.Call, cls: Serialized) -> tuple[dict[str, ast.expr], bool]:
    """(parameter -> argument expression, whether unknown arguments may pass more)."""
    passed, open_ = {}, False
    for index, arg in enumerate(call.args):
        if isinstance(arg, ast.Starred):
            open_ = True
            break
        if index < len(cls.params):
            passed[cls.params[index]] = arg
    for keyword in call.keywords:
        if keyword.arg:
            passed[keyword.arg] = keyword.value
        elif isinstance(keyword.value, ast.Dict) and all(isinstance(k, ast.Constant) for k in keyword.value.keys):
            passed.update({k.value: v for k, v in zip(keyword.value.keys, keyword.value.values)})
        else:
            open_ = True
    return passed, open_


def non_default_values(site: config.SiteConfig | None = None) -> list[str]:
    """C2 problems."""
    site = site or config.site()
    problems = []
    for module, sections in included_sections(site).items():
        tree = _tree(site, module)
        classes = serialized_classes(tree)
        if not classes:
            continue
        calls = sorted((n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
                        and n.func.id in classes), key=lambda n: (n.lineno, n.col_offset))
        for section in sections:
            for call in (c for c in calls if section.holds(c)):
                cls = classes[call.func.id]
                passed, open_ = _passed(call, cls)
                for param, default in cls.defaults.items():
                    shown_default = ast.unparse(default)
                    if param not in passed:
                        if not open_:
                            problems.append(
                                f"{section.where}: {cls.name}(...) on line {call.lineno} does not pass "
                                f"{param} (serialized by get_config, default {shown_default}); pass a "
                                "value other than the default"
                            )
                        continue
                    ok_value, value = _literal(passed[param])
                    ok_default, default_value = _literal(default)
                    if ok_value and ok_default and value == default_value:
                        problems.append(
                            f"{section.where}: {cls.name}(...) on line {call.lineno} passes "
                            f"{param}={ast.unparse(passed[param])}, the default; pass a value other "
                            "than the default"
                        )
    return problems


# --- C3: every tab is exercised --------------------------------------------------------

TAB = re.compile(r'^(?P<indent>\s*)===(?P<flag>[!+]*)\s+"(?P<title>[^"]*)"')


@dataclass
class Tab:
    title: str
    line: int      # page line of `=== "title"`
    last: int      # last page line of its content
    indent: int
    new_group: bool


def tab_groups(path: Path) -> list[list[Tab]]:
    """Groups of consecutive content tabs of a page, markers outside code fences."""
    lines = path.read_text(encoding="utf-8").splitlines()
    tabs = []
    for number, line in page_text.markdown_lines(path):
        m = TAB.match(line)
        if not m:
            continue
        indent = len(m.group("indent").expandtabs(4))
        last = number
        for later in range(number + 1, len(lines) + 1):
            text = lines[later - 1]
            if text.strip() and len(text) - len(text.lstrip()) <= indent:
                break
            if text.strip():
                last = later
        tabs.append(Tab(m.group("title"), number, last, indent, "!" in m.group("flag")))
    groups: list[list[Tab]] = []
    for tab in tabs:
        previous = groups[-1][-1] if groups else None
        between = lines[previous.last:tab.line - 1] if previous else []
        if previous and not tab.new_group and previous.indent == tab.indent and not any(t.strip() for t in between):
            groups[-1].append(tab)
        else:
            groups.append([tab])
    return groups


def _top_level_bindings(tree: ast.Module):
    """(name, end line) of each module-level binding: functions, classes, variables."""
    for statement in tree.body:
        names = []
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names = [statement.name]
        elif isinstance(statement, (ast.Assign, ast.AnnAssign, ast.For, ast.With)):
            targets = statement.targets if isinstance(statement, ast.Assign) else \
                [statement.target] if isinstance(statement, (ast.AnnAssign, ast.For)) else \
                [i.optional_vars for i in statement.items if i.optional_vars]
            names = [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]
        for name in names:
            yield name, statement.end_lineno


def _parse(code: str) -> ast.Module | None:
    try:
        return ast.parse(textwrap.dedent(code))
    except SyntaxError:
        return None  # the page test reports it


def tabs_exercised(site: config.SiteConfig | None = None) -> list[str]:
    """C3 problems, for every page of every language."""
    site = site or config.site()
    problems = []
    for lang in site.languages:
        for path in site.pages(lang):
            groups = tab_groups(path)
            if not groups:
                continue
            shown = expand.display(path, site)
            targets = dict(expand.includes(path.read_text(encoding="utf-8")))
            try:
                found = page_blocks(path, site)
            except (expand.ExpansionError, PageError) as error:
                problems.append(f"tabs not checked: {error}")
                continue
            for group in groups:
                problems += _group_problems(group, found, targets, shown)
    return problems


def _group_problems(group: list[Tab], found, targets: dict[int, str], shown: str) -> list[str]:
    in_tab = [[b for b in found if tab.line < b.line <= tab.last] for tab in group]
    if not any(in_tab):
        return []
    problems = []
    for tab, blocks in zip(group, in_tab):
        if not any(b.expected_output is not None for b in blocks):
            problems.append(
                f"{shown}:{tab.line}: tab \"{tab.title}\" has no Python block followed by its shown "
                "output (<!--pytest-codeblocks:expected-output-->); show what each tab's code prints"
            )
    parsed = [[(b, _parse(b.code)) for b in blocks] for blocks in in_tab]
    # Tabs written for different backends (<!--pytest.mark.backend(...)-->) run in kernels of
    # their own: one cannot overwrite what another defined.
    kernels = [{b.backend for b in blocks} for blocks in in_tab]

    def share_a_kernel(i: int, j: int) -> bool:
        return not (None not in kernels[i] | kernels[j] and kernels[i].isdisjoint(kernels[j]))

    for i, (tab, blocks) in enumerate(zip(group, parsed)):
        defined: dict[str, tuple[int, int, str]] = {}  # name -> (block index, end line, section)
        for index, (block, tree) in enumerate(blocks):
            for name, end in _top_level_bindings(tree) if tree else ():
                defined[name] = (index, end, targets.get(block.line + 1, f"block at line {block.line}"))
        for name, (index, end, where) in sorted(defined.items()):
            later = next((group[j] for j in range(i + 1, len(group)) if share_a_kernel(i, j)
                          and any(name == n for _, t in parsed[j] if t for n, _ in _top_level_bindings(t))), None)
            if later is None:
                continue
            used = any(
                isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id == name
                and (k > index or node.lineno > end)
                for k, (_, tree) in enumerate(blocks) if tree and k >= index
                for node in ast.walk(tree)
            )
            if not used:
                problems.append(
                    f"{shown}:{tab.line}: tab \"{tab.title}\" defines {name} ({where}) and tab "
                    f"\"{later.title}\" (line {later.line}) defines it again, but the first tab never "
                    f"uses it after defining it; use {name} in that tab's own block so its output "
                    "depends on it"
                )
    return problems
