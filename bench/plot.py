"""Draw the per-item cost chart of docs/performance.md from bench/run.py's summary.

    .build/bench/plot/bin/python bench/plot.py bench/results/summary.json docs/performance.png

Run by bench/run.py with the python of its own venv that has matplotlib.
"""

import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  pylint: disable=wrong-import-position

SERIES = (
    ("inprocess", "seed in-process", "#1b9e77"),
    ("module", "seed as a module", "#7570b3"),
    ("incumbent", "community.aws", "#d95f02"),
)
SCENARIOS = (
    ("create", "create"),
    ("unchanged", "rerun\nunchanged"),
    ("unchanged_notoken", "rerun unchanged\nno token"),
    ("update", "update\nvalues"),
    ("update_notoken", "update values\nno token"),
)


def main(argv):
    summary_path, png_path = argv
    with open(summary_path, encoding="utf-8") as handle:
        summary = json.load(handle)
    loops = summary["loops"]
    scenarios = [(key, label) for key, label in SCENARIOS if key in loops]
    series = [s for s in SERIES if any(s[0] in loops[key] for key, _label in scenarios)]
    width = 0.8 / max(len(series), 1)

    fig, ax = plt.subplots(figsize=(10, 5.6), dpi=110)
    for index, (impl, label, color) in enumerate(series):
        xs, ys = [], []
        for position, (key, _label) in enumerate(scenarios):
            entry = loops[key].get(impl)
            if entry:
                xs.append(position - 0.4 + width * (index + 0.5))
                ys.append(entry["per_item_ms"])
        bars = ax.bar(xs, ys, width * 0.92, label=label, color=color)
        for rect, value in zip(bars, ys):
            text = "%.1f" % value if value < 100 else "%.0f" % value
            ax.annotate(text, (rect.get_x() + rect.get_width() / 2, value), xytext=(0, 2), textcoords="offset points",
                        ha="center", va="bottom", fontsize=8)

    trips = summary.get("roundtrips", {})
    first = True
    for position, (key, _label) in enumerate(scenarios):
        if key in trips:
            ax.hlines(trips[key]["per_item_ms"], position - 0.42, position + 0.42, colors="black", linewidth=2,
                      label="botocore alone (AWS round trips)" if first else None)
            first = False
    debug = summary.get("debug")
    if debug and "inprocess" in {impl for impl, _label, _color in series}:
        # The bound for the in-process cost: twice the debug floor plus the round trips.
        first = True
        for position, (key, _label) in enumerate(scenarios):
            if key in trips and "inprocess" in loops[key]:
                x = position - 0.4 + width * 0.5
                ax.hlines(2 * debug["per_item_ms"] + trips[key]["per_item_ms"], x - width / 2, x + width / 2, colors="red",
                          linewidth=2, linestyles="dotted", label="target for seed in-process: 2 x floor + round trips" if first else None)
                first = False
    if debug:
        ax.axhline(debug["per_item_ms"], color="grey", linestyle="--", linewidth=1,
                   label="ansible.builtin.debug loop (floor): %.1f ms" % debug["per_item_ms"])

    ax.set_yscale("log")
    ax.set_xticks(range(len(scenarios)))
    ax.set_xticklabels([label for _key, label in scenarios])
    ax.set_ylabel("milliseconds per loop item (log scale)")
    ax.set_title("Cost per loop item, loops of N=%d secrets against moto (median)" % summary["n"])
    ax.grid(axis="y", which="both", alpha=0.25)
    ax.legend(loc="upper left", fontsize=8, ncol=2)
    floors = [t["per_item_ms"] for t in trips.values()] + ([debug["per_item_ms"]] if debug else [])
    ax.set_ylim(bottom=max(min(floors or [1]) / 3, 0.05), top=ax.get_ylim()[1] * 3)
    fig.tight_layout()
    fig.savefig(png_path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
