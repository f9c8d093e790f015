"""A passage of article prose over several lines, wrapped by the document view's rules.

Textual and Rich wrap Chinese anywhere: a line may start with ``。`` or ``”`` and
a number may be split.  ``Passage`` wraps with ``textlayout`` instead (UAX #14
with the CJK prohibitions, by ICU, the same as the document view), keeps the
text's styles per visual line, and wraps again when its width changes.
"""

from __future__ import annotations

from dataclasses import replace

from rich.cells import cell_len
from rich.text import Text
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual, VisualType
from textual.widgets import Static

from claimmap.tui.textlayout import cell_widths, line_breaks, styled_lines

# Controls other than newline draw as a one-cell blank, as in the document view:
# textlayout counts them one cell wide, and a raw tab or escape would shift the line.
_BLANK_CONTROLS = {cp: " " for cp in (*range(0x20), 0x7F) if cp != 0x0A}
# A window resized back and forth reuses its last few layouts.
_WIDTHS_KEPT = 4


class WrappedText(Visual):
    """Styled text soft-wrapped at its line-break opportunities, laid out once per width."""

    def __init__(self, text: Text) -> None:
        # Same length as before: the spans still fall on the same characters.
        self.text = Text(
            text.plain.translate(_BLANK_CONTROLS), style=text.style, spans=list(text.spans)
        )
        self._widths: bytes | None = None
        self._breaks: bytes | None = None
        self._laid_out: dict[int, Content] = {}

    def lines(self, width: int) -> Content:
        """The text at ``width`` cells: one line of the result per visual line."""
        laid = self._laid_out.get(width)
        if laid is None:
            if self._widths is None or self._breaks is None:
                plain = self.text.plain
                self._widths, self._breaks = cell_widths(plain), line_breaks(plain)
            lines = styled_lines(self.text, width, self._widths, self._breaks)
            laid = Content.from_rich_text(Text("\n").join(lines))
            if len(self._laid_out) >= _WIDTHS_KEPT:
                self._laid_out.pop(next(iter(self._laid_out)))
            self._laid_out[width] = laid
        return laid

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        if width <= 0:
            return []
        # The lines are cut already: Textual must not wrap them again.  A cluster
        # wider than the whole line (an emoji at width 1) is cropped, not folded.
        rules: RulesMap = {
            "text_wrap": "nowrap",
            "text_overflow": "clip",
            "text_align": options.rules.get("text_align", "left"),
        }
        return self.lines(width).render_strips(width, height, style, replace(options, rules=rules))

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return max(map(cell_len, self.text.plain.split("\n")))

    def get_height(self, rules: RulesMap, width: int) -> int:
        if width <= 0:
            return 0
        return len(self.lines(width).plain.split("\n"))


class Passage(Static):
    """A ``Static`` for prose: ``update`` it with a ``rich.text.Text`` (never markup)."""

    DEFAULT_CSS = """
    Passage { height: auto; }
    """

    def __init__(
        self,
        content: VisualType = "",
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        # markup=False: a str given here is shown as it is, brackets and all.
        super().__init__(content, markup=False, name=name, id=id, classes=classes)
        self._wrapped: WrappedText | None = None
        self._wrapped_source: object = None

    def render(self) -> Visual:
        content = self.content
        if not isinstance(content, (str, Text)):
            return self.visual
        # A new WrappedText only after ``update``: a resize keeps it and its layouts.
        if self._wrapped is None or self._wrapped_source is not content:
            self._wrapped = WrappedText(Text(content) if isinstance(content, str) else content)
            self._wrapped_source = content
        return self._wrapped
