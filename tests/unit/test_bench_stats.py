from klachtspoor_devtools.bench.stats import median_of_rounds, percentile


def test_percentile_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 0.5) == 50.0
    assert percentile(values, 0.99) == 99.0
    assert percentile(list(reversed(values)), 1.0) == 100.0
    assert percentile([], 0.5) == 0.0


def test_median_of_rounds_per_key() -> None:
    rounds = [{"a": 1.0, "b": 10.0}, {"a": 3.0, "b": 30.0}, {"a": 2.0, "b": 900.0}]
    assert median_of_rounds(rounds) == {"a": 2.0, "b": 30.0}
