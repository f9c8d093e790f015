"""The article list: title, span counts per code, reading progress."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from claimmap.models import Article, Tag

# The list is 30 cells wide: border and scrollbar leave 26 for a title.
TITLE_CELLS = 26


@dataclass(frozen=True, slots=True)
class ArticleRow:
    article: Article
    counts: dict[str, int]
    position: int


class ArticleList(OptionList):
    """One option per article; the option id is the article id."""

    DEFAULT_CSS = """
    ArticleList { width: 30; border: round $panel; border-subtitle-color: $text-muted; }
    ArticleList:focus { border: round $accent; }
    """

    def on_mount(self) -> None:
        # What the second line of each article means (the help screen says it in full).
        self.border_title = "Articles"
        self.border_subtitle = "code key+spans · % read"

    def show(self, rows: list[ArticleRow], tags: list[Tag], current: int | None) -> None:
        highlighted = self.highlighted
        self.clear_options()
        self.add_options([Option(self._prompt(r, tags), id=str(r.article.id)) for r in rows])
        ids = [r.article.id for r in rows]
        if current in ids:
            self.highlighted = ids.index(current)
        elif highlighted is not None and highlighted < len(ids):
            self.highlighted = highlighted

    @staticmethod
    def _prompt(row: ArticleRow, tags: list[Tag]) -> Text:
        article = row.article
        title = article.title if article.title != article.ref else article.ref
        text = Text(title.replace("\n", " "), style="bold")
        text.truncate(TITLE_CELLS, overflow="ellipsis")
        text.append("\n")
        progress = min(100, round(100 * row.position / article.chars)) if article.chars else 0
        read = f" {progress:>3}%"
        counts = Text()
        for number, tag in enumerate(tags, start=1):
            count = row.counts.get(tag.name, 0)
            # Label each count with the key that applies the code, so the list teaches keys.
            label = tag.key or (f"{number}:" if number <= 9 else f"{tag.name[0]}:")
            counts.append(f"{label}{count} ", style=tag.color if count else "dim")
        # One line whatever the number of codes: the counts give way to the progress.
        counts.truncate(TITLE_CELLS - len(read), overflow="ellipsis", pad=True)
        text.append_text(counts)
        text.append(read, style="dim")
        return text
