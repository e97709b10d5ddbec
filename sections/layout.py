"""The page on a narrow screen (a phone, 390 px wide): the same widgets, laid out so that Generate and the
player come soon after the music is chosen. CSS only, for screens under 640 px (where Streamlit stacks
columns); wider screens are left as they are.

- The sections read Music, Generate, Train: Generate is what a phone visitor comes for, training stays
  a scroll away (the default model is already trained). Their numbers are this style's too (1 · Music,
  2 · Train, 3 · Generate on a wide screen; 1, 2, 3 in the phone's order), so they always count down the page.
- The music summary's four numbers stay in one row instead of four stacked screens' worth.
- In the Generate form the buttons (Generate, Practice) follow the length, the finer settings (temperature, seed, tempo,
  instrument, feel) come after it.
"""

from __future__ import annotations

import streamlit as st

NARROW = """<style>
[data-testid=stElementContainer]:has(.jazz-layout) { display: none; }  /* this style's own element */
/* the sections' numbers, in the order they are shown (on the heading's text: it names the heading) */
.st-key-music_box h2 [data-heading-text]::before { content: "1 · "; }
.st-key-train_box h2 [data-heading-text]::before { content: "2 · "; }
.st-key-generate_box h2 [data-heading-text]::before { content: "3 · "; }
@media (max-width: 640px) {
  .st-key-generate_box h2 [data-heading-text]::before { content: "2 · "; }
  .st-key-train_box h2 [data-heading-text]::before { content: "3 · "; }
  [data-testid=stMainBlockContainer] { padding-top: 3.5rem; }
  h1 { font-size: 2rem; }
  div:has(> .st-key-music_box) { order: 1; }
  div:has(> .st-key-generate_box) { order: 2; }
  div:has(> .st-key-train_box) { order: 3; }
  [data-testid=stHorizontalBlock]:has([data-testid=stMetric]) { flex-wrap: nowrap; gap: 0.5rem; }
  [data-testid=stHorizontalBlock]:has([data-testid=stMetric]) > [data-testid=stColumn] { min-width: 0; }
  [data-testid=stMetricValue] { font-size: 1.4rem; }
  [data-testid=stMetricLabel] p { font-size: 0.8rem; }
  [data-testid=stForm] [data-testid=stVerticalBlock]:has(> .st-key-generate) >
    :is(:has(.st-key-temperature), :has(.st-key-tempo), :has([data-testid=stExpander])) { order: 2; }
  [data-testid=stForm] [data-testid=stVerticalBlock] > :is(.st-key-generate, .st-key-practice) { order: 1; }
}
</style><span class="jazz-layout"></span>"""


def narrow_screen_layout() -> None:
    """The style as an element of the page, its element hidden. Called inside the music section: emitted at
    the top level (between the title and the sections) or through st.html's style-only path it was missing
    from the page in browser tests run after others on the same server."""
    st.markdown(NARROW, unsafe_allow_html=True)
