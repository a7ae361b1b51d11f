/**
 * Python ports of the engine's random streams (src/engine/random.ts and dropoutUniform in
 * src/engine/backend.ts), so a single-process run of the exported script shuffles its batches
 * and drops units exactly as Neural Canvas does, and its losses match step by step.
 */

/** EngineRandom (xoshiro128** seeded through splitmix32, as src/engine/random.ts), EngineOrder (its epoch shuffles) and EngineDropout. */
export const PY_ENGINE_RANDOM = `
MASK32 = 0xFFFFFFFF


def rotl32(x, k):
    return ((x << k) | (x >> (32 - k))) & MASK32


class EngineRandom:
    """Neural Canvas's seeded generator (xoshiro128** seeded through splitmix32), bit for bit."""

    def __init__(self, seed):
        x = seed & MASK32
        state = []
        for _ in range(4):
            x = (x + 0x9E3779B9) & MASK32
            z = x
            z = ((z ^ (z >> 16)) * 0x85EBCA6B) & MASK32
            z = ((z ^ (z >> 13)) * 0xC2B2AE35) & MASK32
            state.append(z ^ (z >> 16))
        if not any(state):
            state[0] = 1
        self.s = state

    def next(self):
        s0, s1, s2, s3 = self.s
        result = (rotl32((s1 * 5) & MASK32, 7) * 9) & MASK32
        t = (s1 << 9) & MASK32
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl32(s3, 11)
        self.s = [s0, s1, s2, s3]
        return result / 4294967296

    def shuffle(self, items):
        for i in range(len(items) - 1, 0, -1):
            j = math.floor(self.next() * (i + 1))
            items[i], items[j] = items[j], items[i]


class EngineOrder(torch.utils.data.Sampler):
    """The engine's batch order: one Fisher-Yates pass per epoch over the previous epoch's order."""

    def __init__(self, count, seed):
        self.order = list(range(count))
        self.random = EngineRandom((seed ^ 0x2545F491) & MASK32)

    def __iter__(self):
        self.random.shuffle(self.order)
        return iter(list(self.order))

    def __len__(self):
        return len(self.order)


def lowbias32(x):
    """A 32-bit integer hash (works on Python ints and int64 tensors)."""
    x = x ^ (x >> 16)
    x = (x * 0x7FEB352D) & MASK32
    x = x ^ (x >> 15)
    x = (x * 0x846CA68B) & MASK32
    return x ^ (x >> 16)


class EngineDropout(nn.Module):
    """Inverted dropout with Neural Canvas's mask: keep element i at step t when u(seed, t, i) >= p."""

    def __init__(self, p, stream):
        super().__init__()
        self.p = p
        # Each dropout node has its own stream, numbered in topological order, as in the engine.
        self.seed = (SEED + 7919 * stream) & MASK32
        self.step = 1  # the 1-based optimizer step, set by the training loop before each forward

    def forward(self, x):
        if not self.training or self.p <= 0:
            return x
        h = lowbias32(lowbias32((self.seed ^ 0x9E3779B9) & MASK32) ^ (self.step & MASK32))
        index = torch.arange(x.numel(), dtype=torch.int64, device=x.device)
        u = (lowbias32(index ^ h) >> 8).to(torch.float64) / 16777216.0
        mask = ((u >= self.p).to(torch.float64) / (1 - self.p)).to(x.dtype)
        if x.dim() == 4:
            # An image held channels first: the engine numbers its elements channels last (N, H, W, C).
            n, c, h, w = x.shape
            return x * mask.reshape(n, h, w, c).permute(0, 3, 1, 2)
        return x * mask.reshape(x.shape)
`;
