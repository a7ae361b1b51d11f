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

An image workload (`image` [H, W, C] and conv/pool `features`, bench/workloads.ts) is built as
Conv2d/ReLU/MaxPool2d/Flatten/Linear, channels first as PyTorch users write it: the images are
laid out NCHW and the conv weights permuted once at load, and the first dense layer's columns
reordered so PyTorch's (C, H, W) flatten computes the same function as our (H, W, C) one.

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


ACTIVATIONS = {"relu": torch.nn.ReLU, "tanh": torch.nn.Tanh, "sigmoid": torch.nn.Sigmoid}


def load(req):
    """The workload's model from the shared initial weights (bench/workloads.ts paramLayers: the
    convolutions, then the dense layers, each weight then its bias, in our layout), its batches
    and its loss."""
    w = req["workload"]
    name = w["name"]
    if name in cache:
        return cache[name]
    outputs = w["layers"][-1]["units"]
    x = torch.from_numpy(np.fromfile(req["x"], dtype="<f4").reshape(w["samples"], w["inputs"]))
    y = torch.from_numpy(np.fromfile(req["y"], dtype="<f4").reshape(w["samples"], outputs))
    flat = np.fromfile(req["weights"], dtype="<f4")
    o = 0

    def take(n):
        nonlocal o
        if o + n > flat.size:
            raise ValueError(f"the weights file holds {flat.size} floats; workload {name} needs more")
        a = flat[o:o + n]
        o += n
        return a

    layers = []
    fan_in = w["inputs"]
    image = w.get("image")
    if image:
        # Ours is channels last (N, H, W, C); PyTorch convolves channels first: the images are
        # laid out NCHW once here, before any timing, as a PyTorch user's data loader gives them.
        H, W, C = image
        x = x.reshape(w["samples"], H, W, C).permute(0, 3, 1, 2).contiguous()
        for f in w.get("features", []):
            if f["type"] == "conv2d":
                k, filters = f["kernelSize"], f["filters"]
                conv = torch.nn.Conv2d(C, filters, k)
                with torch.no_grad():
                    # Ours [filters, kh, kw, c] → PyTorch [filters, c, kh, kw].
                    conv.weight.copy_(torch.from_numpy(take(filters * k * k * C).reshape(filters, k, k, C)).permute(0, 3, 1, 2))
                    conv.bias.copy_(torch.from_numpy(take(filters)))
                layers += [conv, ACTIVATIONS[f["activation"]]()]
                H, W, C = H - k + 1, W - k + 1, filters
            else:
                p = f["poolSize"]
                layers.append(torch.nn.MaxPool2d(p))
                H, W = H // p, W // p
        layers.append(torch.nn.Flatten())
        fan_in = H * W * C
    for i, layer in enumerate(w["layers"]):
        units = layer["units"]
        lin = torch.nn.Linear(fan_in, units)
        with torch.no_grad():
            # Our layout is PyTorch's: weight [units, inputs] row-major, then the bias.
            weight = torch.from_numpy(take(units * fan_in).reshape(units, fan_in))
            if image and i == 0:
                # Ours flattens (H, W, C) row-major, PyTorch's Flatten (C, H, W): the first dense
                # layer's columns are reordered to match, so both compute the same function.
                weight = weight.reshape(units, H, W, C).permute(0, 3, 1, 2).reshape(units, fan_in)
            lin.weight.copy_(weight)
            lin.bias.copy_(torch.from_numpy(take(units)))
        layers.append(lin)
        # The output activation is folded into the loss (from logits), as PyTorch users write it.
        if i < len(w["layers"]) - 1:
            layers.append(ACTIVATIONS[layer["activation"]]())
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
