"""The assistant: hybrid retrieval, grounded answers with citations, the instrument walkthrough."""

from assistant.types import Answer, Citation, Passage

__all__ = ["Answer", "Citation", "Passage", "Assistant"]


def __getattr__(name: str):
    # Lazy so that importing assistant.types does not load models or Chroma.
    if name == "Assistant":
        from assistant.core import Assistant

        return Assistant
    raise AttributeError(name)
