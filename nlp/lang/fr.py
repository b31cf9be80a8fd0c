"""Placeholder: uses the English tables until this language's vocabulary lands."""

from nlp.lang.en import VOCABULARY

__all__ = ["VOCABULARY"]
