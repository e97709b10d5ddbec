"""Benchmarks of Jazz LSTM Studio: scripts that time each stage, print tables and write docs/benchmarks.md.

    python -m bench                 # every part (under 10 minutes on 2 cores)
    python -m bench training page   # some parts; the other parts' last results stay in the document

Parts: training, preprocessing, generation, page, scaling, load, audio. These are measurements,
not tests: nothing here fails when a target is missed; the document says which targets are met.
The course's Keras models (an unrolled Python loop of Lambda slices) live in `bench.course` only,
as the reference to beat; the app never uses them.
"""
