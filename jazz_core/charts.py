"""The page's training chart: the loss curves per epoch, as a Vega-Lite spec (a plain dict).

Pure functions over the epoch reports. The spec is plain JSON, built once per training update and handed
to `st.vega_lite_chart` as it is: no Altair, so nothing is imported or validated when the page draws
(tests/test_charts.py validates it instead). The take's piano roll is jazz_core/roll.py's.
"""

from __future__ import annotations

from collections.abc import Sequence

VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"


def loss_rows(history: Sequence) -> list[dict]:
    """One row per epoch (reports with epoch, loss, validation_loss), for a line chart of the two losses."""
    return [{"epoch": r.epoch, "training loss": round(float(r.loss), 5),
             "validation loss": None if r.validation_loss is None else round(float(r.validation_loss), 5)}
            for r in history]


def loss_spec(history: Sequence) -> dict:
    """The training and validation loss per epoch as a Vega-Lite line chart (points while there are few)."""
    rows = loss_rows(history)
    curves = [c for c in ("training loss", "validation loss") if any(r[c] is not None for r in rows)]
    return {"$schema": VEGA_LITE_SCHEMA, "height": 220, "data": {"values": rows},
            "transform": [{"fold": curves, "as": ["curve", "loss"]}],
            "mark": {"type": "line", "point": len(rows) <= 30},
            "encoding": {
                "x": {"field": "epoch", "type": "quantitative", "title": "epoch",
                      "axis": {"tickMinStep": 1, "format": "d"}},
                "y": {"field": "loss", "type": "quantitative", "title": "loss (cross-entropy)",
                      "scale": {"zero": False}},
                "color": {"field": "curve", "type": "nominal", "title": None, "legend": {"orient": "top"}},
                "tooltip": [{"field": "epoch", "type": "quantitative"}, {"field": "curve", "type": "nominal"},
                            {"field": "loss", "type": "quantitative", "format": ".4f"}]}}
