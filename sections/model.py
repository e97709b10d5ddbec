"""The model in use in this session: the shipped default, the shipped jazz model, one trained here, or one loaded
from a bundle; the box that shows it, offers it for download and loads a saved one; and the model family field."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from jazz_core.bundle import MAX_BUNDLE_BYTES, Bundle, bundle_from_bytes, bundle_to_bytes
from jazz_core.errors import JazzError
from jazz_core.labels import model_summary
from jazz_core.settings import FAMILIES
from sections.boundary import plain, reading_slot
from sections.cache import BUILTIN_SOURCE, corpus, default_bundle, jazz_bundle

JAZZ = "jazz"  # the kind of the shipped jazz model
JAZZ_CREDIT = ("The jazz model learnt from 340 solos of the **Weimar Jazz Database** (Jazzomat Research Project, "
               "Hochschule für Musik Franz Liszt Weimar; Open Database License 1.0), as MusicXML with chord symbols "
               "prepared by the **MINGUS project** (Madaghiele, Lisena, Troncy, 2021): Parker, Rollins, Coltrane, "
               "Davis, Brown, Getz and others.")
FAMILY_NAMES = {"studio": "Studio: learns the style (recommended)",
                "course": "Course: the assignment's LSTM, exactly as taught"}


@dataclass(frozen=True)
class ModelInUse:
    bundle: Bundle
    kind: str  # default, jazz, trained or uploaded
    source: str  # where it came from, in words
    pieces: tuple | None = None  # the scores it learnt from, when known


def active_model() -> ModelInUse | None:
    """The session's model, else the default one; None (with an error shown) when even that cannot be read."""
    chosen = st.session_state.get("model")
    if chosen:
        return chosen
    try:
        return ModelInUse(default_bundle(), "default", "shipped with the app")
    except JazzError as error:
        st.error(f"The default model could not be loaded: {plain(error)}")
        return None


def activate(bundle: Bundle, kind: str, source: str, pieces=None) -> None:
    """Make a model the one in use in this session; `pieces` are the scores it learnt from, when known."""
    st.session_state["model"] = ModelInUse(bundle, kind, source, tuple(pieces) if pieces else None)


def use_default_model() -> None:
    st.session_state.pop("model", None)


def source_pieces(bundle: Bundle):
    """The scores a model learnt from, when this session knows them: trained here, or the built-in corpus."""
    chosen = st.session_state.get("model")
    if chosen and chosen.bundle is bundle and chosen.pieces:
        return chosen.pieces
    if bundle.source_sha256 == BUILTIN_SOURCE:
        try:
            return corpus()[0]
        except JazzError:
            return None
    return None


def use_jazz_model() -> None:
    """The shipped jazz model becomes the one in use (a callback, so the whole page sees it in this run)."""
    st.session_state.pop("jazz_error", None)
    try:
        activate(jazz_bundle(), JAZZ, "shipped with the app: a studio model of 340 Weimar Jazz Database solos")
    except JazzError as error:
        st.session_state["jazz_error"] = f"The jazz model could not be loaded: {error}"


def family_field() -> str:
    """The model family to train: studio by default, course for learners of the course."""
    return st.selectbox(
        "Model family", FAMILIES, key="family", format_func=FAMILY_NAMES.get,
        help="Studio reads each value's type, length and leap separately, with the chord under each note and its "
             "place in the bar, and stops when the held-out music stops improving, keeping its best epoch: it "
             "learns the style instead of memorising the solo. Course is the assignment's model exactly (one-hot "
             "values in, one softmax out, every epoch run, the last one kept), to compare with your notebook.")


def load_uploaded_bundle() -> None:
    """When a bundle is uploaded (a callback, so the whole page sees the new model in this run)."""
    st.session_state.pop("bundle_error", None)
    upload = st.session_state.get("bundle_upload")
    if upload is None:
        return
    try:
        with reading_slot():  # a few uploads parsed at once, server-wide
            bundle = bundle_from_bytes(upload.getvalue())
        activate(bundle, "uploaded", f"loaded from {upload.name}")
    except JazzError as error:
        st.session_state["bundle_error"] = str(error)


def model_box() -> None:
    """Which model is in use; download it, load a saved one, or go back to the default."""
    with st.container(border=True):
        model = active_model()
        if model is not None:
            st.markdown(f"**Model in use: {model.kind}** ({plain(model.source)})")
            st.caption(plain(model_summary(model.bundle)))
        jazz_offer(model)
        left, right = st.columns(2, vertical_alignment="top")
        upload = right.file_uploader("Load a saved model (.zip)", type=["zip"], key="bundle_upload",
                                     on_change=load_uploaded_bundle, max_upload_size=MAX_BUNDLE_BYTES // 1_000_000,
                                     help="A model bundle downloaded from this page earlier.")
        if upload is not None and st.session_state.get("bundle_error"):
            right.error(plain(st.session_state["bundle_error"]))
        if model is None:
            return
        bundle = model.bundle
        left.download_button("Download this model (.zip)", data=lambda: bundle_to_bytes(bundle),
                             file_name=f"jazz-model-{model.kind}.zip", mime="application/zip", on_click="ignore",
                             icon=":material/download:", help="Keep the model: load it here again later.")
        if model.kind != "default":
            left.button("Use the default model again", key="use_default", on_click=use_default_model)


def jazz_offer(model: ModelInUse | None) -> None:
    """The shipped jazz model one click away, with the credit its corpus asks for."""
    if model is None or model.kind != JAZZ:
        st.button("Use the jazz model (bebop lines, Weimar Jazz Database)", key="use_jazz", on_click=use_jazz_model,
                  icon=":material/piano:", help="A studio model shipped with the app: play it in Generate.")
    if st.session_state.get("jazz_error"):
        st.error(plain(st.session_state["jazz_error"]))
    st.caption(JAZZ_CREDIT)
