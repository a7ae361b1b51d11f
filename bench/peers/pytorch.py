"""PyTorch CPU peer for `npm run bench`: trains workloads with SGD on a fixed number of threads.

Usage: pytorch.py THREADS [DEVICE]
DEVICE is `cpu` (default) or `cuda` (the bench's GPU row, bench/gpu.bench.ts: data, weights and
training on the GPU, timed to finished work with torch.cuda.synchronize()).
Reads one JSON request a line on stdin (bench/contender.ts's RoundRequest: the workload, raw
little-endian float32 files of the inputs, targets and initial weights, and a time budget) and
answers one JSON line: {"samplesPerSec", "losses", "threads", "torch"}.

The thread count is pinned twice: torch.set_num_threads(THREADS) for PyTorch's own pool, and
OPENBLAS_NUM_THREADS / OMP_NUM_THREADS / MKL_NUM_THREADS in the environment (set by
bench/peers/pytorch.ts before Python starts), because Debian's torch multiplies with OpenBLAS,
which ignores set_num_threads.

Every run starts from the initial weights in the request (the ones ours trains from), trains
whole epochs over the rows in order (no shuffling; the smaller last batch included, as
DataLoader's default drop_last=False does and as train() does), and reports each epoch's mean
training loss, so the bench can compare losses after the same steps.
"""
import copy
import json
import sys
import time

import numpy as np
import torch

THREADS = int(sys.argv[1]) if len(sys.argv) > 1 else 1
DEVICE = torch.device(sys.argv[2] if len(sys.argv) > 2 else "cpu")
torch.set_num_threads(THREADS)
MAX_LOSSES = 20
cache = {}


def load(req):
    w = req["workload"]
    name = w["name"]
    if name in cache:
        return cache[name]
    outputs = w["layers"][-1]["units"]
    x = torch.from_numpy(np.fromfile(req["x"], dtype="<f4").reshape(w["samples"], w["inputs"]))
    y = torch.from_numpy(np.fromfile(req["y"], dtype="<f4").reshape(w["samples"], outputs))
    flat = np.fromfile(req["weights"], dtype="<f4")
    layers = []
    fan_in, o = w["inputs"], 0
    for i, layer in enumerate(w["layers"]):
        units = layer["units"]
        lin = torch.nn.Linear(fan_in, units)
        with torch.no_grad():
            # Our layout is PyTorch's: weight [units, inputs] row-major, then the bias.
            lin.weight.copy_(torch.from_numpy(flat[o:o + units * fan_in].reshape(units, fan_in)))
            o += units * fan_in
            lin.bias.copy_(torch.from_numpy(flat[o:o + units]))
            o += units
        layers.append(lin)
        # The output activation is folded into the loss (from logits), as PyTorch users write it.
        if i < len(w["layers"]) - 1:
            layers.append({"relu": torch.nn.ReLU, "tanh": torch.nn.Tanh, "sigmoid": torch.nn.Sigmoid}[layer["activation"]]())
        fan_in = units
    if o != flat.size:
        raise ValueError(f"the weights file holds {flat.size} floats; workload {name} needs {o}")
    initial = torch.nn.Sequential(*layers).to(DEVICE)
    x, y = x.to(DEVICE), y.to(DEVICE)
    if w["loss"] == "binary_crossentropy":
        loss_fn, targets = torch.nn.BCEWithLogitsLoss(), y
    else:
        loss_fn, targets = torch.nn.CrossEntropyLoss(), y.argmax(dim=1)
    B = w["batch"]
    batches = [(x[i:i + B], targets[i:i + B]) for i in range(0, w["samples"], B)]
    entry = {"initial": initial, "loss_fn": loss_fn, "batches": batches, "epochs": None}
    cache[name] = entry
    return entry


def sync():
    if DEVICE.type == "cuda":
        torch.cuda.synchronize()


def train(entry, lr, epochs):
    """Trains a fresh copy of the initial model; returns (seconds, per-epoch mean losses)."""
    model = copy.deepcopy(entry["initial"])
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    loss_fn, batches = entry["loss_fn"], entry["batches"]
    losses = []
    sync()
    start = time.perf_counter()
    for _ in range(epochs):
        total = torch.zeros((), device=DEVICE)
        rows = 0
        for xb, yb in batches:
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
            total += loss.detach() * xb.shape[0]
            rows += xb.shape[0]
        losses.append(total / rows)
    sync()
    elapsed = time.perf_counter() - start
    return elapsed, [float(v) for v in losses[:MAX_LOSSES]]


def answer(req):
    w = req["workload"]
    entry = load(req)
    lr = w["learningRate"]
    budget = float(req["budgetMs"]) / 1000.0
    if entry["epochs"] is None:
        # Warm-up and calibration: runs of 1, 2, 4 … epochs until a sixth of the budget is spent
        # (up to three short runs); the last run's time per epoch sets the epochs that fill the budget.
        warm_end = time.perf_counter() + budget / 6
        epochs, runs = 1, 0
        while True:
            secs, _ = train(entry, lr, epochs)
            per_epoch = secs / epochs
            epochs *= 2
            runs += 1
            if not (runs < 3 and secs < budget / 6) and time.perf_counter() >= warm_end:
                break
        entry["epochs"] = max(1, min(100000, round(budget / max(1e-6, per_epoch))))
    epochs = entry["epochs"]
    secs, losses = train(entry, lr, epochs)
    return {"samplesPerSec": epochs * w["samples"] / secs, "losses": losses, "threads": torch.get_num_threads(), "torch": torch.__version__, "device": str(DEVICE)}


for line in sys.stdin:
    if not line.strip():
        continue
    try:
        out = answer(json.loads(line))
    except Exception as e:  # the bench prints the reason in place of a figure
        out = {"samplesPerSec": float("nan"), "error": f"{type(e).__name__}: {e}"}
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
