"""From policy documents to reviewable drafts of policy items (framework-free core).

Public API: ``read_document``, ``extract_metadata``, ``segment``, ``extract_clause``,
``extract_document``, ``inherited_mode`` and the CLI entry ``policytext.cli.extract_main``.
"""

from policytext.clauses import Clause, segment
from policytext.document import DocumentExtraction, ExtractedClause, extract_document
from policytext.extract import ClauseContext, Draft, Span, extract_clause, inherited_mode
from policytext.metadata import DocumentMetadata, extract_metadata, normalize_doc_number
from policytext.readers import (
    Document,
    DocumentError,
    NoTextLayerError,
    UnsupportedDocumentError,
    read_document,
)

__all__ = [
    "Clause",
    "ClauseContext",
    "Document",
    "DocumentError",
    "DocumentExtraction",
    "DocumentMetadata",
    "Draft",
    "ExtractedClause",
    "NoTextLayerError",
    "Span",
    "UnsupportedDocumentError",
    "extract_clause",
    "extract_document",
    "extract_metadata",
    "inherited_mode",
    "normalize_doc_number",
    "read_document",
    "segment",
]
