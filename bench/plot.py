"""Draw the charts of docs/performance.md from bench/run.py's summary.

    .build/bench/plot/bin/python bench/plot.py bench/results/summary.json docs/performance.png docs/performance-latency.png

The first chart is the per-item cost of the loops against moto, the second the task times against
AWS-like latency; "-" in place of a file name skips that chart.

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


LATENCY_SERIES = (
    ("secrets", "seed secrets (one task)", "#1b9e77"),
    ("loop", "seed secret loop, in-process", "#7570b3"),
    ("incumbent", "community.aws loop", "#d95f02"),
)
LATENCY_SCENARIOS = (
    ("create", "create"),
    ("unchanged", "unchanged\ntokens"),
    ("unchanged_notoken", "unchanged\nno tokens"),
    ("update10", "update\n10%"),
    ("check1", "check mode\none change"),
)


def main(argv):
    summary_path, png_path = argv[0], argv[1]
    latency_png = argv[2] if len(argv) > 2 else "-"
    with open(summary_path, encoding="utf-8") as handle:
        summary = json.load(handle)
    if png_path != "-":
        per_item_chart(summary, png_path)
    if latency_png != "-" and summary.get("latency"):
        latency_chart(summary["latency"], latency_png)
    return 0


def latency_chart(entries, png_path):
    """Task time of each implementation per scenario and fleet size, log scale."""
    measured = [e for e in entries if e.get("task_s") is not None]
    sizes = sorted({e["n"] for e in measured if e["scenario"] in dict(LATENCY_SCENARIOS)})
    groups = [(n, key, label) for n in sizes for key, label in LATENCY_SCENARIOS
              if any(e["n"] == n and e["scenario"] == key for e in measured)]
    series = [s for s in LATENCY_SERIES if any(e["impl"] == s[0] for e in measured)]
    width = 0.8 / max(len(series), 1)
    fig, ax = plt.subplots(figsize=(max(8, 1.1 * len(groups) + 2), 5.6), dpi=110)
    for index, (impl, label, color) in enumerate(series):
        xs, ys = [], []
        for position, (n, key, _label) in enumerate(groups):
            found = [e for e in measured if e["impl"] == impl and e["n"] == n and e["scenario"] == key]
            if found:
                xs.append(position - 0.4 + width * (index + 0.5))
                ys.append(found[0]["task_s"])
        bars = ax.bar(xs, ys, width * 0.92, label=label, color=color)
        for rect, value in zip(bars, ys):
            ax.annotate("%.1f" % value if value < 100 else "%.0f" % value, (rect.get_x() + rect.get_width() / 2, value),
                        xytext=(0, 2), textcoords="offset points", ha="center", va="bottom", fontsize=7)
    ax.set_yscale("log")
    ax.set_xticks(range(len(groups)))
    ax.set_xticklabels(["%s\nN=%d" % (label, n) for n, _key, label in groups], fontsize=8)
    ax.set_ylabel("task seconds (log scale)")
    latency_ms = measured[0].get("latency_ms", 25) if measured else 25
    ax.set_title("Converging fleets of secrets, every API call delayed %g ms (one run each)" % latency_ms)
    ax.grid(axis="y", which="both", alpha=0.25)
    ax.legend(loc="upper left", fontsize=8)
    ax.set_ylim(top=ax.get_ylim()[1] * 3)
    fig.tight_layout()
    fig.savefig(png_path)


def per_item_chart(summary, png_path):
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


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
