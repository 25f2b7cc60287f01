"""What the KPI views draw: a series' sparkline as SVG geometry computed on the server (no
script needed to read a trend), and each KPI's chart data for Chart.js, handed to the page
through `json_script` (the Content Security Policy allows no inline script)."""

from decimal import Decimal

from metrics.scorecard.selectors import Point, Tile

#: The sparkline's drawing box (the SVG scales it to the tile's or the cell's width).
WIDTH, HEIGHT, PAD = 100, 24, 2


def sparkline(points: list[Point], target: Decimal) -> dict | None:
    """{"points": "x,y …" of the values oldest first, "target": y of the target line,
    "last": (x, y) of the latest value}, in a WIDTH × HEIGHT box; None without two values
    (a single value is no trend). The target is in the vertical range, so the line shows
    which side of it the values run. Every KPI view draws its sparklines with this."""
    if len(points) < 2:
        return None
    target = float(target)
    values = [float(point.value) for point in points]
    low, high = min(*values, target), max(*values, target)
    span = (high - low) or 1.0
    step = (WIDTH - 2 * PAD) / (len(values) - 1)

    def y(value: float) -> float:
        return round(HEIGHT - PAD - (value - low) / span * (HEIGHT - 2 * PAD), 2)

    coordinates = [(round(PAD + index * step, 2), y(value)) for index, value in enumerate(values)]
    return {"points": " ".join(f"{x},{y_}" for x, y_ in coordinates), "target": y(target),
            "last": coordinates[-1], "width": WIDTH, "height": HEIGHT}


def chart_data(tiles: list[Tile]) -> list[dict]:
    """One entry per KPI with values: its periods, values and their red / amber / green,
    and the target and thresholds of the version in force (numbers, for the chart)."""
    return [{"key": tile.definition.key, "name": tile.definition.name,
             "unit": tile.definition.unit,
             "labels": [point.label for point in tile.points],
             "values": [round(float(point.value), 2) for point in tile.points],
             "rags": [point.rag for point in tile.points],
             "target": float(tile.definition.target),
             "amber": float(tile.definition.amber_threshold),
             "red": float(tile.definition.red_threshold)}
            for tile in tiles if tile.points]
