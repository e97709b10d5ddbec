"""The page's training chart: the Vega-Lite spec of the loss curves."""

from __future__ import annotations

from jazz_core import charts
from jazz_core.training import EpochReport


def test_the_loss_spec_draws_the_curves_there_are():
    import altair as alt

    both = [EpochReport(e, 40, 2.0 / e, 0.1, 2.2 / e, 0.1, e) for e in range(1, 4)]
    spec = charts.loss_spec(both)
    alt.Chart.from_dict(spec)
    assert spec["data"]["values"] == charts.loss_rows(both)
    assert spec["transform"] == [{"fold": ["training loss", "validation loss"], "as": ["curve", "loss"]}]
    assert spec["mark"] == {"type": "line", "point": True}
    alone = [EpochReport(e, 40, 2.0 / e, 0.1, None, None, e) for e in range(1, 41)]
    spec = charts.loss_spec(alone)
    alt.Chart.from_dict(spec)
    assert spec["transform"][0]["fold"] == ["training loss"] and spec["mark"]["point"] is False


def test_loss_rows():
    history = [EpochReport(1, 3, 2.5, 0.1, 2.7, 0.1, 0.5), EpochReport(2, 3, 1.25, 0.3, None, None, 1.0)]
    assert charts.loss_rows(history) == [
        {"epoch": 1, "training loss": 2.5, "validation loss": 2.7},
        {"epoch": 2, "training loss": 1.25, "validation loss": None}]
