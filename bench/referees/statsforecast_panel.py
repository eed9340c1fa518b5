"""statsforecast's forecasts for the panel bench/forecast.ts generated: for each series, each
model fitted on the history before each backtest cut and on the whole training history, every
forecast h days long. bench/forecast.ts scores them exactly as it scores Fulcrum's.

Reads the panel JSON from argv[1], writes the forecasts JSON to argv[2]; argv[3] is the number
of worker processes.
"""
import json
import sys
import time
from multiprocessing import Pool

import numpy as np
from statsforecast.models import (
    ADIDA,
    IMAPA,
    TSB,
    AutoETS,
    CrostonClassic,
    CrostonSBA,
    SeasonalNaive,
    SimpleExponentialSmoothingOptimized,
)

H = None


def models():
    return {
        "AutoETS": lambda: AutoETS(season_length=7),
        "SeasonalNaive": lambda: SeasonalNaive(season_length=7),
        "SESOpt": lambda: SimpleExponentialSmoothingOptimized(),
        "CrostonClassic": lambda: CrostonClassic(),
        "CrostonSBA": lambda: CrostonSBA(),
        "TSB": lambda: TSB(alpha_d=0.1, alpha_p=0.1),
        "ADIDA": lambda: ADIDA(),
        "IMAPA": lambda: IMAPA(),
    }


def forecast(model, y, h):
    return [float(v) for v in model.forecast(y=np.asarray(y, dtype=float), h=h)["mean"]]


def one(task):
    series, cuts, h = task
    train = series["train"]
    out = {"final": {}, "cuts": {}, "seconds": {}}
    for name, make in models().items():
        started = time.perf_counter()
        out["cuts"][name] = [forecast(make(), train[:cut], h) for cut in cuts]
        out["final"][name] = forecast(make(), train, h)
        out["seconds"][name] = time.perf_counter() - started
    alpha_d, alpha_p = series["tsbAlphas"]
    out["final"]["TSB@fulcrum"] = forecast(TSB(alpha_d=alpha_d, alpha_p=alpha_p), train, h)
    return out


def main():
    panel = json.load(open(sys.argv[1]))
    workers = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    tasks = [(s, panel["cuts"], panel["horizon"]) for s in panel["series"]]
    started = time.perf_counter()
    with Pool(workers) as pool:
        results = pool.map(one, tasks, chunksize=8)
    json.dump({"seconds": time.perf_counter() - started, "workers": workers, "series": results}, open(sys.argv[2], "w"))


if __name__ == "__main__":
    main()
