"""The take's lead sheet on the page: drawn only when asked, cached per take and part, with its downloads.

Streamlit code only; the music is written by `jazz_core.notation` and `jazz_core.engraving`, the stems by
`jazz_core.stems`. Nothing here runs until the player opens the lead sheet, so the page is as fast as
before when it stays closed.
"""

from __future__ import annotations

import json

import streamlit as st

from jazz_core.errors import JazzError
from jazz_core.notation import PARTS

PART_NAMES = {key: part.name for key, part in PARTS.items()}


# Follows the take's player (the last <audio> before this frame in the page) and marks the bar it is in.
PLAYHEAD = """<script>
const starts = %s, bars = document.querySelectorAll("g.measure");
let shown = -1, mark = null;
function player() {
  const me = window.frameElement; let found = null;
  if (!me) return null;
  for (const audio of parent.document.querySelectorAll("audio"))
    if (audio.compareDocumentPosition(me) & Node.DOCUMENT_POSITION_FOLLOWING) found = audio;
  return found;
}
function show(bar) {
  if (bar === shown) return;
  shown = bar; if (mark) mark.remove(); mark = null;
  if (bar < 0 || bar >= bars.length) return;
  const box = bars[bar].getBBox();
  mark = document.createElementNS("http://www.w3.org/2000/svg", "rect");
  for (const [k, v] of Object.entries({x: box.x, y: box.y, width: box.width, height: box.height,
       fill: "#ffd54f", "fill-opacity": 0.35, class: "jazz-now"})) mark.setAttribute(k, v);
  bars[bar].insertBefore(mark, bars[bar].firstChild);
}
function tick() {
  const audio = player(), time = audio ? audio.currentTime : 0;
  let bar = -1;
  if (time > 0) for (let i = 0; i + 1 < starts.length && starts[i] <= time; i++) bar = i;
  show(bar); requestAnimationFrame(tick);
}
tick();
</script>"""


@st.cache_data(max_entries=32, show_spinner="Engraving the lead sheet…")
def lead_sheet_files(key: str, part: str, title: str, _take) -> tuple[bytes, str, list[float]]:
    """MusicXML, coloured SVG and where each bar starts (seconds, then the end) of a take for one part;
    `key` names the take for the cache."""
    from jazz_core import engraving

    sheet = engraving.take_sheet(_take, part, title)
    score = engraving.musicxml(sheet)
    seconds, starts = 60.0 / sheet.tempo_bpm / 12, [0.0]
    for bar in sheet.bars:
        starts.append(round(starts[-1] + bar.length * seconds, 4))
    return score, engraving.svg(score, engraving.note_kinds(sheet)), starts


def take_key(take) -> str:
    """A name for a take's music (its notes, chords, tempo and feel): a re-rolled take gets a new one."""
    import hashlib

    return hashlib.sha256(repr((take.notes, take.progression, take.playback)).encode()).hexdigest()


def stems_of(midi: bytes):
    """A callable for the stems download: rendered only when the button is clicked."""
    def make() -> bytes:
        from jazz_core.stems import stems_zip

        return stems_zip(midi)
    return make


def show_score(take, number: int, title: str) -> None:
    """A toggle that opens the take's lead sheet (SVG, bars numbered, the bar being played marked), the part
    to write it for, and the MusicXML and stems downloads."""
    if not st.toggle("Lead sheet", key=f"score_open_{number}",
                     help="The take as sheet music: chord symbols, bar numbers, notes coloured by grammar type."):
        return
    part = st.segmented_control("Written for", list(PART_NAMES), format_func=PART_NAMES.get, default="concert",
                                key=f"score_part_{number}") or "concert"
    try:
        score, drawn, starts = lead_sheet_files(take_key(take), part, title, take)
        bars = len(starts) - 1
    except JazzError as error:
        st.warning(f"The lead sheet could not be drawn: {error}")
        return
    # An iframe, not st.html: its sanitiser drops SVG. The SVG is verovio's, from the take's own notes and
    # chord symbols (read by the changes parser) and a title made here; no user text reaches it unescaped.
    st.iframe(f'<body style="margin:0;background:white"><div class="jazz-score" data-bars="{bars}">{drawn}</div>'
              f"{PLAYHEAD % json.dumps(starts)}</body>", height="content")
    st.caption(f"{bars} bars, {PART_NAMES[part].lower()}; swung eighths are written straight." if
               take.playback.swing != "straight" else f"{bars} bars, {PART_NAMES[part].lower()}.")
    left, right, _ = st.columns([1, 1, 1])
    base = f"jazz-take-{number}"
    left.download_button("MusicXML", score, file_name=f"{base}-{part}.musicxml",
                         mime="application/vnd.recordare.musicxml+xml", on_click="ignore",
                         key=f"musicxml_{number}", icon=":material/download:")
    right.download_button("Stems (FLAC + MIDI)", stems_of(take.midi), file_name=f"{base}-stems.zip",
                          mime="application/zip", on_click="ignore", key=f"stems_{number}",
                          icon=":material/download:")
