#!/usr/bin/python3
"""One CLIP training step in PyTorch on the CPU, for `bin/carot bench` to compare its DL4J step with.

The same architecture as the Java graph (OpenAI CLIP: pre-LN transformer blocks, packed q/k/v, QuickGELU,
causal text attention, EOT pooling, normalised features times a learnable logit scale) with the shapes given
on the command line; the symmetric InfoNCE loss; AdamW. Prints one line:

    pytorch step_seconds=<median> peak_mb=<MB> batch=<B> threads=<T> params=<N> torch=<version> blas=<library>

peak_mb: the process's peak resident memory during the measured steps minus its resident memory just before the
model is built (the bench measures the DL4J step the same way). blas: the BLAS library torch's matrix products
actually ran on. Debian's torch is built against the generic libblas.so.3 (torch.__config__ says BLAS_INFO=generic)
and gets whichever implementation Debian's alternatives point that name at: the netlib reference BLAS unless
OpenBLAS is installed. A step timed on the reference BLAS is no baseline (its matrix products run an order of
magnitude slower), so the script prints `pytorch skipped: <reason>` instead, as it does when torch cannot be
imported (Debian: apt-get install -y python3-torch libopenblas0-pthread).
"""

import argparse
import math
import os
import re
import statistics
import sys
import time

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError as e:  # pragma: no cover - depends on the machine
    print(f"pytorch skipped: {e} (install Debian's python3-torch and libopenblas0-pthread)")
    sys.exit(0)

INSTALL_OPENBLAS = "apt-get install -y libopenblas0-pthread"


def blas_library():
    """(name, usable): the BLAS torch was built with, or for a generic build the library loaded as libblas.so.3."""
    info = re.search(r"BLAS_INFO=(\w+)", torch.__config__.show())
    built = info.group(1) if info else "unknown"
    if built != "generic":
        return built, True
    torch.ones(2, 2) @ torch.ones(2, 2)  # a product through BLAS, so the library is loaded
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line}
    names = sorted(os.path.basename(os.path.dirname(p)) + "/" + os.path.basename(p) for p in paths)
    optimised = [n for n in names if "openblas" in n or "mkl" in n or "blis" in n or "atlas" in n]
    if optimised:
        return "generic:" + optimised[0], True
    return "generic:" + (names[0] if names else "none loaded"), False


def status_kb(field):
    with open("/proc/self/status") as status:
        return int(re.search(field + r":\s+(\d+)", status.read()).group(1))


def reset_peak_rss():
    """Linux: restart VmHWM at the current resident size (clear_refs 5); False where it cannot."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
        return True
    except OSError:
        return False


class Block(nn.Module):
    def __init__(self, width, heads, causal, context):
        super().__init__()
        self.ln_1, self.ln_2 = nn.LayerNorm(width), nn.LayerNorm(width)
        self.attn = nn.MultiheadAttention(width, heads, batch_first=True)
        self.c_fc, self.c_proj = nn.Linear(width, 4 * width), nn.Linear(4 * width, width)
        self.mask = torch.full((context, context), float("-inf")).triu(1) if causal else None

    def forward(self, x):
        h = self.ln_1(x)
        x = x + self.attn(h, h, h, need_weights=False, attn_mask=self.mask)[0]
        h = self.c_fc(self.ln_2(x))
        return x + self.c_proj(h * torch.sigmoid(1.702 * h))


class Clip(nn.Module):
    def __init__(self, a):
        super().__init__()
        grid = a.image_size // a.patch_size
        self.conv1 = nn.Conv2d(3, a.vision_width, a.patch_size, a.patch_size, bias=False)
        self.class_embedding = nn.Parameter(torch.randn(a.vision_width) * 0.02)
        self.visual_pos = nn.Parameter(torch.randn(grid * grid + 1, a.vision_width) * 0.01)
        self.ln_pre, self.ln_post = nn.LayerNorm(a.vision_width), nn.LayerNorm(a.vision_width)
        self.visual = nn.Sequential(*[Block(a.vision_width, a.vision_heads, False, grid * grid + 1)
                                      for _ in range(a.vision_layers)])
        self.visual_proj = nn.Parameter(torch.randn(a.vision_width, a.embed_dim) * a.vision_width ** -0.5)
        self.token_embedding = nn.Embedding(a.vocab_size, a.text_width)
        self.text_pos = nn.Parameter(torch.randn(a.context_length, a.text_width) * 0.01)
        self.text = nn.Sequential(*[Block(a.text_width, a.text_heads, True, a.context_length)
                                    for _ in range(a.text_layers)])
        self.ln_final = nn.LayerNorm(a.text_width)
        self.text_projection = nn.Parameter(torch.randn(a.text_width, a.embed_dim) * a.text_width ** -0.5)
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))

    def forward(self, pixels, ids):
        x = self.conv1(pixels).flatten(2).transpose(1, 2)
        x = torch.cat([self.class_embedding.expand(x.shape[0], 1, -1), x], dim=1) + self.visual_pos
        x = self.ln_post(self.visual(self.ln_pre(x))[:, 0, :]) @ self.visual_proj
        t = self.ln_final(self.text(self.token_embedding(ids) + self.text_pos))
        t = t[torch.arange(t.shape[0]), ids.argmax(dim=-1)] @ self.text_projection
        x, t = F.normalize(x, dim=-1), F.normalize(t, dim=-1)
        logits = self.logit_scale.exp() * x @ t.T
        target = torch.arange(logits.shape[0])
        return (F.cross_entropy(logits, target) + F.cross_entropy(logits.T, target)) / 2


def main():
    p = argparse.ArgumentParser()
    for name, default in [("image-size", 32), ("patch-size", 8), ("vision-width", 64), ("vision-layers", 2),
                          ("vision-heads", 4), ("text-width", 64), ("text-layers", 2), ("text-heads", 4),
                          ("context-length", 16), ("vocab-size", 64), ("embed-dim", 64), ("batch", 32),
                          ("threads", 1), ("steps", 20)]:
        p.add_argument("--" + name, type=int, default=default)
    a = p.parse_args()
    blas, usable = blas_library()
    if not usable:
        print(f"pytorch skipped: torch runs on the reference BLAS ({blas}), no baseline; install OpenBLAS"
              f" ({INSTALL_OPENBLAS})")
        return
    torch.manual_seed(0)
    torch.set_num_threads(a.threads)
    rss_before_model = status_kb("VmRSS")
    model = Clip(a)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-5, weight_decay=0.1)
    pixels = torch.randn(a.batch, 3, a.image_size, a.image_size)
    ids = torch.randint(1, a.vocab_size - 1, (a.batch, a.context_length))
    ids[:, a.context_length // 2] = a.vocab_size - 1  # EOT: the highest id, as CLIP's
    times, sampled_peak_kb, exact_peak = [], 0, False
    for step in range(a.steps + 3):
        if step == 3:  # warm-up done
            exact_peak = reset_peak_rss()
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        model(pixels, ids).backward()
        opt.step()
        if step >= 3:
            times.append(time.perf_counter() - t0)
            sampled_peak_kb = max(sampled_peak_kb, status_kb("VmRSS"))
    peak_kb = status_kb("VmHWM") if exact_peak else sampled_peak_kb
    params = sum(q.numel() for q in model.parameters())
    print(f"pytorch step_seconds={statistics.median(times):.5f} peak_mb={(peak_kb - rss_before_model) / 1024:.0f}"
          f" batch={a.batch} threads={a.threads} params={params} torch={torch.__version__} blas={blas}")


if __name__ == "__main__":
    main()
