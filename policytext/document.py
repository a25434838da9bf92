"""Whole-document pipeline: read → metadata → clauses → one draft per clause."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from policytext.clauses import Clause, segment
from policytext.extract import ClauseContext, Draft, extract_clause, inherited_mode
from policytext.metadata import DocumentMetadata, extract_metadata
from policytext.readers import Document, read_document


@dataclass
class ExtractedClause:
    clause: Clause
    draft: Draft


@dataclass
class DocumentExtraction:
    document: Document
    metadata: DocumentMetadata
    clauses: list[ExtractedClause] = field(default_factory=list)


def extract_document(source: str | Path | bytes | Document, *, filename: str | None = None,
                     catalogue: Mapping[str, Sequence[str]] | None = None) -> DocumentExtraction:
    """Read a document (or take one already read) and draft every clause of it."""
    document = source if isinstance(source, Document) else read_document(source, filename=filename)
    metadata = extract_metadata(document.text)
    clauses = segment(document.text)
    mode = inherited_mode(doc_title=metadata.title, clause_texts=[c.text for c in clauses])
    by_parent: dict[tuple[str, ...], list[str]] = {}
    for clause in clauses:
        by_parent.setdefault((clause.part, *clause.headings), []).append(clause.text)
    result = DocumentExtraction(document=document, metadata=metadata)
    for clause in clauses:
        siblings = [t for t in by_parent[(clause.part, *clause.headings)] if t is not clause.text]
        context = ClauseContext(
            clause_id=clause.path,
            doc_title=metadata.title,
            region_code=metadata.region_code,
            headings=clause.headings,
            inherited_mode=mode,
            siblings=siblings,
            normalized=True,
        )
        draft = extract_clause(clause.text, context=context, catalogue=catalogue)
        result.clauses.append(ExtractedClause(clause=clause, draft=draft))
    return result
