"""A passage of article prose over several lines, wrapped by the document view's rules.

Textual and Rich wrap Chinese anywhere: a line may start with ``。`` or ``”`` and
a number may be split.  ``Passage`` wraps with ``textlayout`` instead (UAX #14
with the CJK prohibitions, by ICU, the same as the document view), keeps the
text's styles per visual line, and wraps again when its width changes.
"""

from __future__ import annotations

from dataclasses import replace

from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual, VisualType
from textual.widgets import Static

from claimmap.tui.textlayout import cell_widths, line_breaks, wrap

# Controls other than newline draw as a one-cell blank, as in the document view:
# textlayout counts them one cell wide, and a raw tab or escape would shift the line.
_BLANK_CONTROLS = {cp: " " for cp in (*range(0x20), 0x7F) if cp != 0x0A}
# A window resized back and forth reuses its last few layouts.
_WIDTHS_KEPT = 4


def _plain_lines(content: Content, width: int, widths: bytes, breaks: bytes) -> Content:
    """``content`` cut into its visual lines at ``width`` cells, joined by newlines."""
    text = content.plain
    wrapped = wrap(text, widths, width, breaks)
    lines: list[Content] = []
    for k, (start, end) in enumerate(zip(wrapped.starts, wrapped.ends, strict=True)):
        soft = k + 1 < len(wrapped) and wrapped.starts[k + 1] == end
        # Spaces at a soft break hang past the edge: they are not drawn.
        while soft and end > start and text[end - 1] == " ":
            end -= 1
        lines.append(content[start:end])
    return Content("\n").join(lines)


class WrappedText(Visual):
    """Styled text soft-wrapped at line-break opportunities, laid out once per width."""

    def __init__(self, content: Content) -> None:
        self.source = content
        text = content.plain.translate(_BLANK_CONTROLS)
        # Same length as before: the spans still fall on the same characters.
        self.content = Content(text, list(content.spans), strip_control_codes=False)
        self._widths: bytes | None = None
        self._breaks: bytes | None = None
        self._laid_out: dict[int, Content] = {}

    def lines(self, width: int) -> Content:
        """The text at ``width`` cells: one line of the result per visual line."""
        laid = self._laid_out.get(width)
        if laid is None:
            if self._widths is None or self._breaks is None:
                plain = self.content.plain
                self._widths, self._breaks = cell_widths(plain), line_breaks(plain)
            laid = _plain_lines(self.content, width, self._widths, self._breaks)
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
        return self.content.get_optimal_width(rules, container_width)

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

    def render(self) -> Visual:
        visual = self.visual
        if not isinstance(visual, Content):
            return visual
        # A new WrappedText only after ``update``: a resize keeps it and its layouts.
        if self._wrapped is None or self._wrapped.source is not visual:
            self._wrapped = WrappedText(visual)
        return self._wrapped
