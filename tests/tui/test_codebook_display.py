"""A code's description and place in the hierarchy, where the analyst picks codes:
the code picker (dimmed after the name and key) and the help screen."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, OptionList

from claimmap.services.codebook import add_tag, describe_tag
from claimmap.store import open_db
from claimmap.tui.app import make_app
from claimmap.tui.screens.help import HelpScreen
from claimmap.tui.screens.picker import FuzzyPicker

SIZE = (120, 32)


def _describe(path: Path) -> None:
    db = open_db(path)
    try:
        describe_tag(db, "limitation", "a limit\fthe article\n admits")
        add_tag(db, "limitation/technical", key="T", description="x" * 80)
    finally:
        db.close()


async def test_code_picker_shows_descriptions_dimmed(two_articles: Path) -> None:
    _describe(two_articles)
    app = make_app(two_articles)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, FuzzyPicker)
        options = app.screen.query_one(OptionList)

        def shown() -> dict[str, str]:
            out: dict[str, str] = {}
            for k in range(options.option_count):
                option = options.get_option_at_index(k)
                out[option.id or ""] = str(option.prompt)
            return out

        assert shown()["limitation"] == "limitation  [L]  a limit the article admits"
        assert shown()["limitation/technical"] == f"limitation/technical  [T]  {'x' * 47}…"
        assert shown()["motive"] == "motive  [m]"
        prompt = options.get_option_at_index(1).prompt
        assert any(span.style == "dim" for span in getattr(prompt, "spans", []))
        # Typing narrows by the name, and the description stays beside it.
        app.screen.query_one(Input).value = "techn"
        await pilot.pause()
        assert list(shown()) == ["limitation/technical", "\x00create:techn"]
        assert shown()["limitation/technical"].endswith("…")
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, FuzzyPicker)


async def test_help_lists_codes_with_keys_and_descriptions(two_articles: Path) -> None:
    _describe(two_articles)
    app = make_app(two_articles)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = dict(app.screen.rows)
        assert rows["L"] == "Tag limitation · a limit the article admits"
        assert rows["T"].startswith("Tag limitation/technical · xxx")
        assert rows["m"] == "Tag motive"
