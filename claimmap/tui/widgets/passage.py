"""A passage of article prose over several lines, wrapped by the document view's rules.

Textual and Rich wrap Chinese anywhere: a line may start with ``。`` or ``”`` and
a number may be split.  ``Passage`` wraps with ``textlayout`` instead (UAX #14
with the CJK prohibitions, by ICU, the same as the document view), keeps the
text's styles per visual line, and wraps again when its width changes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from rich.cells import cell_len
from textual.content import Content
from textual.css.styles import RulesMap
from textual.geometry import Offset
from textual.selection import Selection
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual, VisualType
from textual.widgets import Static

from claimmap.textprep.line_breaking import line_breaks
from claimmap.tui.textlayout import cell_widths, display_text, styled_lines, wrap

# A window resized back and forth reuses its last few layouts.
_WIDTHS_KEPT = 4


@dataclass(frozen=True, slots=True)
class Layout:
    """The text at one width: what is drawn, and where each drawn line starts
    and ends in the text (soft breaks drop the spaces hanging there)."""

    content: Content
    starts: list[int]
    ends: list[int]


class WrappedText(Visual):
    """Styled text soft-wrapped at its line-break opportunities, laid out once per width."""

    def __init__(self, content: Content) -> None:
        self.source = content
        self.plain = content.plain
        # Controls draw as a one-cell blank, as in the document view (textlayout
        # counts them one cell wide; a raw tab or escape would shift the line).  Same
        # length as before: the spans still fall on the same characters.
        self.content = Content(
            display_text(self.plain), list(content.spans), strip_control_codes=False
        )
        self._widths: bytes | None = None
        self._breaks: bytes | None = None
        self._layouts: dict[int, Layout] = {}

    def layout(self, width: int) -> Layout:
        """The text at ``width`` cells, computed once per width."""
        laid = self._layouts.get(width)
        if laid is None:
            plain = self.content.plain
            if self._widths is None or self._breaks is None:
                self._widths, self._breaks = cell_widths(plain), line_breaks(plain)
            wrapped = wrap(plain, self._widths, width, self._breaks)
            lines = styled_lines(self.content, wrapped)
            ends = [s + len(line.plain) for s, line in zip(wrapped.starts, lines, strict=True)]
            laid = Layout(Content("\n").join(lines), wrapped.starts, ends)
            if len(self._layouts) >= _WIDTHS_KEPT:
                self._layouts.pop(next(iter(self._layouts)))
            self._layouts[width] = laid
        return laid

    def selected(self, width: int, selection: Selection) -> str:
        """The text under ``selection`` (drawn lines and columns at ``width``) as it
        is in the passage: a soft break copies as nothing, not as a newline."""
        laid = self.layout(width)

        def offset(at: Offset | None, default: int) -> int:
            if at is None:
                return default
            y = max(0, min(at.y, len(laid.starts) - 1))
            return min(laid.starts[y] + at.x, laid.ends[y])

        return self.plain[offset(selection.start, 0) : offset(selection.end, len(self.plain))]

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
        content = self.layout(width).content
        return content.render_strips(width, height, style, replace(options, rules=rules))

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return max(map(cell_len, self.plain.split("\n")))

    def get_height(self, rules: RulesMap, width: int) -> int:
        if width <= 0:
            return 0
        return len(self.layout(width).starts)


class Passage(Static):
    """A ``Static`` for prose: ``update`` it with a ``rich.text.Text`` (never markup)."""

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
        # Static turned the Text into Textual's Content on ``update`` (styles
        # resolved once); a new WrappedText only then, so a resize keeps its layouts.
        visual = self.visual
        if not isinstance(visual, Content):
            return visual
        if self._wrapped is None or self._wrapped.source is not visual:
            self._wrapped = WrappedText(visual)
        return self._wrapped

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """What a mouse selection copies (Textual asks the widget)."""
        wrapped = self.render()
        if not isinstance(wrapped, WrappedText):
            return super().get_selection(selection)
        return wrapped.selected(self.size.width, selection), "\n"
