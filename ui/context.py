"""What every tab shares: the settings and the one Assistant of this process."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.core import Assistant
from ikc.index import Manifest, read_manifest
from ikc.settings import Settings
from ui.catalog import doc_files
from ui.links import page_link


@dataclass
class UIContext:
    settings: Settings
    assistant: Assistant

    def link_for(self, doc_id: str, rel_path: str, page: int) -> str | None:
        """Link to the source at `page`; the file is looked up by doc id when not given (instrument citations)."""
        if not rel_path and doc_id:
            rel_path = doc_files(self.manifest()).get(doc_id, "")
        return page_link(self.settings.corpus_dir, rel_path, page)

    def manifest(self) -> Manifest | None:
        return read_manifest(self.settings.data_dir)
