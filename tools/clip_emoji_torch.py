#!/usr/bin/python3
"""PyTorch baseline of `./kontrast clip-emoji`: the same small CLIP on the same emoji pairs.

Reads the emoji folder the Kontrast sample reads (emoji-datasource-twitter@16.0.0: emoji.json and
img/twitter/64/*.png) and the split.json and vocabulary.txt that `./kontrast clip-emoji` writes
into its output directory, so both train on the same emoji and hold out the same ones. It then
trains the sample's model with the sample's settings and writes metrics.json with the sample's
keys (recall@1/5/10 both ways, zero-shot accuracy, chance levels, timing).

What is the same as the sample (ClipEmojiWalkthrough.clipModel and CaptionedImages):
- images: the 64 px PNGs composited on white and averaged down to 32 px, RGB in [0, 1];
- captions: the title, the short names, title + subcategory, "a <category> emoji: <title>"; a
  random one per image and epoch, then word dropout 0.1 (one word kept when all would go);
- words: Lucene StandardAnalyzer's split (Unicode word boundaries, lower case) approximated by a
  regular expression; the vocabulary is built as Kontrast builds it (most frequent first, ties
  alphabetical, ids 0 padding and 1 unknown) and checked against the sample's vocabulary.txt;
- image tower: conv 3x3 32/64/128 (same padding, ReLU) each followed by a 2x2 max pool, global
  average pooling, dense 128 ReLU, a bias-free projection to 64, L2 normalisation;
- text tower: embedding 64 (uniform +-0.05), learned positions (normal, sd 0.02), one pre-norm
  transformer block (4 heads, MLP 128 with exact GELU, the padding mask on the keys), layer norm,
  mean over the real words, a bias-free projection to 64, L2 normalisation;
- Glorot-uniform kernels and zero biases, as Keras and Kontrast initialise;
- the logit scale starts at ln(1/0.07), is learned, enters the loss as min(exp(s), 100) and is
  clamped at ln(100) after every step; loss: CLIP's symmetric cross-entropy, mean over the batch;
- AdamW (decoupled decay 1e-4 times the learning rate on every parameter, eps 1e-7), warmup over
  the first tenth of the steps to 2e-3 then cosine decay to 0 (step 0 has rate 0, as in
  Kontrast's schedule); 40 epochs of shuffled batches of 128, the last partial batch kept;
- evaluation: the held-out emoji's distinct canonical captions against the held-out images,
  recall@k both ways with the same relevance and chance formula; zero-shot over the nine
  categories with the prompts "an emoji of {}", "a {} emoji", "{}" averaged.

What differs: the random numbers (initial weights, shuffling, caption choice, dropout), so the
two runs are two samples of the same recipe, not the same run.

Run (after `./kontrast clip-emoji`, which writes out/clip-emoji/split.json and vocabulary.txt):
    /usr/bin/python3 tools/clip_emoji_torch.py --split out/clip-emoji --out out/clip-emoji-torch
Needs Debian's python3-torch, python3-numpy and python3-pil (/usr/bin/python3: the default
python3 on some machines is another interpreter without them).
"""

import argparse
import json
import math
import os
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

FOLDER = "emoji-datasource-twitter-16.0.0"
CATEGORIES = ["Smileys & Emotion", "People & Body", "Animals & Nature", "Food & Drink", "Travel & Places",
              "Activities", "Objects", "Symbols", "Flags"]
PROMPTS = ["an emoji of {}", "a {} emoji", "{}"]
PAD, UNK = "<pad>", "<unk>"

# UAX #29 words as Lucene's StandardTokenizer finds them in these captions: letters and digits, joined
# across an apostrophe, a full stop or a colon between two of them ("o'clock", "3.5")
WORD = re.compile(r"\w+(?:[\u0027\u2019.:\u00b7]\w+)*")


def words(text):
    return [w.lower() for w in WORD.findall(text) if not w.startswith("_")]


def find_folder(given):
    candidates = ([Path(given)] if given else []) + [Path(p) / FOLDER for p in
                                                    [os.environ.get("KONTRAST_DATA"), Path.home() / ".kontrast" / "datasets"] if p]
    for c in candidates:
        if (c / "emoji.json").is_file():
            return c
    sys.exit(f"the emoji ({FOLDER}) are not in {', '.join(map(str, candidates))}: run .ci/install-data")


def read_emoji(folder, size=32):
    """The records, captions, labels and images as Emoji.read lists them (no skin-tone variants)."""
    entries = json.loads((folder / "emoji.json").read_text(encoding="utf-8"))
    records = [e for e in entries if e["category"] in CATEGORIES and e.get("has_img_twitter") is True]
    k = 64 // size
    images = np.zeros((len(records), size, size, 3), dtype=np.float32)
    captions, labels = [], []
    for i, e in enumerate(records):
        rgba = np.asarray(Image.open(folder / "img" / "twitter" / "64" / e["image"]).convert("RGBA"), dtype=np.float32) / 255.0
        a = rgba[..., 3:4]
        over_white = rgba[..., :3] * a + (1.0 - a)
        images[i] = over_white.reshape(size, k, size, k, 3).mean(axis=(1, 3))
        title = e["name"].lower()
        short = e.get("short_names") or [e["short_name"]]
        sub = e["subcategory"].replace("_", " ").replace("-", " ")
        caps = [title] + [s.replace("_", " ").replace("-", " ") for s in short] + \
               [f"{title}, {sub}", f"a {e['category'].lower()} emoji: {title}"]
        captions.append(list(dict.fromkeys(caps)))  # distinct, in order
        labels.append(CATEGORIES.index(e["category"]))
    return records, captions, np.array(labels), images


def build_vocabulary(texts):
    counts = Counter(w for t in texts for w in words(t))
    kept = sorted((w for w in counts if w not in (PAD, UNK)), key=lambda w: (-counts[w], w))
    return [PAD, UNK] + kept


def encode(word_lists, ids, max_length):
    tokens = np.zeros((len(word_lists), max_length), dtype=np.int64)
    mask = np.zeros((len(word_lists), max_length), dtype=np.float32)
    for i, ws in enumerate(word_lists):
        for j, w in enumerate(ws[:max_length]):
            tokens[i, j] = ids.get(w, 1)
            mask[i, j] = 1.0
    return torch.from_numpy(tokens), torch.from_numpy(mask)


def glorot(module):
    for m in module.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.xavier_uniform_(m.weight)
            if m.bias is not None:
                nn.init.zeros_(m.bias)


class ImageTower(nn.Module):
    def __init__(self, d=64):
        super().__init__()
        self.convs = nn.ModuleList([nn.Conv2d(3, 32, 3, padding=1), nn.Conv2d(32, 64, 3, padding=1), nn.Conv2d(64, 128, 3, padding=1)])
        self.dense = nn.Linear(128, 128)
        self.projection = nn.Linear(128, d, bias=False)
        glorot(self)

    def forward(self, x):  # x: [N, H, W, C] as Kontrast feeds it
        x = x.permute(0, 3, 1, 2)
        for conv in self.convs:
            x = F.max_pool2d(F.relu(conv(x)), 2)
        x = F.relu(self.dense(x.mean(dim=(2, 3))))
        return F.normalize(self.projection(x), dim=-1, eps=1e-12)


class TextTower(nn.Module):
    def __init__(self, vocabulary_size, max_length, d=64, heads=4, mlp=128):
        super().__init__()
        self.heads = heads
        self.embedding = nn.Parameter(torch.empty(vocabulary_size, d).uniform_(-0.05, 0.05))
        self.positions = nn.Parameter(torch.empty(max_length, d).normal_(0.0, 0.02))
        self.norm1, self.norm2, self.norm = nn.LayerNorm(d, eps=1e-5), nn.LayerNorm(d, eps=1e-5), nn.LayerNorm(d, eps=1e-5)
        self.query, self.key, self.value, self.output = (nn.Linear(d, d) for _ in range(4))
        self.mlp1, self.mlp2 = nn.Linear(d, mlp), nn.Linear(mlp, d)
        self.projection = nn.Linear(d, d, bias=False)
        glorot(self)

    def attention(self, x, mask):
        n, length, d = x.shape
        dk = d // self.heads

        def split(t):
            return t.view(n, length, self.heads, dk).transpose(1, 2)

        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(dk) + ((mask - 1.0) * 1e9).view(n, 1, 1, length)
        joined = (scores.softmax(dim=-1) @ v).transpose(1, 2).reshape(n, length, d)
        return self.output(joined)

    def forward(self, tokens, mask):
        x = self.embedding[tokens] + self.positions
        h = x + self.attention(self.norm1(x), mask)
        h = h + self.mlp2(F.gelu(self.mlp1(self.norm2(h))))
        h = self.norm(h)
        m = mask.unsqueeze(-1)
        pooled = (h * m).sum(dim=1) / m.sum(dim=1).clamp(min=1.0)
        return F.normalize(self.projection(pooled), dim=-1, eps=1e-12)


class Clip(nn.Module):
    def __init__(self, vocabulary_size, max_length, temperature=0.07, max_scale=100.0):
        super().__init__()
        self.image = ImageTower()
        self.text = TextTower(vocabulary_size, max_length)
        self.log_scale = nn.Parameter(torch.tensor(math.log(1.0 / temperature)))
        self.max_scale = max_scale

    def loss(self, images, tokens, mask):
        a, b = self.image(images), self.text(tokens, mask)
        logits = torch.clamp(self.log_scale.exp(), max=self.max_scale) * a @ b.t()
        labels = torch.arange(len(a))
        return 0.5 * (F.cross_entropy(logits, labels) + F.cross_entropy(logits.t(), labels))

    def clamp_(self):
        with torch.no_grad():
            self.log_scale.clamp_(max=math.log(self.max_scale))


def warmup_cosine(step, peak, warmup, total):
    if step < warmup:
        return peak * step / warmup
    if step >= total:
        return 0.0
    return peak * 0.5 * (1.0 + math.cos(math.pi * (step - warmup) / (total - warmup)))


def recall(queries, gallery, query_keys, gallery_keys, ks):
    order = torch.argsort(queries @ gallery.t(), dim=1, descending=True)[:, :max(ks)]
    hit = torch.from_numpy(gallery_keys)[order] == torch.from_numpy(query_keys).unsqueeze(1)
    first = torch.where(hit.any(dim=1), hit.float().argmax(dim=1), torch.full((len(order),), 10 ** 9))
    return {k: float((first < k).float().mean()) for k in ks}


def chance(query_keys, gallery_keys, ks):
    n = len(gallery_keys)
    counts = Counter(gallery_keys.tolist())
    out = {}
    for k in ks:
        total = 0.0
        for key in query_keys.tolist():
            r, miss = counts.get(key, 0), 1.0
            for i in range(min(k, n)):
                miss *= max(0, n - r - i) / (n - i)
            total += 1 - miss
        out[k] = total / len(query_keys)
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--split", required=True, help="the sample's output directory, holding split.json and vocabulary.txt")
    p.add_argument("--data", help="the emoji folder (default: KONTRAST_DATA or ~/.kontrast/datasets, then " + FOLDER + ")")
    p.add_argument("--out", default="out/clip-emoji-torch")
    p.add_argument("--epochs", type=int, default=40)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--threads", type=int, help="intra-op threads (default: PyTorch's own choice)")
    args = p.parse_args()
    torch.manual_seed(args.seed)
    if args.threads:
        torch.set_num_threads(args.threads)
    threads = torch.get_num_threads()
    rng = np.random.default_rng(args.seed)

    folder = find_folder(args.data)
    records, captions, labels, images = read_emoji(folder)
    split = json.loads((Path(args.split) / "split.json").read_text())
    if split["emoji"] != len(records):
        sys.exit(f"split.json counts {split['emoji']} emoji, {folder} has {len(records)}")
    train, held = np.array(split["train"]), np.array(split["held_out"])
    max_length = 16
    vocabulary = build_vocabulary(c for i in train for c in captions[i])
    theirs = (Path(args.split) / "vocabulary.txt").read_text(encoding="utf-8").splitlines()
    if vocabulary != theirs:
        diff = sorted(set(vocabulary) ^ set(theirs))
        print(f"warning: the vocabulary differs from Kontrast's ({len(vocabulary)} vs {len(theirs)} ids; "
              f"words in one only: {diff[:20]}); using Kontrast's")
        vocabulary = theirs
    ids = {w: i for i, w in enumerate(vocabulary)}
    print(f"Emoji: {len(records)} from {folder}; training {len(train)}, held out {len(held)}; "
          f"vocabulary {len(vocabulary)} ids (the same as Kontrast's: {vocabulary == theirs}); torch {torch.__version__}, {threads} thread(s)")

    model = Clip(len(vocabulary), max_length)
    print(f"Parameters: {sum(t.numel() for t in model.parameters()):,}")
    steps_per_epoch = (len(train) + args.batch_size - 1) // args.batch_size
    total = steps_per_epoch * args.epochs
    warmup = max(1, total // 10)
    decay = 1e-4
    optimizer = torch.optim.AdamW(model.parameters(), lr=0.0, betas=(0.9, 0.999), eps=1e-7, weight_decay=decay)
    train_images = torch.from_numpy(images[train])
    step, step_ms, losses, temperatures = 0, [], [], []
    started = time.perf_counter()
    for epoch in range(args.epochs):
        order = rng.permutation(len(train))
        epoch_loss, epoch_temperature = [], []
        for b in range(steps_per_epoch):
            t0 = time.perf_counter()
            batch = order[b * args.batch_size:(b + 1) * args.batch_size]
            word_lists = []
            for j in batch:
                options = captions[train[j]]
                ws = words(options[rng.integers(len(options))])
                kept = [w for w in ws if rng.random() >= 0.1]
                word_lists.append(kept if kept or not ws else [ws[rng.integers(len(ws))]])
            tokens, mask = encode(word_lists, ids, max_length)
            for g in optimizer.param_groups:
                g["lr"] = warmup_cosine(step, 2e-3, warmup, total)
            loss = model.loss(train_images[batch], tokens, mask)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            model.clamp_()
            step += 1
            step_ms.append((time.perf_counter() - t0) * 1000)
            epoch_loss.append(loss.item())
            epoch_temperature.append(1.0 / math.exp(model.log_scale.item()))
        losses.append(statistics.fmean(epoch_loss))
        temperatures.append(statistics.fmean(epoch_temperature))
        print(f"epoch {epoch + 1}/{args.epochs}: loss {losses[-1]:.4f}, temperature {temperatures[-1]:.4f}", flush=True)
    seconds = time.perf_counter() - started

    model.eval()
    with torch.no_grad():
        image_embeddings = model.image(torch.from_numpy(images[held]))
        canonical = [captions[i][0] for i in held]
        distinct = list(dict.fromkeys(canonical))
        key = {c: i for i, c in enumerate(distinct)}
        image_keys = np.array([key[c] for c in canonical])
        caption_keys = np.arange(len(distinct))
        text_embeddings = model.text(*encode([words(c) for c in distinct], ids, max_length))
        ks = [1, 5, 10]
        t2i = recall(text_embeddings, image_embeddings, caption_keys, image_keys, ks)
        i2t = recall(image_embeddings, text_embeddings, image_keys, caption_keys, ks)
        class_names = [c.lower() for c in CATEGORIES]
        prompts = [t.replace("{}", c) for c in class_names for t in PROMPTS]
        prompt_embeddings = model.text(*encode([words(q) for q in prompts], ids, max_length))
        classes = F.normalize(F.normalize(prompt_embeddings, dim=-1).view(len(class_names), len(PROMPTS), -1).sum(dim=1), dim=-1)
        predicted = (image_embeddings @ classes.t()).argmax(dim=1).numpy()
        zero_shot = float((predicted == labels[held]).mean())
    majority = Counter(labels[held].tolist()).most_common(1)[0][1] / len(held)

    def at(m):
        return {f"recall_at_{k}": m[k] for k in ks}

    metrics = {
        "document": "004",
        "implementation": f"PyTorch {torch.__version__} (tools/clip_emoji_torch.py)",
        "dataset": f"emoji-datasource-twitter@16.0.0 ({len(records)} emoji, 32 px)",
        "train_pairs": len(train), "held_out_images": len(held), "epochs": args.epochs, "batch_size": args.batch_size,
        "seed": args.seed, "threads": threads,
        "text_to_image": at(t2i), "image_to_text": at(i2t), "zero_shot_accuracy": zero_shot,
        "chance": {"text_to_image": at(chance(caption_keys, image_keys, ks)), "image_to_text": at(chance(image_keys, caption_keys, ks)),
                   "zero_shot_accuracy": 1.0 / len(class_names), "zero_shot_majority_class": majority},
        "temperature": 1.0 / math.exp(model.log_scale.item()),
        "train_loss": losses, "train_temperature": temperatures,
        "step_ms_median": statistics.median(step_ms),
        "pairs_per_second": len(train) * args.epochs / seconds,
        "train_seconds": seconds,
    }
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
    print(f"\nHeld-out emoji ({len(held)} images, {len(distinct)} distinct captions):")
    print("  text -> image recall@1 %.3f  @5 %.3f  @10 %.3f" % (t2i[1], t2i[5], t2i[10]))
    print("  image -> text recall@1 %.3f  @5 %.3f  @10 %.3f" % (i2t[1], i2t[5], i2t[10]))
    print("  zero-shot accuracy %.3f over %d classes (majority class %.3f)" % (zero_shot, len(class_names), majority))
    print("  learned temperature %.4f, from 0.07" % metrics["temperature"])
    print("Training: %.0f s, median step %.1f ms, %.0f image-text pairs/s" % (seconds, metrics["step_ms_median"], metrics["pairs_per_second"]))
    print(f"Results in {out}/metrics.json")


if __name__ == "__main__":
    main()
