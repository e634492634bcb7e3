#!/usr/bin/python3
"""PyTorch's side of `./kontrast bench --suite simclr`: SimCLR training steps, augmentation included.

Usage: bench_simclr.py BATCH STEPS WARMUP WORKERS. Prints
`median_ms peak_rss_bytes images_per_s feed_ms wait_ms` as its last line, as the Kontrast side does.

The same work as the Kontrast side (samples' SimclrBenchmark): images from BenchInputs (input 0,
mapped to [0, 1)), two views of each made by the sample's digit recipe (random resized crop to
28x28 at scale 0.3-1 and ratio 3/4-4/3, bilinear with antialiasing; brightness and contrast
jitter of 0.4 in a random order with p = 0.8; a 3x3 Gaussian blur with sigma 0.1-2 with p = 0.5),
the small CNN of simclr-mnist (conv 32 3x3 relu, max-pool 2, conv 64 3x3 relu, max-pool 2,
flatten, dense 128 relu: 223,744 parameters), the projector dense 128 relu + dense 64, NT-Xent at
t = 0.5 over the 2B projections, Adam 1e-3.

The views are made the usual PyTorch way: per image in a Dataset, batched by a DataLoader whose
WORKERS processes (0: the training process itself) prepare batches ahead of the step, as
Kontrast's prefetch thread does. A step's time is the interval between two steps' ends, so it holds
the wait for the batch. feed_ms is the median time a worker spent making one batch, wait_ms the
median time the step waited for it. The peak RSS is the training process's plus its workers'
(their peaks added: an upper bound, as the workers share pages with it).
"""
import math
import os
import random
import resource
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_losses import nt_xent, uniform  # noqa: E402  (the script's directory, put first above)

SIZE = 28


def random_box(rng, scale=(0.3, 1.0), ratio=(3 / 4, 4 / 3)):
    """torchvision's RandomResizedCrop.get_params on a SIZE x SIZE image: (top, left, h, w)."""
    area = SIZE * SIZE
    for _ in range(10):
        target = area * rng.uniform(*scale)
        r = math.exp(rng.uniform(math.log(ratio[0]), math.log(ratio[1])))
        w = int(round(math.sqrt(target * r)))
        h = int(round(math.sqrt(target / r)))
        if 0 < w <= SIZE and 0 < h <= SIZE:
            return rng.randint(0, SIZE - h), rng.randint(0, SIZE - w), h, w
    return 0, 0, SIZE, SIZE


def blur(img, sigma):
    """A 3x3 Gaussian blur of a [1, H, W] image, reflecting at the border."""
    x = torch.arange(-1, 2, dtype=torch.float32)
    k = torch.exp(-(x * x) / (2 * sigma * sigma))
    k = k / k.sum()
    padded = F.pad(img[None], (1, 1, 1, 1), mode="reflect")
    out = F.conv2d(padded, k.view(1, 1, 1, 3))
    return F.conv2d(out, k.view(1, 1, 3, 1))[0]


def view(img, rng):
    top, left, h, w = random_box(rng)
    v = F.interpolate(img[None, :, top:top + h, left:left + w], size=(SIZE, SIZE), mode="bilinear",
                      align_corners=False, antialias=True)[0]
    if rng.random() < 0.8:
        b, c = rng.uniform(0.6, 1.4), rng.uniform(0.6, 1.4)
        for step in rng.sample(["brightness", "contrast"], 2):
            if step == "brightness":
                v = (v * b).clamp(0, 1)
            else:
                v = (c * v + (1 - c) * v.mean()).clamp(0, 1)
    if rng.random() < 0.5:
        v = blur(v, rng.uniform(0.1, 2.0))
    return v


class Views(torch.utils.data.Dataset):
    """Two views of every image; each item also says how long it took to make."""

    def __init__(self, images):
        self.images = images

    def __len__(self):
        return self.images.shape[0]

    def __getitem__(self, i):
        start = time.perf_counter()
        rng = random.Random(i)
        img = self.images[i]
        v1, v2 = view(img, rng), view(img, rng)
        return v1, v2, torch.tensor(time.perf_counter() - start, dtype=torch.float64)


def encoder():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(5 * 5 * 64, 128), nn.ReLU())


def main():
    if len(sys.argv) != 5:
        print("usage: bench_simclr.py BATCH STEPS WARMUP WORKERS", file=sys.stderr)
        sys.exit(2)
    batch, steps, warmup, workers = (int(a) for a in sys.argv[1:])
    count = batch * (steps + warmup)
    images = torch.from_numpy((uniform(0, count * SIZE * SIZE) + 1) / 2).view(count, 1, SIZE, SIZE)
    torch.manual_seed(3)
    model = nn.Sequential(encoder(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 64))
    assert sum(p.numel() for p in model[0].parameters()) == 223744
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loader = torch.utils.data.DataLoader(Views(images), batch_size=batch, shuffle=True, num_workers=workers,
                                         prefetch_factor=2 if workers > 0 else None)

    step_ms, feed_ms, wait_ms = [], [], []
    it = iter(loader)
    last = time.perf_counter()
    for _ in range(steps + warmup):
        t0 = time.perf_counter()
        v1, v2, made = next(it)
        wait_ms.append((time.perf_counter() - t0) * 1000)
        feed_ms.append(made.sum().item() * 1000)
        optimizer.zero_grad()
        loss = nt_xent(model(v1), model(v2))
        loss.backward()
        optimizer.step()
        if not math.isfinite(loss.item()):
            raise RuntimeError("the loss is %r" % loss.item())
        now = time.perf_counter()
        step_ms.append((now - last) * 1000)
        last = now
    del it, loader  # ends the workers, so that their peak RSS is counted
    median = statistics.median(step_ms[warmup:])
    # ru_maxrss is in kilobytes on Linux; the children's is the largest ended child's
    rss = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) * 1024
    print("%s %d %s %s %s" % (median, rss, batch / (median / 1000), statistics.median(feed_ms[warmup:]),
                              statistics.median(wait_ms[warmup:])))


if __name__ == "__main__":
    main()
