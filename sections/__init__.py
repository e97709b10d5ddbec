"""The page's sections, one module each: Streamlit code that draws a part of the page and wires its widgets
to `jazz_core` calls (no music logic here).

`streamlit_app.py` lays the sections out and calls one function of each; a new section is a new module
here and one call there. Shared by all: `boundary` (file text shown as plain text; errors shown as
sentences, tracebacks only in the server log), `cache` (what is expensive, computed once) and `model`
(the model in use in this session).
"""
