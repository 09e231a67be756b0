"""The segment builder view (step 1 segment info, step 2 condition tree with live preview)."""

from segstudio.views.builder.info_step import InfoStep
from segstudio.views.builder.view import BuilderView

__all__ = ["BuilderView", "InfoStep"]
