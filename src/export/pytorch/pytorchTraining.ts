/**
 * The training half of the PyTorch script: loss, optimizer and loop with our engine's exact
 * semantics (see src/engine/backend.ts): losses are batch means (categorical cross-entropy sums
 * over classes first), L1/L2 add l1·sign(w) + 2·l2·w to the gradient (a penalty l1·Σ|w| + l2·Σw²
 * that is not part of the reported loss), Keras-style SGD momentum equals torch's SGD with
 * dampening 0, and torch's Adam and RMSprop use the same ε placement as ours.
 */
import type { TrainingPlan } from '../trainingPlan';

/** The loss function's Python source for the plan's loss. */
export function torchLossSource(t: TrainingPlan & { imageOutput?: boolean }): string {
  const body: Record<string, string> = {
    'binary_crossentropy:true': 'return F.binary_cross_entropy_with_logits(out, y)  # sigmoid folded in; mean over all elements',
    'binary_crossentropy:false': 'p = clamp_probabilities(out)\n    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()',
    'categorical_crossentropy:true': 'return -(y * F.log_softmax(out, dim=1)).sum(dim=1).mean()  # softmax folded in; sum over classes, mean over rows',
    'categorical_crossentropy:false': 'return -(y * torch.log(clamp_probabilities(out))).sum(dim=1).mean()  # sum over classes, mean over rows',
    'mse:true': 'return F.mse_loss(out, y)',
    'mse:false': 'return F.mse_loss(out, y)  # mean over all elements',
  };
  const clamp = t.fromLogits || t.loss === 'mse' ? '' : `def clamp_probabilities(p):
    """Clamps to [EPSILON, 1 - EPSILON] but lets the gradient through unclipped, as Neural Canvas's loss kernels do."""
    return p + (p.clamp(EPSILON, 1 - EPSILON) - p).detach()


`;
  const flat = t.imageOutput ? '    out = out.reshape(y.shape)  # an image output ([N, H, W, C]) is compared as rows, as Neural Canvas does\n' : '';
  return `${clamp}def data_loss(out, y):\n    """${t.loss}${t.fromLogits ? ' on logits' : ''}, averaged over the batch as Neural Canvas reports it."""\n${flat}    ${body[`${t.loss}:${t.fromLogits}`]}\n`;
}

/** The rest of the script: optimizer, weights I/O, the training loop with optional DDP, and main(). */
export const PY_TRAINING = `
def penalty(model):
    """L1/L2 on the dense weights (l1*sum|w| + l2*sum w^2): adds l1*sign(w) + 2*l2*w to each gradient."""
    total = 0.0
    if L1 == 0 and L2 == 0:
        return total
    params = dict(model.named_parameters())
    for name in REGULARIZED:
        w = params[PARAMETER_NAMES[name]]
        total = total + L1 * w.abs().sum() + L2 * (w * w).sum()
    return total


def make_optimizer(params):
    o = OPTIMIZER
    if o["type"] == "sgd":
        return torch.optim.SGD(params, lr=o["learning_rate"], momentum=o["momentum"], nesterov=o["nesterov"], dampening=0.0)
    if o["type"] == "adam":
        return torch.optim.Adam(params, lr=o["learning_rate"], betas=(o["beta1"], o["beta2"]), eps=o["epsilon"])
    return torch.optim.RMSprop(params, lr=o["learning_rate"], alpha=o["rho"], eps=o["epsilon"], momentum=0.0, centered=False)


def module_tensors(model):
    """The module's parameters and buffers (batch norm's moving statistics) by name."""
    return {**dict(model.named_parameters()), **dict(model.named_buffers())}


def load_weights(model, tensors, source):
    """Copies {our name: (shape, values)} into the module, checking every shape (conv kernels permuted to torch's layout)."""
    params = module_tensors(model)
    with torch.no_grad():
        for ours, theirs in PARAMETER_NAMES.items():
            if ours not in tensors:
                sys.exit(f"{source}: no tensor '{ours}'; retrain in Neural Canvas or export again.")
            shape, values = tensors[ours]
            value = torch.tensor(values, dtype=torch.float32).reshape(shape)
            if ours in TORCH_LAYOUT and value.dim() == len(TORCH_LAYOUT[ours]):
                value = value.permute(*TORCH_LAYOUT[ours])
            if list(params[theirs].shape) != list(value.shape):
                sys.exit(f"{source}: '{ours}' has shape {shape}, the network needs {[params[theirs].shape[i] for i in inverse(TORCH_LAYOUT.get(ours, range(params[theirs].dim())))]}.")
            params[theirs].copy_(value)


def inverse(permutation):
    permutation = list(permutation)
    return [permutation.index(i) for i in range(len(permutation))]


def save_weights(model, path):
    """Writes the weights in Neural Canvas's names and layouts (conv kernels back to [filters, kh, kw, C])."""
    params = module_tensors(model)
    tensors = {}
    for ours, theirs in PARAMETER_NAMES.items():
        value = params[theirs].detach().cpu()
        if ours in TORCH_LAYOUT:
            value = value.permute(*inverse(TORCH_LAYOUT[ours])).contiguous()
        tensors[ours] = (list(value.shape), value.reshape(-1).tolist())
    write_safetensors(path, tensors, {"format": "nn/1", "producer": "pytorch export"})


def split_inputs(x):
    return torch.split(x, INPUT_SIZES, dim=1)


def evaluate(model, x, y):
    """Loss and accuracy (classification) on a whole split, without dropout."""
    model.eval()
    with torch.no_grad():
        out = model(*split_inputs(x), logits=FROM_LOGITS)
        loss = data_loss(out, y).item()
        accuracy = None
        if LOSS == "binary_crossentropy":
            prob = torch.sigmoid(out) if FROM_LOGITS else out
            accuracy = ((prob >= 0.5).float() == y).float().mean().item()
        elif LOSS == "categorical_crossentropy":
            accuracy = (out.argmax(dim=1) == y.argmax(dim=1)).float().mean().item()
    model.train()
    return loss, accuracy


def train(args):
    if len(OUTPUTS) != 1:
        sys.exit(f"This network has {len(OUTPUTS)} outputs ({', '.join(OUTPUTS)}); the exported training loop trains a network with one output. Use Network() directly.")
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    distributed = world > 1
    cuda = torch.cuda.is_available() and not args.cpu
    if distributed:
        # Under torchrun: one process per device; gloo on CPU, nccl on GPUs.
        torch.distributed.init_process_group("nccl" if cuda else "gloo")
    device = torch.device(f"cuda:{local_rank}" if cuda else "cpu")
    torch.manual_seed(SEED)

    model = Network()
    weights = args.weights or os.path.join(HERE, WEIGHTS_FILE)
    if os.path.exists(weights):
        load_weights(model, read_safetensors(weights), weights)
        if rank == 0:
            print(f"loaded weights from {weights}", file=sys.stderr)
    elif INLINE_WEIGHTS:
        load_weights(model, INLINE_WEIGHTS, "the hand-set weights in the .nn file")
    model.to(device)
    net = model
    if distributed:
        net = torch.nn.parallel.DistributedDataParallel(model, device_ids=[local_rank] if cuda else None)

    (train_x, train_y), val = load_rows(args.data or os.path.join(HERE, DATA_FILE or "missing_data.csv"))
    x = torch.tensor(train_x, dtype=torch.float32)
    y = torch.tensor(train_y, dtype=torch.float32)
    dataset = torch.utils.data.TensorDataset(x, y)
    # The file's batch size is the global batch: each of the N processes takes an equal share.
    per_process = max(1, BATCH_SIZE // world)
    if distributed and BATCH_SIZE % world and rank == 0:
        print(f"note: batch size {BATCH_SIZE} does not divide by {world} processes; each takes {per_process}.", file=sys.stderr)
    sampler = None
    if distributed:
        sampler = torch.utils.data.distributed.DistributedSampler(dataset, num_replicas=world, rank=rank, shuffle=SHUFFLE, seed=SEED)
    elif SHUFFLE:
        sampler = EngineOrder(len(dataset), SEED)  # the same batches, in the same order, as Neural Canvas
    loader = torch.utils.data.DataLoader(dataset, batch_size=per_process, sampler=sampler)
    dropouts = [m for m in model.modules() if isinstance(m, EngineDropout)]
    optimizer = make_optimizer(model.parameters())

    epochs = args.epochs if args.epochs is not None else EPOCHS
    best, best_state, waited, step = math.inf, None, 0, 0
    for epoch in range(1, epochs + 1):
        if distributed:
            sampler.set_epoch(epoch)
        net.train()
        total, count = 0.0, 0
        for xb, yb in loader:
            xb, yb = xb.to(device), yb.to(device)
            step += 1
            for m in dropouts:
                m.step = step
            optimizer.zero_grad()
            loss = data_loss(net(*split_inputs(xb), logits=FROM_LOGITS), yb)
            (loss + penalty(model)).backward()
            optimizer.step()
            total += loss.item() * len(xb)
            count += len(xb)
            if args.json_log and rank == 0:
                print(json.dumps({"epoch": epoch, "step": step, "loss": loss.item(), "rows": len(xb)}), flush=True)
        if distributed:
            # Every process must see the same epoch loss, or early stopping would split them.
            sums = torch.tensor([total, float(count)], dtype=torch.float64, device=device)
            torch.distributed.all_reduce(sums)
            total, count = sums[0].item(), int(sums[1].item())
        report = {"epoch": epoch, "loss": total / max(count, 1)}
        if val is not None:
            vx = torch.tensor(val[0], dtype=torch.float32, device=device)
            vy = torch.tensor(val[1], dtype=torch.float32, device=device)
            report["val_loss"], report["val_accuracy"] = evaluate(model, vx, vy)
        if rank == 0 and not args.json_log:
            print("  ".join(f"{k} {v:.6g}" if isinstance(v, float) else f"{k} {v}" for k, v in report.items() if v is not None))
        if EARLY_STOPPING:
            watched = report.get(EARLY_STOPPING["monitor"], report["loss"])
            if watched < best - EARLY_STOPPING["min_delta"]:
                best, waited = watched, 0
                if EARLY_STOPPING["restore_best_weights"]:
                    best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
            else:
                waited += 1
                if waited >= EARLY_STOPPING["patience"]:
                    if rank == 0:
                        print(f"early stop after epoch {epoch}: {EARLY_STOPPING['monitor']} did not improve for {waited} epochs", file=sys.stderr)
                    # As in Neural Canvas, the best weights come back only when training stopped early.
                    if best_state is not None:
                        model.load_state_dict(best_state)
                    break
    if rank == 0:
        save = args.save or os.path.join(HERE, SAVE_FILE)
        save_weights(model, save)
        print(f"saved weights to {save}", file=sys.stderr)
    if distributed:
        torch.distributed.destroy_process_group()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, help=f"epochs to train (default {EPOCHS})")
    parser.add_argument("--data", help="data CSV (default: the one exported beside this script)")
    parser.add_argument("--weights", help="initial weights, safetensors (default: WEIGHTS_FILE beside this script, when present)")
    parser.add_argument("--save", help="where to write the trained weights (safetensors, Neural Canvas names)")
    parser.add_argument("--json-log", action="store_true", help="print one JSON line per optimizer step")
    parser.add_argument("--cpu", action="store_true", help="train on the CPU even when CUDA is available")
    train(parser.parse_args())


if __name__ == "__main__":
    main()
`;
