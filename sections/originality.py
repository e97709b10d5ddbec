"""How much a take copies its training music, and what the loss curve says: one line each, under the take and
under the loss chart (the sentences are `jazz_core.originality`'s; this module only places them)."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from jazz_core import charts, originality
from jazz_core.session import TakeRecord
from jazz_core.settings import ModelSettings, TrainSettings
from jazz_core.training import kept_epoch
from sections.boundary import plain


def copy_warning(record: TakeRecord) -> None:
    """One line when a take is mostly copied from its training music: how much, why (overfitting), what to do;
    from the copied flags stored when the take was made (the corpus is not searched on every redraw)."""
    take, bundle = record.take, record.bundle
    if originality.copied_share(take.values, bundle.corpus, copied=record.copied) >= originality.MOSTLY:
        verdict = originality.copy_verdict(take.values, bundle.corpus, bundle.family, copied=record.copied)
        st.warning(plain(verdict), icon=":material/content_copy:")


def loss_chart(history: Sequence, model: ModelSettings, training: TrainSettings) -> None:
    """The loss curves, and under them one sentence: does validation rise while training falls, which epoch is kept
    (the studio family always keeps its best validation epoch; the course family its last, unless Keep best)."""
    st.vega_lite_chart(charts.loss_spec(history), width="stretch")
    kept = kept_epoch(history, training.keep_best or model.family == "studio")
    if kept is not None:
        st.caption(plain(originality.curve_note(history, kept)))
