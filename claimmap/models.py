"""Pydantic models at the edges: what services return and front ends print."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

LinkStatus = Literal["suggested", "confirmed", "rejected"]
RelationType = Literal["supports", "attacks"]
RELATION_TYPES: tuple[RelationType, ...] = ("supports", "attacks")
AnchorMethod = Literal["exact", "normalized", "fuzzy", "position", "moved", "orphaned"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)


class Article(_Model):
    id: int
    ref: str = Field(description="short stable reference (the source file's stem)")
    source: str = Field(description="the file's path relative to the folder it was imported from")
    title: str
    authors: str | None = None
    venue: str | None = None
    date: str | None = None
    script: str
    encoding: str
    chars: int
    raw_sha256: str
    text_sha256: str
    imported_at: str
    updated_at: str
    url: str | None = Field(default=None, description="the document's own web address, if known")


class Tag(_Model):
    id: int
    name: str = Field(description="the whole path: limitation/technical")
    key: str | None
    color: str
    ordinal: int
    description: str | None = None
    parent: str | None = Field(default=None, description="the parent code's name")


class Span(_Model):
    id: int
    article: str = Field(description="article ref")
    article_id: int
    start: int = Field(description="code-point offset, inclusive")
    end: int = Field(description="code-point offset, exclusive")
    quote: str
    prefix: str
    suffix: str
    tags: list[str]
    note: str | None
    annotator: str
    claim_id: int | None
    orphaned: bool
    created_at: str
    updated_at: str
    page: str | None = Field(
        default=None,
        description="label of the page the span starts on (null: the article has no pages)",
    )


class AnnotateResult(_Model):
    id: int
    article: str
    start: int
    end: int
    quote: str
    tags: list[str]
    anchor: AnchorMethod
    merged: bool = Field(description="an identical span existed; tags were added to it")
    warnings: list[str] = Field(
        default_factory=list,
        description="stored anyway, but worth a look: crosses a paragraph, cuts a word, "
        "nearly duplicates another span",
    )


class Link(_Model):
    id: int
    a: int
    b: int
    score: float
    status: LinkStatus
    article_a: str
    article_b: str


class Relation(_Model):
    id: int
    source: int = Field(description="span id of the span that supports or attacks")
    target: int = Field(description="span id of the span supported or attacked")
    type: RelationType
    annotator: str
    note: str | None
    article_source: str = Field(description="article ref of the source span")
    article_target: str = Field(description="article ref of the target span")
    created_at: str
    updated_at: str


class Claim(_Model):
    id: int
    label: str | None
    tag: str | None = Field(description="the most frequent tag among its spans")
    spans: list[int]
    articles: list[str]


class ImportItem(_Model):
    path: str
    status: Literal["imported", "present", "updated", "error", "would-import", "would-update"]
    article_id: int | None = None
    ref: str | None = None
    title: str | None = None
    chars: int | None = None
    encoding: str | None = None
    script: str | None = None
    error: str | None = None
    changes: list[dict[str, object]] = Field(default_factory=list)
    spans: dict[str, int] | None = Field(
        default=None,
        description="for an updated article: its spans kept in place, moved, orphaned",
    )
    orphaned_span_ids: list[int] = Field(
        default_factory=list, description="for an updated article: spans now orphaned"
    )
