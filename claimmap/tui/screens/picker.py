"""A fuzzy picker modal: codes, articles, filters; optionally creates a new code."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.fuzzy import Matcher
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from claimmap.models import Tag
from claimmap.textprep.matchkey import fold_in_place

CREATE_PREFIX = "\x00create:"
# (value, label) or (value, label, detail): the detail (a code's description) is
# shown dimmed after the label and is not searched.
PickerItem = tuple[str, str] | tuple[str, str, str]
# A description is a reminder in the picker, not the whole text: its first words.
DETAIL_WIDTH = 48


# What the picker ignores when it compares, said under every picker.
FOLDING_HINT = "simplified = traditional · full width = half width · case ignored"


def highlight(matcher: Matcher, label: str) -> Content:
    """``label`` as plain text, the characters the query matched lit.

    ``Matcher.highlight`` reads its candidate as markup: a code named ``[/]`` would
    crash the picker and the ``[m]`` key hint after a code's name would vanish.
    The query is matched against the folded label (``fold_in_place``: one
    character for one), so the offsets it returns light the label as written.
    """
    content = Content(label)
    score, offsets = matcher.fuzzy_search.match(matcher.query, fold_in_place(label))
    if not score:
        return content
    for offset in offsets:
        if not label[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


def one_line(text: str, width: int) -> str:
    """``text`` on one line (any run of whitespace or control becomes a space),
    cut to ``width`` characters with an ellipsis."""
    flat = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def code_items(tags: Sequence[Tag]) -> list[PickerItem]:
    """The code picker's items: the name, the key that applies it, the description."""
    items: list[PickerItem] = []
    for t in tags:
        label = t.name + (f"  [{t.key}]" if t.key else "")
        if t.description:
            items.append((t.name, label, one_line(t.description, DETAIL_WIDTH)))
        else:
            items.append((t.name, label))
    return items


def _prompt(label: str | Content, detail: str) -> Text | Content:
    """The label as plain text (never markup), then the detail dimmed, if any."""
    if isinstance(label, str):
        if not detail:
            return Text(label)
        label = Content(label)
    return label + Content.styled(f"  {detail}", "dim") if detail else label


@dataclass(frozen=True, slots=True)
class Picked:
    """The chosen item's value, or a new name when ``created``."""

    value: str
    created: bool = False


class FuzzyPicker(ModalScreen[Picked | None]):
    """Type to narrow a list; Enter picks the highlighted item."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_none", "Cancel", id="picker.cancel"),
        Binding("down", "cursor(1)", "Down", show=False, id="picker.down"),
        Binding("up", "cursor(-1)", "Up", show=False, id="picker.up"),
    ]

    DEFAULT_CSS = """
    FuzzyPicker { align: center middle; }
    FuzzyPicker > Vertical {
        width: 60; height: auto; max-height: 80%; border: round $accent;
        background: $surface; padding: 0 1;
    }
    FuzzyPicker Static { color: $text-muted; }
    FuzzyPicker OptionList { height: auto; max-height: 20; border: none; }
    """

    def __init__(
        self,
        title: str,
        items: Sequence[PickerItem],
        *,
        allow_create: bool = False,
        hint: str = "",
    ) -> None:
        super().__init__()
        self.title_text = title
        # Every item as (value, label, detail), an empty detail when it has none.
        self.items: list[tuple[str, str, str]] = [
            (item[0], item[1], item[2] if len(item) == 3 else "") for item in items
        ]
        self.allow_create = allow_create
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text)
            yield Input(placeholder="type to search", id="picker-input")
            yield OptionList(id="picker-options")
            yield Static(
                f"{self.hint} · {FOLDING_HINT}" if self.hint else FOLDING_HINT, markup=False
            )

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()

    def _fill(self, query: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        found: list[Option] = []
        if query:
            # Folded like the document search: 歐盟 finds 欧盟, ＡＩ finds AI.
            matcher = Matcher(fold_in_place(query))
            scored = [
                (matcher.match(fold_in_place(label)), value, label, detail)
                for value, label, detail in self.items
            ]
            scored = [s for s in scored if s[0] > 0]
            scored.sort(key=lambda s: -s[0])
            found = [
                Option(_prompt(highlight(matcher, label), detail), id=value)
                for _, value, label, detail in scored
            ]
        else:
            found = [
                Option(_prompt(label, detail), id=value) for value, label, detail in self.items
            ]
        exact = any(label.lower() == query.strip().lower() for _, label, _ in self.items)
        if self.allow_create and query.strip() and not exact:
            found.append(
                Option(
                    Text(f"+ create code “{query.strip()}”", style="bold"),
                    id=CREATE_PREFIX + query.strip(),
                )
            )
        options.add_options(found)
        if found:
            options.highlighted = 0

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            return
        self._pick(options.get_option_at_index(options.highlighted).id or "")

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._pick(event.option.id or "")

    def _pick(self, value: str) -> None:
        if value.startswith(CREATE_PREFIX):
            self.dismiss(Picked(value[len(CREATE_PREFIX) :], created=True))
        else:
            self.dismiss(Picked(value))

    def action_cursor(self, delta: int) -> None:
        options = self.query_one(OptionList)
        if delta > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
