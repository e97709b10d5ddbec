"""Section 1, Music: the built-in corpus or uploads; their parts, melody and values; the preflight verdict.

One upload is shown in full (its parts, the melody part to choose, the course's reading for the course's file);
several are read together: each file's verdict and the corpus total, a refused file named and left out.
Uploads are read in memory; a file's name is only ever shown, never used as a path.

`music_section()` returns (pieces, source bytes, title), or None when there is nothing to learn from yet.
"""

from __future__ import annotations

import streamlit as st

from jazz_core import pipeline
from jazz_core.errors import JazzError
from jazz_core.labels import melody_part, parts_rows, values_summary
from jazz_core.reading import MAX_SCORE_BYTES, METHENY, is_course_file
from jazz_core.report import reading_note
from sections.boundary import plain, reading_slot
from sections.cache import check_files, check_score, corpus, raw_score, read_piece

SCORE_TYPES = ["mid", "midi", "kar", "xml", "musicxml", "mxl", "abc"]
BUILTIN, UPLOAD = "The built-in corpus", "A score of mine"
AUTOMATIC = -1  # the melody part chosen by the reader


def music_section():
    """The music to learn from: (pieces, source bytes, title), or None when there is none yet."""
    st.header("Music", divider="gray")
    choice = st.radio("Learn from", [BUILTIN, UPLOAD], horizontal=True, key="music_source",
                      help="The built-in corpus needs nothing from you. Your own score can be MIDI, "
                           "MusicXML or ABC: the page finds the melody and the chords under it.")
    return builtin_music() if choice == BUILTIN else uploaded_music()


def builtin_music():
    st.caption("Ragtime shipped inside music21: Irving Berlin's *Alexander's Ragtime Band* (a lead sheet "
               "with chord symbols) and Scott Joplin's *Maple Leaf Rag*. The default model learnt from it.")
    try:
        with st.spinner("Reading the built-in corpus…"):  # shown only if it takes more than half a second
            pieces, values = corpus()
    except JazzError as error:
        st.error(f"The built-in corpus could not be read: {plain(error)}")
        return None
    show_summary(pieces, values)
    return list(pieces), [], "the built-in corpus"


def uploaded_music():
    uploads = st.file_uploader("Your scores: MIDI, MusicXML or ABC", type=SCORE_TYPES, key="score_upload",
                               max_upload_size=MAX_SCORE_BYTES // 1_000_000, accept_multiple_files=True,
                               help="One score, or several to learn from together. Read in memory, never saved; "
                                    "at most 20 MB each. A solo over chords works best: a lead sheet, or a band "
                                    "arrangement with a clear solo part.")
    if not uploads:
        st.info("Choose a file to learn from (or several), or switch back to the built-in corpus.")
        return None
    return one_upload(uploads[0]) if len(uploads) == 1 else several_uploads(uploads)


def one_upload(upload):
    data = upload.getvalue()
    title = upload.name.rsplit(".", 1)[0][:80] or "Uploaded score"
    try:
        with reading_slot():  # a few uploads parsed at once, server-wide
            tracks = raw_score(data, title).tracks
        course = is_course_file(tracks, data)
        preset, chosen, melody = reading_choice(tracks, course, pipeline.source_hash([data])[:16])
        report = check_score(data, preset, chosen, title, int(st.session_state.get("sequence_length", 30)))
        if not report.measures:  # no melody to read: the report says why and what to do
            st.error(plain(report.verdict))
            return None
        piece, values = read_piece(data, preset, chosen, title)
        melody_index = melody_part(tracks, preset, melody)
    except JazzError as error:
        st.error(plain(error))
        return None
    if course and preset:
        st.caption("Recognised the course's file (19 parts, the guitar solo as part 5).")
    show_report(report, title, melody_index, piece, values)
    st.caption(plain(reading_note(course, bool(preset), len(values), len(set(values)))))
    return [piece], [data], title


def several_uploads(uploads):
    """Several scores read together (melody chosen automatically in each): each file's verdict and the total; the
    files that give nothing are named and left out, the others are the music to learn from."""
    files = tuple((upload.name, upload.getvalue()) for upload in uploads)
    with reading_slot():
        report = check_files(files, int(st.session_state.get("sequence_length", 30)))
    left_out = [name in report.refused for name, _ in files]
    st.dataframe(files_rows([name for name, _ in files], report, left_out), hide_index=True, width="stretch",
                 column_config={"verdict": st.column_config.TextColumn("verdict", width="large")})
    for (name, _), file, out in zip(files, report.files, left_out, strict=True):
        if out:
            st.error(plain(f"{name} is left out: {file.verdict}"), icon=":material/block:")
    if not report.pieces:
        return None
    show_summary(report.pieces, [tuple(pipeline.corpus_values([piece])) for piece in report.pieces])
    (st.success if report.enough else st.warning)(plain(report.verdict))
    st.caption("Each file is read with the improved reading, its melody part chosen automatically (upload one "
               "file alone to choose its part, or to read the course's file the course's way).")
    kept = [(name, data) for (name, data), out in zip(files, left_out, strict=True) if not out]
    return list(report.pieces), [data for _, data in kept], " + ".join(name for name, _ in kept)[:120]


def files_rows(names: list[str], report, left_out: list[bool]) -> list[dict]:
    """One row per uploaded file: whether it is ready, what it gives, the chords found and its verdict."""
    return [{"file": name, "ready": "left out" if out else "ready" if file.ready else "not ready",
             "measures": file.measures, "values": file.values, "unique": file.unique_values,
             "chords found": file.changes, "verdict": file.verdict}
            for name, file, out in zip(names, report.files, left_out, strict=True)]


def reading_choice(tracks, course: bool, digest: str):
    """How to read the upload: (preset, the melody part asked for, the melody box's value)."""
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    use_preset = left.checkbox(
        "Read as the course does (metheny preset)", value=course, key=f"preset_{digest}",
        help="For the course's original_metheny.mid: melody from part 5 (the guitar, both voices), chords "
             "from the piano (part 0), bars 120-137 only, exactly as the assignment reads it."
             + (" This file looks like it, so the preset is on." if course else ""))
    picked = right.selectbox(  # -1, not None, for automatic: a None option is drawn as "Choose an option"
        "Melody part", [AUTOMATIC, *range(len(tracks))], key=f"melody_{digest}", disabled=use_preset,
        format_func=lambda i: "Chosen automatically" if i == AUTOMATIC else f"{i}: {tracks[i].name}",
        help="Which part is the solo to learn from. Automatic picks the busiest single line in a solo register.")
    melody = None if picked == AUTOMATIC else picked
    return (METHENY, None, melody) if use_preset else (None, melody, melody)


def show_report(report, title: str, melody_index: int, piece, values) -> None:
    """The parts found, what the melody gives to learn from, and the preflight verdict and warnings."""
    with st.expander(f"Parts found in {plain(title)} ({len(report.parts)})", expanded=len(report.parts) <= 8):
        st.dataframe(parts_rows(report.parts, melody_index), hide_index=True, width="stretch",
                     column_config={"drums": st.column_config.CheckboxColumn("drums"),
                                    "looks like": st.column_config.TextColumn("looks like", width="large")})
    show_summary((piece,), (values,))
    if report.changes:
        st.caption(f"Chords found: {plain(report.changes)}" + (" (the first 16 bars)" if len(piece.measures) > 16
                                                               else ""))
    if report.enough:
        st.success(plain(report.verdict), icon=":material/check_circle:")
    else:
        st.warning(plain(report.verdict), icon=":material/warning:")
    for warning in report.warnings:
        st.warning(plain(warning), icon=":material/info:")


def show_summary(pieces, values_per_piece) -> None:
    """What the music gives to learn from: per piece, and in total."""
    summary = values_summary([v for vs in values_per_piece for v in vs])
    cols = st.columns(4)
    cols[0].metric("Measures", sum(len(p.measures) for p in pieces))
    cols[1].metric("Values", summary["values"], help="Notes and rests of the melody, each written as a "
                   "grammar value: type, duration and the leap from the note before.")
    cols[2].metric("Unique values", summary["unique"], help="The model's vocabulary: it learns which of "
                   "these tends to follow which.")
    if len(pieces) == 1:
        cols[3].metric("Tempo", f"{pieces[0].tempo_bpm:g} bpm")
    else:
        cols[3].metric("Pieces", len(pieces))
    types = summary["types"]
    st.caption(f"Chord tones {types['C']} · scale tones {types['S']} · approach tones {types['A']} · "
               f"other {types['X']} · rests {types['R']}")
    for piece in pieces:
        st.caption(f"**{plain(piece.title)}**: {len(piece.measures)} measures; {plain(piece.origin)}.")
