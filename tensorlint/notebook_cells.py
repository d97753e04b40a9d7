"""One notebook cell as IPython runs it: its special syntax turned into plain Python.

IPython (`IPython/core/inputtransformer2.py`) cleans a cell up, then rewrites its special syntax
one piece at a time, found with Python's tokenizer:

- the common leading indent of the cell is removed (`textwrap.dedent`), and pasted `>>> ` or
  `In [1]: ` prompts are stripped;
- a cell whose first line starts with `%%` is a cell magic: its body is handed to the magic as
  a string. `%%time`, `%%timeit`, `%%capture`, `%%prun`, `%%debug` run that body as Python in
  the notebook; the others (`%%bash`, `%%writefile`, `%%html`, ...) do not;
- on a *logical* line (brackets and backslashes join physical lines), a first token among
  `% ! !! ? ?? , ; /` makes the line a magic, shell command, help request or autocall;
  `name = %magic` and `name = !cmd` assign a magic's or a command's output; a logical line
  ending with `?` or `??` asks for help. A `%` that continues a bracketed expression is the
  formatting operator and stays.

Each rewrite here keeps the cell's number of lines (a magic continued with backslashes becomes
one line and blank lines), so a position in the Python text is the same line of the cell; the
columns removed at the start of each line (dedent, prompts) are kept to map columns back.
"""
from __future__ import annotations

import ast
import io
import re
import tokenize
import warnings
from dataclasses import dataclass

# cell magics whose body is Python run in the notebook's namespace
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug"})

ESCAPES = {"!", "?", "%", ",", ";", "/"}
_PROMPTS = (
    # the classic prompt; `...` alone only continues one (it is also the Ellipsis literal)
    (re.compile(r"^>>>( |$)"), re.compile(r"^(>>>|\.\.\.)( |$)")),
    (re.compile(r"^((\[nav\]|\[ins\])? )?In \[\d+\]: |^\s*\.{3,}: ?"),) * 2,
)
# IPython's line magics and the shell aliases it defines (POSIX), and those ipykernel adds:
# with automagic (on by default), a one-line cell `ls ./data` or `pip install x` runs them
AUTOMAGIC = frozenset("""
    alias alias_magic autoawait autocall automagic bookmark cd code_wrap colors conda config debug dhist
    dirs doctest_mode edit env gui history killbgscripts load load_ext loadpy logoff logon logstart
    logstate logstop lsmagic macro magic mamba matplotlib micromamba notebook page pastebin pdb pdef pdoc
    pfile pinfo pinfo2 pip popd pprint precision prun psearch psource pushd pwd pycat pylab quickref
    recall rehashx reload_ext rerun reset reset_selective run save sc set_env sx system tb time timeit
    unalias unload_ext uv who who_ls whos xdel xmode
    cat clear cp less ldir lf lk ll ls lx man mkdir more mv rm rmdir autosave connect_info qtconsole
""".split())
_AUTOMAGIC_LINE = re.compile(r"^(\s*)([A-Za-z_]\w*)(?:\s+(.*))?$")
_HELP_END = re.compile(r"(%{0,2}(?!\d)[\w*]+(\.(?!\d)[\w*]+|\[-?[0-9]+\])*)(\?\??)$")
_TRANSFORM_LIMIT = 500


@dataclass(frozen=True)
class CellCode:
    """A cell's Python text: as many lines as the cell (each ending with a newline)."""

    text: str
    offsets: tuple[int, ...]  # per line (index 0: line 1), columns removed at its start
    rewritten: frozenset[int]  # lines (1-based) whose text is not the cell's own any more
    python: bool = True  # False: a cell magic whose body is not Python
    magic: str | None = None  # the cell magic's name
    refused: tuple[int, str] | None = None  # (line, message): IPython itself rejects the cell

    def column(self, line: int, column: int) -> int:
        """A column of the Python text's line `line` as a column of the cell's line."""
        if 0 < line <= len(self.offsets):
            return column + self.offsets[line - 1]
        return column


def split_lines(source: str) -> list[str]:
    """The cell's lines, each ending with "\\n" (the last one gets it if it lacks it)."""
    if not source:
        return []
    lines = source.split("\n")
    if lines[-1] == "":
        lines.pop()
    return [line + "\n" for line in lines]


def transform(source: str) -> CellCode:
    """The cell as IPython runs it. IPython 9 removes the indent all lines share; IPython 7 and 8
    remove the first line's indent from each line that starts with it: a cell valid under
    either rule is read under it (the notebook may have been written for either)."""
    code = _transform(source, _dedent)
    if syntax_error(code) is None:
        return code
    other = _transform(source, _strip_first_indent)
    return other if syntax_error(other) is None else code


def syntax_error(code: CellCode) -> tuple[int, int, str] | None:
    """Where and why Python, compiling the cell as IPython does (top-level `await` allowed),
    refuses it: (line, column, message); None when it accepts it."""
    if code.refused is not None:
        return code.refused[0], 0, code.refused[1]
    if not code.python:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(code.text, "<cell>", "exec", ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)
    except SyntaxError as err:
        line = min(max(1, err.lineno or 1), max(1, code.text.count("\n")))
        return line, max(0, (err.offset or 1) - 1), err.msg
    except (ValueError, RecursionError, MemoryError):
        return 1, 0, "the cell nests too deeply to be parsed"
    return None


def _transform(source: str, dedent) -> CellCode:
    lines = split_lines(source)
    offsets = [0] * len(lines)
    dedent(lines, offsets)
    _strip_prompts(lines, offsets)
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and lines[first].startswith("%%"):
        name = lines[first][2:].strip().split(" ")[0].split("\t")[0]
        if not name.endswith("?") and name in PYTHON_CELL_MAGICS:
            lines[first] = "\n"  # the body stays: it is the Python the magic runs
            offsets[first] = 0
            code = _automagic(_rewrite_special(lines, offsets))
            return CellCode(code.text, code.offsets, code.rewritten | {first + 1}, True, name, code.refused)
        # the body is the magic's input, or `%%name?` asks for help: nothing of it is Python
        return CellCode("\n" * len(lines), (0,) * len(lines), frozenset(range(1, len(lines) + 1)), False, name.rstrip("?"))
    return _automagic(_rewrite_special(lines, offsets))


def _automagic(code: CellCode) -> CellCode:
    """IPython's automagic, which it applies to a cell of one line only: `ls -la`, `pip install x`.
    Applied here only to a line that is not Python anyway (IPython would not apply it either
    where a variable of that name exists, which only running the notebook can tell)."""
    lines = code.text.split("\n")[:-1]
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or first != len(lines) - 1 or code.refused or first + 1 in code.rewritten:
        return code
    m = _AUTOMAGIC_LINE.match(lines[first])
    if m is None or m.group(2) not in AUTOMAGIC or (m.group(3) or "")[:1] in ("=", ","):
        return code
    try:
        compile(lines[first].strip(), "<cell>", "exec", dont_inherit=True)
        return code  # Python as it stands
    except (SyntaxError, ValueError):
        pass
    lines[first] = m.group(1) + _magic_call(lines[first].strip())
    return CellCode("\n".join(lines) + "\n", code.offsets, code.rewritten | {first + 1})


def _dedent(lines: list[str], offsets: list[int]) -> None:
    margin = None
    for line in lines:
        body = line.rstrip("\n")
        if not body.strip():
            continue
        indent = body[: len(body) - len(body.lstrip(" \t"))]
        if margin is None:
            margin = indent
        else:  # the longest common prefix (textwrap.dedent's rule)
            n = 0
            while n < min(len(margin), len(indent)) and margin[n] == indent[n]:
                n += 1
            margin = margin[:n]
        if not margin:
            return
    if not margin:
        return
    for i, line in enumerate(lines):
        if line.startswith(margin):
            lines[i] = line[len(margin):]
            offsets[i] += len(margin)
        elif not line.strip():
            lines[i] = "\n"  # whitespace-only lines are emptied, as dedent does


def _strip_first_indent(lines: list[str], offsets: list[int]) -> None:
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return
    body = lines[first]
    space = body[: len(body) - len(body.lstrip(" \t"))]
    if not space:
        return
    for i in range(first, len(lines)):
        if lines[i].startswith(space):
            lines[i] = lines[i][len(space):]
            offsets[i] += len(space)


def _strip_prompts(lines: list[str], offsets: list[int]) -> None:
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None:
        return
    for initial, prompt in _PROMPTS:
        if initial.match(lines[start]) or (start + 1 < len(lines) and prompt.match(lines[start + 1])):
            for i in range(start, len(lines)):
                m = prompt.match(lines[i])
                if m:
                    lines[i] = lines[i][m.end():]
                    offsets[i] += m.end()
            return


# -- token-level rewriting -----------------------------------------------------------------


def _logical_lines(lines: list[str]) -> list[list[tokenize.TokenInfo]]:
    """Tokens grouped by logical line; tokenizing stops quietly where the cell stops being
    Python (an unterminated string, a bad indent): what comes before is still looked at."""
    groups: list[list[tokenize.TokenInfo]] = [[]]
    depth = 0
    try:
        for tok in tokenize.generate_tokens(io.StringIO("".join(lines)).readline):
            groups[-1].append(tok)
            if tok.type == tokenize.NEWLINE or (tok.type == tokenize.NL and depth <= 0):
                groups.append([])
            elif tok.string in "([{" and tok.type == tokenize.OP:
                depth += 1
            elif tok.string in ")]}" and tok.type == tokenize.OP and depth > 0:
                depth -= 1
    except (tokenize.TokenError, SyntaxError):  # IndentationError too
        pass
    return [g for g in groups if g]


def _significant(group: list[tokenize.TokenInfo]) -> list[tokenize.TokenInfo]:
    """The tokens of a logical line without indents and the blanks the tokenizer reports as errors."""
    return [t for t in group if t.type not in (tokenize.INDENT, tokenize.DEDENT) and not (
        t.type == tokenize.ERRORTOKEN and t.string.isspace())]


def _assign_index(tokens: list[tokenize.TokenInfo]) -> int | None:
    depth = 0
    for i, t in enumerate(tokens):
        if t.string == "=" and depth == 0:
            return i
        if t.string in ("(", "[", "{"):
            depth += 1
        elif t.string in (")", "]", "}") and depth > 0:
            depth -= 1
    return None


@dataclass(frozen=True)
class _Special:
    line: int  # 0-based physical line where it starts
    column: int
    priority: int
    kind: str  # "assign-magic", "assign-system", "escape", "help"
    last_line: int = -1  # help: the line holding the final `?`


def _find(lines: list[str]) -> _Special | None:
    found: list[_Special] = []
    for group in _logical_lines(lines):
        tokens = _significant(group)
        if not tokens:
            continue
        a = _assign_index(tokens)
        if a is not None and a + 1 < len(tokens) and not tokens[a].line.strip().startswith("="):
            nxt = tokens[a + 1]
            if nxt.string == "%" and a + 2 < len(tokens) and tokens[a + 2].type == tokenize.NAME:
                found.append(_Special(nxt.start[0] - 1, nxt.start[1], 10, "assign-magic"))
            elif nxt.string == "!":
                found.append(_Special(nxt.start[0] - 1, nxt.start[1], 10, "assign-system"))
        if tokens[0].string in ESCAPES:
            found.append(_Special(tokens[0].start[0] - 1, tokens[0].start[1], 10, "escape"))
        if len(tokens) > 2 and tokens[-2].string == "?":  # `?` right before the line's end
            found.append(_Special(tokens[0].start[0] - 1, tokens[0].start[1], 5, "help", tokens[-2].start[0] - 1))
    if not found:
        return None
    return min(found, key=lambda s: (s.line, s.column, s.priority))


def _continued_end(lines: list[str], start: int) -> int:
    end = start
    while end < len(lines) - 1 and lines[end].endswith("\\\n"):
        end += 1
    return end


def _joined(lines: list[str], line: int, column: int, end: int) -> str:
    parts = [lines[line][column:]] + lines[line + 1: end + 1]
    return " ".join([p.rstrip()[:-1] for p in parts[:-1]] + [parts[-1].rstrip()])


def _magic_call(content: str) -> str:
    name, _, args = content.partition(" ")
    return f"get_ipython().run_line_magic({name!r}, {args!r})"


def _help_call(target: str, escape: str) -> str:
    method = "pinfo2" if escape == "??" else "psearch" if "*" in target else "pinfo"
    return _magic_call(f"{method} {target}")


def _escaped_call(line: str) -> str:
    escape, content = (line[:2], line[2:]) if line[:2] in ("!!", "??") else (line[:1], line[1:])
    name, _, args = content.partition(" ")
    if escape == "!":
        return f"get_ipython().system({content!r})"
    if escape == "!!":
        return f"get_ipython().getoutput({content!r})"
    if escape in ("?", "??"):
        return _help_call(content, escape) if content else "get_ipython().show_usage()"
    if escape == "%":
        return _magic_call(content)
    if escape == ",":
        return "{}({})".format(name, ", ".join(repr(a) for a in args.split()))
    if escape == ";":
        return f"{name}({args!r})"
    # "/": call the name with the rest of the line as its arguments
    return f"{name}({', '.join(args.split())})" if name else "None"


def _rewrite_special(lines: list[str], offsets: list[int]) -> CellCode:
    rewritten: set[int] = set()
    for _ in range(_TRANSFORM_LIMIT):
        special = _find(lines)
        if special is None:
            break
        start, col = special.line, special.column
        head = lines[start][:col]
        if special.kind == "help":
            end = special.last_line
            content = "".join(lines[start:end + 1])[col:].rstrip()
            m = _HELP_END.search(content)
            if m is None:  # IPython refuses a help request it cannot read
                return CellCode("".join(lines), tuple(offsets), frozenset(rewritten), refused=(start + 1, "invalid syntax (a help request `?` after something that is not a name)"))
            new = head + _help_call(m.group(1), m.group(3))
        else:
            end = _continued_end(lines, start)
            rest = _joined(lines, start, col, end)
            if special.kind == "assign-magic":
                new = head + _magic_call(rest[1:])
            elif special.kind == "assign-system":
                new = head + f"get_ipython().getoutput({rest[1:]!r})"
            else:
                new = head + _escaped_call(rest)
        lines[start] = new + "\n"
        for i in range(start + 1, end + 1):
            lines[i] = "\n"
        for i in range(start, end + 1):
            rewritten.add(i + 1)
    return CellCode("".join(lines), tuple(offsets), frozenset(rewritten))
