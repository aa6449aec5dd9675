"""One form engine: draws a form described in `data/forms/` (read by `app.forms`) with the form widgets.

    engine = FormEngine(load_form("case"), lang=form.lang, reference=session.reference, labels=LABELS,
                        widgets={...}, builders={...}, frames={...})
    engine.build_section(form, "intake", section.body)   # the section's items, in order
    engine.connect_conditions(form)                      # once every field is there: `shown_when`, live
    engine.shown("duplicate_of")                         # False while its condition does not hold

The host form keeps its fields as `boxes` ({path: FieldBox}) and has `register(path, box)`; the engine
adds each field there under the core's path, labelled from the core's labels (or the form's own words),
so the form collects, fills and shows the core's errors as before. A field marked `required` carries a
visible mark after its label (the label's words stay the field's accessible name) and says so in its
accessible description. A field with `shown_when` is hidden while none of its conditions holds; the host
saves it empty then (`shown(path)`), as the core would keep nothing there anyway.

A `rows` item is a repeated part (`RowList`, registered with `host.register_rows`), its rows' fields drawn
from the data like any other. What the data cannot say is registered by the host: `widgets` (a kind → a factory of its input,
`(form, item) -> widget | (widget, extra) | None`, None leaving the field out), `builders` (a custom part,
`(form, context)`, with `context.body` the section's column and `context.layout()` the form layout being
filled) and `frames` (a group's frame, `(form, context, [(path, widget), …])`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
import weakref
from dataclasses import dataclass, field
from typing import Any, cast

from app.forms import FIELD_KINDS, ROWS_WORDS, Condition, FormItem, FormSpec
from ui import style, text_size
from ui.cases.form_widgets import (CheckField, Checklist, DateField, FieldBox, FormField, NoteField, NumberField,
                                   RowList, TextField, YesNoCombo, code_combo, field_label)
from ui.i18n import translate
from ui.qt import QFormLayout, QHBoxLayout, QLabel, Qt, QVBoxLayout, QWidget
from ui.widgets import a11y

LABEL_WIDTH = 230
# After the label of a field the form cannot be saved without (a label of its own: the field's label keeps
# its words, which are the field's name for a screen reader and the core's name for it).
REQUIRED_MARK = "*"

WidgetFactory = Callable[..., object]
Builder = Callable[..., object]


def new_form_layout() -> QFormLayout:
    layout = QFormLayout()
    layout.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    layout.setFormAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
    layout.setHorizontalSpacing(16)
    layout.setVerticalSpacing(8)
    return layout


def sub_heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("subHeading")
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    label.setContentsMargins(0, 6, 0, 0)
    return label


def hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("fieldHint")
    label.setProperty("fieldHint", True)  # its colour: FORM_STYLE
    label.setWordWrap(True)
    return label


def required_text() -> str:
    return translate("FormEngine", "Bắt buộc.")


def with_required_mark(title: QLabel) -> QWidget:
    """A field's label with the required mark after it, in the label column."""
    holder = QWidget()
    holder.setObjectName("requiredLabel")
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(3)
    mark = QLabel(REQUIRED_MARK)
    mark.setObjectName("requiredMark")
    mark.setStyleSheet(f"color: {style.ERROR}; font-weight: bold;")
    mark.setToolTip(required_text())
    mark.setAccessibleName(required_text())
    title.setToolTip(required_text())
    row.addWidget(title, 1, Qt.AlignmentFlag.AlignTop)
    row.addWidget(mark, 0, Qt.AlignmentFlag.AlignTop)
    return holder


@dataclass
class BuildContext:
    """Where a section's items go: `body` (its column) and, for fields, the form layout being filled."""

    body: QVBoxLayout
    new_layout: Callable[[], QFormLayout]
    _layout: QFormLayout | None = None
    used_layout: bool = False

    def layout(self) -> QFormLayout:
        """The form layout rows go in now (a new one, put in the column, when none is open)."""
        self.used_layout = True
        if self._layout is None:
            self._layout = self.new_layout()
            self.body.addLayout(self._layout)
        return self._layout

    def close(self) -> None:
        """What comes next goes under the rows so far."""
        self._layout = None


@dataclass
class _Shown:
    item: FormItem
    box: FieldBox
    layout: QFormLayout | None


@dataclass
class FormEngine:
    spec: FormSpec
    lang: str
    reference: Any
    labels: Mapping[str, tuple[str, str]]
    widgets: Mapping[str, WidgetFactory] = field(default_factory=dict)
    builders: Mapping[str, Builder] = field(default_factory=dict)
    frames: Mapping[str, Builder] = field(default_factory=dict)
    # (layout, label, box): puts a labelled row in a form layout (the default: labels one width).
    place_row: Callable[[QFormLayout, QWidget, QWidget], None] | None = None
    new_layout: Callable[[], QFormLayout] = new_form_layout
    label_width: int = LABEL_WIDTH
    _conditional: dict[str, _Shown] = field(default_factory=dict)
    # The form being drawn, weakly (the form holds the engine; the engine never keeps the form alive).
    _host_ref: Any = None

    def _host(self):
        return self._host_ref() if self._host_ref is not None else None

    def _attach(self, host) -> None:
        self._host_ref = weakref.ref(host)

    # --- words ----------------------------------------------------------------------------------------------
    def _pick(self, words: tuple[str, str]) -> str:
        return words[1] if self.lang == "en" else words[0]

    def label(self, item: FormItem) -> str:
        if item.label is not None:
            return self._pick(item.label)
        return self._pick(self.labels[item.path or ""])

    def words(self, item: FormItem) -> str:
        """What a heading or a hint says: its text, an option's label, a list's title or a field's label."""
        ref = self.reference
        if item.text is not None:
            return self._pick(item.text)
        if item.list is not None and item.code is not None:
            return ref[item.list].label(item.code, self.lang)
        if item.list is not None:
            return ref[item.list].title(self.lang)
        return self.label(item)

    # --- widgets --------------------------------------------------------------------------------------------
    def make_widget(self, host, item: FormItem) -> tuple[QWidget, QWidget | None] | None:
        """The input for one field and what goes under it (None: the field is not on this form)."""
        made: object
        if item.kind in self.widgets:
            made = self.widgets[item.kind](host, item)
            if made is None:
                return None
        elif item.kind == "text":
            made = TextField(max_width=item.option("max_width"))
        elif item.kind == "note":
            made = NoteField(lines=item.option("lines", 4))
        elif item.kind == "date":
            made = DateField()
        elif item.kind == "number":
            made = NumberField()
        elif item.kind == "choice":
            made = code_combo(self.reference[item.list], self.lang,
                              with_definitions=bool(item.option("definitions", False)))
        elif item.kind == "yes_no":
            made = YesNoCombo()
        elif item.kind == "check":
            made = CheckField(self._pick(item.text) if item.text is not None else "")
        elif item.kind == "checklist":
            made = Checklist(self.reference[item.list], self.lang,
                             letter_key=item.option("letter_key"), columns=item.option("columns", 1))
        else:
            raise ValueError(f"{item.path}: no one draws the kind {item.kind!r}")
        widget, extra = cast(tuple[QWidget, QWidget | None], made if isinstance(made, tuple) else (made, None))
        if item.hint is not None:
            words = hint(self._pick(item.hint))
            if extra is None:
                extra = words
            else:
                holder = QWidget()
                column = QVBoxLayout(holder)
                column.setContentsMargins(0, 0, 0, 0)
                column.addWidget(extra)
                column.addWidget(words)
                extra = holder
        if self.spec.options.get("object_names") and item.path:
            widget.setObjectName(item.path.replace(".", "_").replace("[]", ""))
        return widget, extra

    def kinds(self) -> frozenset[str]:
        """Every field kind this engine draws (for `app.forms.check_form`)."""
        return FIELD_KINDS | frozenset(self.widgets)

    # --- building -------------------------------------------------------------------------------------------
    def build_section(self, host, key: str, body: QVBoxLayout) -> BuildContext:
        """Draw section `key`'s items into `body`, registering each field with `host`."""
        self._attach(host)
        context = BuildContext(body, self.new_layout)
        for item in self.spec.section(key).items:
            self._build_item(host, item, context)
        for item in self.spec.section(key).items:
            target = item.option("clears")
            if target and item.path in host.boxes and target in host.boxes:
                host.boxes[item.path].field.edited.connect(
                    lambda box=host.boxes[target]: box.field.set_value(None))
        return context

    def _build_item(self, host, item: FormItem, context: BuildContext) -> None:
        if item.kind == "heading":
            context.close()
            context.body.addWidget(sub_heading(self.words(item)))
        elif item.kind == "hint":
            context.close()
            context.body.addWidget(hint(self.words(item)))
        elif item.kind == "custom":
            context.close()
            context.used_layout = False
            self.builders[item.builder or ""](host, context)
            if not context.used_layout:
                context.close()
        elif item.kind == "rows":
            context.close()
            self._build_rows(host, item, context)
        elif item.kind == "group":
            context.close()
            made = [(inner.path, self.make_widget(host, inner)) for inner in item.fields]
            self.frames[item.frame or ""](host, context, [(path, pair[0]) for path, pair in made if pair])
        else:
            self._build_field(host, item, context)

    def _build_rows(self, host, item: FormItem, context: BuildContext) -> RowList:
        """A repeated part: a card for each row, its fields as the data gives them, under the core's list name."""
        host_ref = weakref.ref(host)  # the rows make their fields later; they never keep the form alive

        def make_fields() -> list[tuple]:
            fields: list[tuple] = []
            for inner in item.fields:
                made = self.make_widget(host_ref(), inner)
                if made is None:
                    continue
                widget = made[0]
                if inner.option("default") is not None:
                    widget.set_value(inner.option("default"))  # type: ignore[attr-defined]
                key = (inner.path or "").split("[].", 1)[1]
                fields.append((key, self.label(inner), widget, *(("wide",) if inner.option("wide") else ())))
            return fields

        title, add, empty = (self._pick((item.option(n)["vi"], item.option(n)["en"])) for n in ROWS_WORDS)
        rows = RowList(item.path or "", make_fields, row_title=lambda n: title.format(n=n), add_text=add,
                       remove_text=translate("FormEngine", "Xóa dòng này"), empty_text=empty,
                       columns=item.option("columns", 2))
        host.register_rows(rows)
        context.body.addWidget(rows)
        return rows

    def _build_field(self, host, item: FormItem, context: BuildContext) -> FieldBox | None:
        made = self.make_widget(host, item)
        if made is None:
            return None
        widget, extra = made
        box = FieldBox(cast(FormField, widget), extra=extra)
        text = self.label(item)
        layout: QFormLayout | None = None
        caption = item.option("caption", "row") if isinstance(widget, Checklist) else "row"
        if caption != "row":
            context.close()
            if caption == "plain":
                context.body.addWidget(QLabel(text))
            elif caption == "heading":
                context.body.addWidget(sub_heading(text))
            context.body.addWidget(box)
        elif isinstance(widget, CheckField):
            widget.setText(text)
            layout = context.layout()
            layout.addRow(box)
        else:
            layout = context.layout()
            title = field_label(text, widget)
            shown: QWidget = with_required_mark(title) if item.required else title
            if self.place_row is not None:
                self.place_row(layout, shown, box)
            else:
                shown.setFixedWidth(text_size.scaled(self.label_width))  # the labels grow with the text size
                layout.addRow(shown, box)
        if item.required:
            self.mark_required(box, text)
        host.register(item.path, box)
        if item.shown_when and item.path:
            self._conditional[item.path] = _Shown(item, box, layout)
        return box

    @staticmethod
    def mark_required(box: FieldBox, name: str) -> None:
        """The visible mark is after the label; the name stays the label's words, the description says it."""
        for target in box.focus_targets():
            if not target.accessibleName():
                target.setAccessibleName(name)
            before = target.property("a11yHint") or ""
            a11y.describe(target, f"{before} {required_text()}".strip())

    # --- shown when -----------------------------------------------------------------------------------------
    def _holds(self, condition: Condition) -> bool:
        boxes = getattr(self._host(), "boxes", {})
        box = boxes.get(condition.path)
        if box is None:
            return False
        value = box.field.value()
        if condition.list is not None and condition.key is not None:
            option = self.reference[condition.list].get(value) if value else None
            value = option.get(condition.key) if option is not None else None
        return value in condition.values

    def shown(self, path: str) -> bool:
        """Whether the field at `path` is on the form now (a field without `shown_when` always is)."""
        entry = self._conditional.get(path)
        if entry is None:
            return True
        if entry.item.option("shown_if_filled") and entry.box.field.value():
            return True
        return any(self._holds(condition) for condition in entry.item.shown_when)

    def connect_conditions(self, host) -> None:
        """Once every field is built: follow each controlling field, and show or hide the fields now."""
        self._attach(host)
        controlling = {c.path for entry in self._conditional.values() for c in entry.item.shown_when}
        for path in controlling:
            box = host.boxes.get(path)
            if box is None:
                continue
            for name in ("currentIndexChanged", "toggled", "textChanged"):
                signal = getattr(box.field, name, None)
                if signal is not None:
                    signal.connect(self.update_visibility)
                    break
        self.update_visibility()

    def update_visibility(self, *_args) -> None:
        for path, entry in self._conditional.items():
            flag = self.shown(path)
            if entry.layout is not None:
                entry.layout.setRowVisible(entry.box, flag)
            else:
                entry.box.setVisible(flag)


__all__ = ["BuildContext", "FormEngine", "LABEL_WIDTH", "REQUIRED_MARK", "hint", "new_form_layout", "required_text",
           "sub_heading"]
