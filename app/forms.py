"""Forms as data: what a form shows, in what order, read from `data/forms/<name>.toml` (issue 18.10).

A form is a list of sections; a section, a list of items drawn in order:

* a field (`path` under the core's name for it, `kind` the widget: text, note, date, number, choice,
  yes_no, check, checklist, or a kind the window registers for itself), with `list` (the reference list
  of a coded field), `required`, `shown_when` (a condition on another field's value), `label` (vi, en)
  when the form's words differ from the core's, and `hint` (vi, en) shown under it;
* `heading` and `hint`: words between the fields (`text`, or the title of a reference `list`, or the
  label of a `path`, or with `code` one option's label);
* `group`: fields drawn together in a frame the window knows by name (`frame = "identity"`);
* `rows`: a repeated part, `path` the core's list ("perpetrators"), `fields` each row's ("perpetrators[].sex"),
  with its words (`row_title`, `add`, `empty`) and `columns`;
* `custom`: a part the window builds itself (`builder`), in its place in the order; `paths` names the
  fields it holds, so they are checked too.

The window draws it (`ui.forms.engine`); the core only reads and checks it: `check_form` says what in a
form names no field of the core's, no reference list, or a condition on nothing. Pure Python, no Qt.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

__all__ = ["FIELD_KINDS", "Condition", "FormItem", "FormSection", "FormSpec", "check_form", "default_forms_root",
           "load_form"]

#: The widgets every form engine draws; a window may register more (a case code, a list of points…).
FIELD_KINDS = frozenset({"text", "note", "date", "number", "choice", "yes_no", "check", "checklist"})
#: Items that are not one field.
OTHER_KINDS = frozenset({"heading", "hint", "group", "rows", "custom"})
#: The words a repeated part needs, each { vi, en }: its row's title ("{n}": the row's number), its add button,
#: what it says while it has no row.
ROWS_WORDS = ("row_title", "add", "empty")
#: Keys an item may have besides its options (anything else is a widget option: `max_width`, `lines`, …).
_ITEM_KEYS = frozenset({"path", "kind", "list", "required", "shown_when", "label", "hint", "text", "code",
                        "builder", "paths", "frame", "fields"})

_EMPTY: Mapping[str, object] = MappingProxyType({})


def default_forms_root() -> Path:
    from app import paths

    return paths.reference_dir() / "forms"


#: Where `load_form` looks when not told (a test may point it at a copy).
FORMS_ROOT: Path | None = None


@dataclass(frozen=True)
class Condition:
    """Shown when the field at `path` holds one of `values`; with `key`, when the option of reference list
    `list` that the field holds has `key` among `values` (the activity kind's group)."""

    path: str
    values: tuple
    list: str | None = None
    key: str | None = None


@dataclass(frozen=True)
class FormItem:
    kind: str
    path: str | None = None
    list: str | None = None
    required: bool = False
    #: Any of these holds: shown (none: always shown).
    shown_when: tuple[Condition, ...] = ()
    label: tuple[str, str] | None = None
    hint: tuple[str, str] | None = None
    text: tuple[str, str] | None = None
    code: str | None = None
    builder: str | None = None
    paths: tuple[str, ...] = ()
    frame: str | None = None
    fields: tuple[FormItem, ...] = ()
    options: Mapping[str, object] = field(default_factory=lambda: _EMPTY)

    def option(self, name: str, default: Any = None) -> Any:
        return self.options.get(name, default)

    def walk(self) -> Iterator[FormItem]:
        yield self
        for inner in self.fields:
            yield from inner.walk()


@dataclass(frozen=True)
class FormSection:
    key: str
    title: tuple[str, str]
    items: tuple[FormItem, ...]

    def title_in(self, lang: str) -> str:
        return self.title[1] if lang == "en" else self.title[0]


@dataclass(frozen=True)
class FormSpec:
    name: str
    sections: tuple[FormSection, ...]
    options: Mapping[str, object] = field(default_factory=lambda: _EMPTY)

    def section(self, key: str) -> FormSection:
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)

    def items(self) -> Iterator[FormItem]:
        for section in self.sections:
            for item in section.items:
                yield from item.walk()

    def paths(self) -> list[str]:
        """Every field path the form holds, custom parts' included, in order."""
        out: list[str] = []
        for item in self.items():
            if item.path and item.kind not in ("heading", "hint", "rows"):
                out.append(item.path)
            out.extend(item.paths)
        return out

    def required_paths(self) -> list[str]:
        return [item.path for item in self.items() if item.required and item.path]


def _words(value, where: str) -> tuple[str, str] | None:
    if value is None:
        return None
    if isinstance(value, Mapping) and isinstance(value.get("vi"), str) and isinstance(value.get("en"), str):
        return value["vi"], value["en"]
    raise ValueError(f"{where}: words are {{ vi = \"…\", en = \"…\" }}")


def _conditions(value, where: str) -> tuple[Condition, ...]:
    if value is None:
        return ()
    if isinstance(value, Mapping):
        value = [value]
    out = []
    for one in value:
        if not isinstance(one, Mapping) or not isinstance(one.get("path"), str) or not isinstance(one.get("in"),
                                                                                                  list):
            raise ValueError(f"{where}: shown_when is {{ path = \"…\", in = [ … ] }} (or a list of them)")
        out.append(Condition(one["path"], tuple(one["in"]), one.get("list"), one.get("key")))
    return tuple(out)


def _item(raw: Mapping, where: str) -> FormItem:
    kind = raw.get("kind")
    if not isinstance(kind, str):
        raise ValueError(f"{where}: an item needs a kind")
    return FormItem(
        kind=kind, path=raw.get("path"), list=raw.get("list"), required=bool(raw.get("required", False)),
        shown_when=_conditions(raw.get("shown_when"), where), label=_words(raw.get("label"), where),
        hint=_words(raw.get("hint"), where), text=_words(raw.get("text"), where), code=raw.get("code"),
        builder=raw.get("builder"), paths=tuple(raw.get("paths", ())), frame=raw.get("frame"),
        fields=tuple(_item(f, f"{where}.fields[{n}]") for n, f in enumerate(raw.get("fields", ()))),
        options=MappingProxyType({k: v for k, v in raw.items() if k not in _ITEM_KEYS}))


def load_form(name: str, root: Path | None = None) -> FormSpec:
    """Read `data/forms/<name>.toml` (or under `root`)."""
    path = (root or FORMS_ROOT or default_forms_root()) / f"{name}.toml"
    with path.open("rb") as handle:
        raw = tomllib.load(handle)
    sections = []
    for n, section in enumerate(raw.get("section", ())):
        where = f"{path.name}: section {n + 1}"
        title = _words(section.get("title"), where)
        if not isinstance(section.get("key"), str) or title is None:
            raise ValueError(f"{where}: a section needs a key and a title")
        items = tuple(_item(item, f"{where} ({section['key']}) item {i + 1}")
                      for i, item in enumerate(section.get("item", ())))
        sections.append(FormSection(section["key"], title, items))
    options = MappingProxyType({k: v for k, v in raw.items() if k != "section"})
    return FormSpec(name, tuple(sections), options)


def check_form(spec: FormSpec, labels: Mapping[str, tuple[str, str]], reference, *,
               kinds: frozenset[str] | None = FIELD_KINDS, builders: frozenset[str] | None = None) -> list[str]:
    """What is wrong with a form: a path the core has no label for, a list not in the reference data, a kind
    no one draws, a condition on a field the form does not hold, a section twice. Empty: all is well.

    `kinds` are the field kinds the window draws (the engine's and its own), `builders` its custom parts
    (either None: not checked; the core does not know what the window registers)."""
    problems: list[str] = []
    keys = [section.key for section in spec.sections]
    problems += [f"section {key!r} appears twice" for key in sorted({k for k in keys if keys.count(k) > 1})]
    paths = spec.paths()
    problems += [f"field {p!r} appears twice" for p in sorted({p for p in paths if paths.count(p) > 1})]
    names = set(reference.names)
    for item in spec.items():
        if item.kind in ("heading", "hint"):
            if item.text is None and item.list is None and item.path is None:
                problems.append(f"a {item.kind} with nothing to say")
        elif item.kind == "group":
            if not item.frame:
                problems.append("a group without its frame")
        elif item.kind == "rows":
            if not item.path or not item.fields:
                problems.append("rows without their path or their fields")
            problems += [f"{item.path}: rows need {name} = {{ vi, en }}" for name in ROWS_WORDS
                         if not (isinstance(item.option(name), Mapping) and item.option(name).get("vi")
                                 and item.option(name).get("en"))]
            problems += [f"{item.path}: {inner.path} is not a field of its rows" for inner in item.fields
                         if not (inner.path or "").startswith(f"{item.path}[].")]
        elif item.kind == "custom":
            if not item.builder:
                problems.append("a custom part without its builder")
            elif builders is not None and item.builder not in builders:
                problems.append(f"no builder {item.builder!r}")
        elif kinds is not None and item.kind not in kinds:
            problems.append(f"{item.path}: no one draws the kind {item.kind!r}")
        elif not item.path:
            problems.append(f"a {item.kind} field without its path")
        for path in ([item.path] if item.path and item.kind != "rows" else []) + list(item.paths):
            if path not in labels:
                problems.append(f"{path}: not a field of the core's")
        if item.list is not None:
            if item.list not in names:
                problems.append(f"{item.path or item.kind}: no reference list {item.list!r}")
            elif item.code is not None and item.code not in reference[item.list]:
                problems.append(f"{item.list}: no code {item.code!r}")
        if item.kind in ("choice", "checklist") and item.list is None:
            problems.append(f"{item.path}: a {item.kind} needs its list")
        for condition in item.shown_when:
            if condition.path not in paths:
                problems.append(f"{item.path}: shown when {condition.path!r}, not a field of this form")
            if condition.list is not None and condition.list not in names:
                problems.append(f"{item.path}: shown when by list {condition.list!r}, not in the reference data")
        if item.required and item.shown_when:
            problems.append(f"{item.path}: required yet sometimes hidden")
    return problems
