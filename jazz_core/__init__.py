"""Jazz LSTM Studio's core: read a score, learn its jazz grammar with an LSTM, improvise, write MIDI, render audio.

Stages, one module each: scores (reading) -> grammar (values) -> dataset (vocabulary, windows)
-> model and training (Keras) -> sampling (NumPy) -> grammar decoding -> midi_writer -> audio.
`pipeline` wires them. This package never imports streamlit and never prints.
"""
