#!/usr/bin/python3
"""PyTorch's side of `./kontrast bench --suite losses`: one loss, forward and backward, full form.

Usage: bench_losses.py LOSS N D REPEATS WARMUP, LOSS one of nt_xent, info_nce, clip. Prints
`median_ms peak_rss_bytes loss_value` as its last line, as the Kontrast side does. The inputs are
the Kontrast side's (samples' BenchInputs: SplitMix64 in integer arithmetic, the top 24 bits as a
float in [-1, 1)), so the loss values must agree. The losses are written the
usual PyTorch way (normalised embeddings, one [N,N] similarity matrix, F.cross_entropy), with the
defaults Kontrast uses: NT-Xent t = 0.5 on two views of N/2 examples, InfoNCE t = 0.07 with in-batch
negatives, CLIP with the logit scale exp(log(1/0.07)) clamped at 100.
"""
import math
import resource
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F


def uniform(k, count):
    """Input k's first count values, bit for bit those of Kontrast's BenchInputs.uniform."""
    x = (np.uint64(k) << np.uint64(40)) | np.arange(count, dtype=np.uint64)
    z = x + np.uint64(0x9E3779B97F4A7C15)  # uint64 arrays wrap around, as Java's long does
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(40)).astype(np.float32) * np.float32(2.0 ** -23) - np.float32(1.0)


def embeddings(k, rows, d):
    return torch.from_numpy(uniform(k, rows * d).reshape(rows, d)).requires_grad_()


def nt_xent(z1, z2, t=0.5):
    z = F.normalize(torch.cat([z1, z2]), dim=1)
    logits = z @ z.T / t
    n = z.shape[0]
    logits = logits.masked_fill(torch.eye(n, dtype=torch.bool), float("-inf"))
    targets = (torch.arange(n) + n // 2) % n
    return F.cross_entropy(logits, targets)


def info_nce(q, k, t=0.07):
    logits = F.normalize(q, dim=1) @ F.normalize(k, dim=1).T / t
    return F.cross_entropy(logits, torch.arange(q.shape[0]))


def clip(img, txt, log_scale):
    scale = log_scale.exp().clamp(max=100.0)
    logits = scale * F.normalize(img, dim=1) @ F.normalize(txt, dim=1).T
    targets = torch.arange(img.shape[0])
    return (F.cross_entropy(logits, targets) + F.cross_entropy(logits.T, targets)) / 2


def main():
    if len(sys.argv) != 6:
        print("usage: bench_losses.py LOSS N D REPEATS WARMUP", file=sys.stderr)
        sys.exit(2)
    loss, n, d, repeats, warmup = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    if loss == "nt_xent":
        inputs = [embeddings(0, n // 2, d), embeddings(1, n // 2, d)]
        fn = nt_xent
    elif loss == "info_nce":
        inputs = [embeddings(0, n, d), embeddings(1, n, d)]
        fn = info_nce
    elif loss == "clip":
        # float32, as Kontrast's ClipLoss.INITIAL_LOG_LOGIT_SCALE
        inputs = [embeddings(0, n, d), embeddings(1, n, d),
                  torch.tensor(math.log(1 / 0.07), dtype=torch.float32, requires_grad=True)]
        fn = clip
    else:
        print("loss: expected nt_xent, info_nce or clip, got '%s'" % loss, file=sys.stderr)
        sys.exit(2)

    value = [float("nan")]

    def step():
        for x in inputs:
            x.grad = None
        start = time.perf_counter()
        out = fn(*inputs)
        out.backward()
        elapsed = (time.perf_counter() - start) * 1000
        value[0] = out.item()
        return elapsed

    for _ in range(warmup):
        step()
    times = [step() for _ in range(repeats)]
    # ru_maxrss is in kilobytes on Linux
    print("%s %d %r" % (statistics.median(times), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, value[0]))


if __name__ == "__main__":
    main()
