"""PyTorch CPU peer for `npm run bench`: trains one workload with SGD on one thread.

Usage: pytorch.py WORKLOAD_JSON X_FILE Y_FILE BUDGET_MS
The workload JSON is bench/workloads.ts's Workload; X and Y are raw little-endian float32 files
with the very bytes the other implementations train on. Prints one JSON line:
{"samplesPerSec": ..., "torch": version, "threads": 1}.
"""
import json
import sys
import time

import numpy as np
import torch

torch.set_num_threads(1)
w = json.loads(sys.argv[1])
x = torch.from_numpy(np.fromfile(sys.argv[2], dtype="<f4").reshape(w["samples"], w["inputs"]))
outputs = w["layers"][-1]["units"]
y = torch.from_numpy(np.fromfile(sys.argv[3], dtype="<f4").reshape(w["samples"], outputs))
budget = float(sys.argv[4]) / 1000.0
torch.manual_seed(1234)

layers = []
fan_in = w["inputs"]
for i, layer in enumerate(w["layers"]):
    layers.append(torch.nn.Linear(fan_in, layer["units"]))
    last = i == len(w["layers"]) - 1
    # The output activation is folded into the loss (from logits), as PyTorch users write it.
    if not last:
        layers.append({"relu": torch.nn.ReLU, "tanh": torch.nn.Tanh, "sigmoid": torch.nn.Sigmoid}[layer["activation"]]())
    fan_in = layer["units"]
model = torch.nn.Sequential(*layers)
if w["loss"] == "binary_crossentropy":
    loss_fn = torch.nn.BCEWithLogitsLoss()
    targets = y
else:
    loss_fn = torch.nn.CrossEntropyLoss()
    targets = y.argmax(dim=1)
opt = torch.optim.SGD(model.parameters(), lr=w["learningRate"])
B = w["batch"]
batches = [(x[i * B:(i + 1) * B], targets[i * B:(i + 1) * B]) for i in range(w["samples"] // B)]


def step(b):
    xb, yb = batches[b]
    opt.zero_grad(set_to_none=True)
    loss = loss_fn(model(xb), yb)
    loss.backward()
    opt.step()


b = 0
warm_end = time.perf_counter() + min(0.5, budget / 6)
while True:
    step(b)
    b = (b + 1) % len(batches)
    if time.perf_counter() >= warm_end:
        break
start = time.perf_counter()
samples = steps = 0
while steps < 2 or time.perf_counter() - start < budget:
    step(b)
    b = (b + 1) % len(batches)
    samples += B
    steps += 1
elapsed = time.perf_counter() - start
print(json.dumps({"samplesPerSec": samples / elapsed, "torch": torch.__version__, "threads": torch.get_num_threads()}))
