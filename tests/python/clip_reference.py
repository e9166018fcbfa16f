#!/usr/bin/python3
"""Independent reference for the Java CLIP pieces (issue 7); writes the small test fixtures.

Written from OpenAI CLIP's published architecture and tokenizer description, not from the
Java code it checks. Needs Debian's python3-torch, python3-pil, python3-numpy and python3-regex
(PyPI is not used: safetensors are written by hand below). Run from the repository root:

    /usr/bin/python3 tests/python/clip_reference.py

Outputs (deterministic: a re-run rewrites identical bytes):
  spark-job/src/test/resources/clip-reference/
      tokenizer-cases.json           texts -> ids with the real 49408-token vocabulary (context 77)
      openclip/open_clip_config.json + open_clip_model.safetensors     tiny model, OpenAI keys, F32
      hf/config.json + model.safetensors + vocab.json + merges.txt    same model, HF keys, F16/BF16
      images/*.png                   the inputs of the forward pass
      reference.json + reference.safetensors   captions, token ids, pixel values, features, logits
      openclip-gelu/                 the same tensors, config without quick_gelu: open_clip's nn.GELU (exact erf)
      reference-gelu.json + reference-gelu.safetensors   features and logits of that GELU model (same inputs)
  common/src/test/resources/pillow-reference/
      *.png + cases.json             Pillow bicubic resizes (the torchvision eval transform on PIL)

Text cleanup: CLIP runs ftfy.fix_text first; ftfy is not packaged for Debian, so this reference
applies Unicode NFC instead (ftfy's last step), exactly like the Java tokenizer. The tokenizer
cases are chosen so that ftfy would leave them unchanged.
"""

import argparse
import gzip
import html
import json
import math
import os
import struct
import unicodedata

import numpy as np
import regex
import torch
from PIL import Image

CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
CLIP_STD = (0.26862954, 0.26130258, 0.27577711)
SOT, EOT = "<|startoftext|>", "<|endoftext|>"


# ----------------------------------------------------------------------------------- tokenizer

def byte_symbols():
    """Byte value -> the printable character CLIP's BPE uses for it (printable Latin-1 keep
    their own character, the other 68 bytes get 256, 257, ... in byte order)."""
    keep = [b for b in range(256)
            if ord("!") <= b <= ord("~") or ord("\u00a1") <= b <= ord("\u00ac") or ord("\u00ae") <= b <= ord("\u00ff")]
    table = {b: chr(b) for b in keep}
    extra = 0
    for b in range(256):
        if b not in table:
            table[b] = chr(256 + extra)
            extra += 1
    # Vocabulary order is: the kept bytes in byte order, then the others in byte order.
    order = keep + [b for b in range(256) if b not in keep]
    return table, [table[b] for b in order]


class BpeTokenizer:
    PATTERN = regex.compile(
        r"""<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+""",
        regex.IGNORECASE)

    def __init__(self, merges):
        self.byte_table, base = byte_symbols()
        vocab = base + [s + "</w>" for s in base] + ["".join(m) for m in merges] + [SOT, EOT]
        self.vocab = vocab
        self.ids = {tok: i for i, tok in enumerate(vocab)}
        self.rank = {m: r for r, m in enumerate(merges)}
        self.sot, self.eot = self.ids[SOT], self.ids[EOT]

    @staticmethod
    def from_openai_file(path, n_merges=48894):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            lines = f.read().split("\n")
        return BpeTokenizer([tuple(line.split()) for line in lines[1:1 + n_merges]])

    @staticmethod
    def clean(text):
        text = html.unescape(html.unescape(unicodedata.normalize("NFC", text))).strip()
        return regex.sub(r"\s+", " ", text).strip().lower()

    def bpe(self, piece):
        if piece in (SOT, EOT):
            return [piece]
        symbols = list(piece[:-1]) + [piece[-1] + "</w>"]
        while len(symbols) > 1:
            ranked = [(self.rank.get((a, b), math.inf), k) for k, (a, b) in enumerate(zip(symbols, symbols[1:]))]
            best = min(ranked)[0]
            if best == math.inf:
                break
            first, second = next((symbols[k], symbols[k + 1]) for r, k in ranked if r == best)
            merged, k = [], 0
            while k < len(symbols):
                if k + 1 < len(symbols) and symbols[k] == first and symbols[k + 1] == second:
                    merged.append(first + second)
                    k += 2
                else:
                    merged.append(symbols[k])
                    k += 1
            symbols = merged
        return symbols

    def encode_words(self, text):
        out = []
        for piece in self.PATTERN.findall(self.clean(text)):
            mapped = "".join(self.byte_table[b] for b in piece.encode("utf-8"))
            out.extend(self.ids[s] for s in self.bpe(mapped))
        return out

    def tokenize(self, text, context_length):
        """clip.tokenize(text, context_length, truncate=True)."""
        ids = [self.sot] + self.encode_words(text) + [self.eot]
        if len(ids) > context_length:
            ids = ids[:context_length]
            ids[-1] = self.eot
        return ids + [0] * (context_length - len(ids))


# ----------------------------------------------------------------------------------- safetensors

def write_safetensors(path, tensors, metadata=None):
    """tensors: name -> (dtype string, torch tensor already in that dtype). Header keys sorted,
    data in the same order, header padded with spaces to a multiple of 8 bytes."""
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name in sorted(tensors):
        dtype, t = tensors[name]
        t = t.contiguous()
        if dtype == "BF16":
            raw = t.view(torch.int16).numpy().astype("<i2").tobytes()
        else:
            raw = t.numpy().astype({"F32": "<f4", "F16": "<f2", "I64": "<i8"}[dtype]).tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - (8 + len(text)) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


# ----------------------------------------------------------------------------------- model

class Tiny:
    image_size, patch_size, vision_width, vision_layers, vision_heads = 32, 8, 16, 2, 2
    context_length, text_width, text_layers, text_heads = 16, 12, 2, 2
    embed_dim = 10
    tiny_merges = 126  # tiny vocabulary: 512 byte symbols + the first 126 real merges + SOT + EOT = 640


def make_weights(vocab_size, seed=7):
    """Random OpenAI-named weights, every value exactly representable in BF16 and F16 (so the F32,
    F16 and BF16 files below hold the very same model)."""
    g = torch.Generator().manual_seed(seed)
    w = {}

    def rand(shape, std, mean=0.0):
        t = torch.randn(shape, generator=g, dtype=torch.float64) * std + mean
        t = t.to(torch.bfloat16).to(torch.float64)
        t[t.abs() < 2.0 ** -14] = 0.0  # keep clear of F16 subnormals
        assert torch.equal(t.to(torch.float16).to(torch.float64), t)
        return t

    def blocks(prefix, width, layers):
        for i in range(layers):
            p = f"{prefix}.resblocks.{i}."
            w[p + "ln_1.weight"], w[p + "ln_1.bias"] = rand([width], 0.1, 1.0), rand([width], 0.1)
            w[p + "attn.in_proj_weight"] = rand([3 * width, width], width ** -0.5)
            w[p + "attn.in_proj_bias"] = rand([3 * width], 0.1)
            w[p + "attn.out_proj.weight"] = rand([width, width], width ** -0.5)
            w[p + "attn.out_proj.bias"] = rand([width], 0.1)
            w[p + "ln_2.weight"], w[p + "ln_2.bias"] = rand([width], 0.1, 1.0), rand([width], 0.1)
            w[p + "mlp.c_fc.weight"] = rand([4 * width, width], width ** -0.5)
            w[p + "mlp.c_fc.bias"] = rand([4 * width], 0.1)
            w[p + "mlp.c_proj.weight"] = rand([width, 4 * width], (4 * width) ** -0.5)
            w[p + "mlp.c_proj.bias"] = rand([width], 0.1)

    t, W, T, E = Tiny, Tiny.vision_width, Tiny.text_width, Tiny.embed_dim
    grid = t.image_size // t.patch_size
    w["visual.conv1.weight"] = rand([W, 3, t.patch_size, t.patch_size], (3 * t.patch_size ** 2) ** -0.5)
    w["visual.class_embedding"] = rand([W], 0.5)
    w["visual.positional_embedding"] = rand([grid * grid + 1, W], 0.5)
    w["visual.ln_pre.weight"], w["visual.ln_pre.bias"] = rand([W], 0.1, 1.0), rand([W], 0.1)
    blocks("visual.transformer", W, t.vision_layers)
    w["visual.ln_post.weight"], w["visual.ln_post.bias"] = rand([W], 0.1, 1.0), rand([W], 0.1)
    w["visual.proj"] = rand([W, E], W ** -0.5)
    w["token_embedding.weight"] = rand([vocab_size, T], 0.5)
    w["positional_embedding"] = rand([t.context_length, T], 0.5)
    blocks("transformer", T, t.text_layers)
    w["ln_final.weight"], w["ln_final.bias"] = rand([T], 0.1, 1.0), rand([T], 0.1)
    w["text_projection"] = rand([T, E], T ** -0.5)
    w["logit_scale"] = torch.tensor(math.log(1 / 0.07), dtype=torch.float64).to(torch.bfloat16).to(torch.float64)
    return w


def layer_norm(x, w, b, eps=1e-5):
    mu = x.mean(-1, keepdim=True)
    var = ((x - mu) ** 2).mean(-1, keepdim=True)
    return (x - mu) / torch.sqrt(var + eps) * w + b


def mlp_activation(h, act):
    """open_clip's MLP activation: QuickGELU when quick_gelu is set, else nn.GELU (the exact erf form)."""
    if act == "quick_gelu":
        return h * torch.sigmoid(1.702 * h)
    assert act == "gelu", act
    return 0.5 * h * (1.0 + torch.erf(h / math.sqrt(2.0)))


def residual_block(x, w, p, heads, causal, act="quick_gelu"):
    """Pre-LN block: x + attn(ln_1(x)), then + mlp(ln_2(x)); packed q/k/v, QuickGELU or GELU MLP."""
    n, width = x.shape[-2], x.shape[-1]
    hd = width // heads
    h = layer_norm(x, w[p + "ln_1.weight"], w[p + "ln_1.bias"])
    qkv = h @ w[p + "attn.in_proj_weight"].T + w[p + "attn.in_proj_bias"]
    q, k, v = (qkv[..., i * width:(i + 1) * width].reshape(-1, n, heads, hd).transpose(1, 2) for i in range(3))
    scores = q @ k.transpose(-1, -2) / math.sqrt(hd)
    if causal:
        scores = scores + torch.full((n, n), float("-inf"), dtype=x.dtype).triu(1)
    a = torch.softmax(scores, dim=-1) @ v
    a = a.transpose(1, 2).reshape(-1, n, width)
    x = x + a @ w[p + "attn.out_proj.weight"].T + w[p + "attn.out_proj.bias"]
    h = layer_norm(x, w[p + "ln_2.weight"], w[p + "ln_2.bias"])
    h = h @ w[p + "mlp.c_fc.weight"].T + w[p + "mlp.c_fc.bias"]
    h = mlp_activation(h, act)
    return x + h @ w[p + "mlp.c_proj.weight"].T + w[p + "mlp.c_proj.bias"]


def encode_image(w, pixels, act="quick_gelu"):
    t = Tiny
    x = torch.nn.functional.conv2d(pixels, w["visual.conv1.weight"], stride=t.patch_size)  # [B, W, g, g]
    x = x.flatten(2).transpose(1, 2)                                                     # [B, g*g, W]
    cls = w["visual.class_embedding"].expand(x.shape[0], 1, -1)
    x = torch.cat([cls, x], dim=1) + w["visual.positional_embedding"]
    x = layer_norm(x, w["visual.ln_pre.weight"], w["visual.ln_pre.bias"])
    for i in range(t.vision_layers):
        x = residual_block(x, w, f"visual.transformer.resblocks.{i}.", t.vision_heads, causal=False, act=act)
    x = layer_norm(x[:, 0, :], w["visual.ln_post.weight"], w["visual.ln_post.bias"])
    return x @ w["visual.proj"]


def encode_text(w, ids, act="quick_gelu"):
    t = Tiny
    x = w["token_embedding.weight"][ids] + w["positional_embedding"]
    for i in range(t.text_layers):
        x = residual_block(x, w, f"transformer.resblocks.{i}.", t.text_heads, causal=True, act=act)
    x = layer_norm(x, w["ln_final.weight"], w["ln_final.bias"])
    return x[torch.arange(x.shape[0]), ids.argmax(dim=-1)] @ w["text_projection"]


def clip_logits(w, image_features, text_features):
    i = image_features / image_features.norm(dim=-1, keepdim=True)
    t = text_features / text_features.norm(dim=-1, keepdim=True)
    return w["logit_scale"].exp() * i @ t.T


def torch_modules_forward(w, pixels, ids, act="quick_gelu"):
    """The same towers built from torch.nn modules the way OpenAI's model.py builds them
    (nn.MultiheadAttention with a packed in_proj, nn.LayerNorm, nn.Conv2d; the MLP activation as
    open_clip picks it: QuickGELU, else nn.GELU()): a second path that must agree with the
    hand-written one above."""
    nn = torch.nn
    t = Tiny
    gelu = nn.GELU()

    def activation(h):
        return h * torch.sigmoid(1.702 * h) if act == "quick_gelu" else gelu(h)

    def tower(prefix, width, heads, layers, x, mask):
        for i in range(layers):
            p = f"{prefix}.resblocks.{i}."
            attn = nn.MultiheadAttention(width, heads).double()
            ln_1, ln_2 = nn.LayerNorm(width).double(), nn.LayerNorm(width).double()
            c_fc, c_proj = nn.Linear(width, 4 * width).double(), nn.Linear(4 * width, width).double()
            with torch.no_grad():
                attn.in_proj_weight.copy_(w[p + "attn.in_proj_weight"])
                attn.in_proj_bias.copy_(w[p + "attn.in_proj_bias"])
                attn.out_proj.weight.copy_(w[p + "attn.out_proj.weight"])
                attn.out_proj.bias.copy_(w[p + "attn.out_proj.bias"])
                for m, n in ((ln_1, "ln_1"), (ln_2, "ln_2"), (c_fc, "mlp.c_fc"), (c_proj, "mlp.c_proj")):
                    m.weight.copy_(w[p + n + ".weight"])
                    m.bias.copy_(w[p + n + ".bias"])
            h = ln_1(x).transpose(0, 1)  # nn.MultiheadAttention wants [L, B, W]
            x = x + attn(h, h, h, need_weights=False, attn_mask=mask)[0].transpose(0, 1)
            h = c_fc(ln_2(x))
            x = x + c_proj(activation(h))
        return x

    def ln(x, name, width):
        m = nn.LayerNorm(width).double()
        with torch.no_grad():
            m.weight.copy_(w[name + ".weight"])
            m.bias.copy_(w[name + ".bias"])
        return m(x)

    conv = nn.Conv2d(3, t.vision_width, t.patch_size, stride=t.patch_size, bias=False).double()
    with torch.no_grad():
        conv.weight.copy_(w["visual.conv1.weight"])
    x = conv(pixels).reshape(pixels.shape[0], t.vision_width, -1).permute(0, 2, 1)
    cls = w["visual.class_embedding"] + torch.zeros(x.shape[0], 1, x.shape[-1], dtype=x.dtype)
    x = ln(torch.cat([cls, x], dim=1) + w["visual.positional_embedding"], "visual.ln_pre", t.vision_width)
    x = tower("visual.transformer", t.vision_width, t.vision_heads, t.vision_layers, x, None)
    image = ln(x[:, 0, :], "visual.ln_post", t.vision_width) @ w["visual.proj"]
    mask = torch.empty(t.context_length, t.context_length, dtype=torch.float64).fill_(float("-inf")).triu_(1)
    x = nn.functional.embedding(ids, w["token_embedding.weight"]) + w["positional_embedding"]
    x = ln(tower("transformer", t.text_width, t.text_heads, t.text_layers, x, mask), "ln_final", t.text_width)
    text = x[torch.arange(x.shape[0]), ids.argmax(dim=-1)] @ w["text_projection"]
    return image, text


def to_hugging_face(w):
    """OpenAI keys -> transformers CLIPModel keys: q/k/v split, Linear projections [out, in]."""
    t = Tiny
    hf = {}

    def blocks(src, dst, width, layers):
        for i in range(layers):
            s, d = f"{src}.resblocks.{i}.", f"{dst}.encoder.layers.{i}."
            for j, name in enumerate("qkv"):
                hf[d + f"self_attn.{name}_proj.weight"] = w[s + "attn.in_proj_weight"][j * width:(j + 1) * width]
                hf[d + f"self_attn.{name}_proj.bias"] = w[s + "attn.in_proj_bias"][j * width:(j + 1) * width]
            pairs = {"attn.out_proj": "self_attn.out_proj", "ln_1": "layer_norm1", "ln_2": "layer_norm2",
                     "mlp.c_fc": "mlp.fc1", "mlp.c_proj": "mlp.fc2"}
            for a, b in pairs.items():
                hf[d + b + ".weight"], hf[d + b + ".bias"] = w[s + a + ".weight"], w[s + a + ".bias"]

    hf["vision_model.embeddings.class_embedding"] = w["visual.class_embedding"]
    hf["vision_model.embeddings.patch_embedding.weight"] = w["visual.conv1.weight"]
    hf["vision_model.embeddings.position_embedding.weight"] = w["visual.positional_embedding"]
    hf["vision_model.pre_layrnorm.weight"], hf["vision_model.pre_layrnorm.bias"] = w["visual.ln_pre.weight"], w["visual.ln_pre.bias"]
    blocks("visual.transformer", "vision_model", t.vision_width, t.vision_layers)
    hf["vision_model.post_layernorm.weight"], hf["vision_model.post_layernorm.bias"] = w["visual.ln_post.weight"], w["visual.ln_post.bias"]
    hf["visual_projection.weight"] = w["visual.proj"].T
    hf["text_model.embeddings.token_embedding.weight"] = w["token_embedding.weight"]
    hf["text_model.embeddings.position_embedding.weight"] = w["positional_embedding"]
    blocks("transformer", "text_model", t.text_width, t.text_layers)
    hf["text_model.final_layer_norm.weight"], hf["text_model.final_layer_norm.bias"] = w["ln_final.weight"], w["ln_final.bias"]
    hf["text_projection.weight"] = w["text_projection"].T
    hf["logit_scale"] = w["logit_scale"]
    return hf


# ----------------------------------------------------------------------------------- images

def make_image(rng, width, height, stripes=0):
    """Gradients, a disc and noise (or fine stripes), so resampling has edges and detail to get wrong."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    r = 255 * x / max(width - 1, 1)
    g = 255 * y / max(height - 1, 1)
    # Stripes: one-pixel columns (the worst case for aliasing) on smooth rows, which PNG stores compactly.
    b = 255 - g if stripes else 128 + 100 * np.sin(x / 3.0) * np.cos(y / 5.0)
    disc = (x - width * 0.6) ** 2 + (y - height * 0.4) ** 2 < (min(width, height) * 0.3) ** 2
    img = np.stack([r, g, b], axis=-1)
    img[disc] = (250, 30, 60)
    if stripes:
        img[(x.astype(int) // stripes) % 2 == 1] *= 0.3
    else:
        img += rng.normal(0, 25, img.shape)
    return Image.fromarray(np.clip(np.rint(img), 0, 255).astype(np.uint8), "RGB")


def eval_transform(img, size):
    """torchvision Resize(size, BICUBIC) + CenterCrop(size) on a PIL image, then ToTensor + Normalize."""
    resized = resize_shorter(img, size)
    left, top = int(round((resized.width - size) / 2.0)), int(round((resized.height - size) / 2.0))
    crop = resized.crop((left, top, left + size, top + size))
    arr = np.asarray(crop, dtype=np.float64) / 255.0
    arr = (arr - np.array(CLIP_MEAN)) / np.array(CLIP_STD)
    return arr.transpose(2, 0, 1), resized, (left, top)


def resize_shorter(img, size):
    w, h = img.size
    nw, nh = (size, int(size * h / w)) if w <= h else (int(size * w / h), size)
    return img.resize((nw, nh), Image.BICUBIC)


# ----------------------------------------------------------------------------------- main

TOKENIZER_TEXTS = [
    "a photo of a cat",
    "a photo of a dog",
    "a diagram",
    "A Photo of a DOG.",
    "a bad photo of the tench!?",
    "itap of a {}.",
    "it's a dog's life, isn't it? we'll see; they've gone, i'm here, you'd know, they're back",
    "1984 was 20 years before 2004; pi = 3.14159",
    "caf\u00e9 na\u00efve r\u00e9sum\u00e9",
    "cafe\u0301 (decomposed accent)",
    "\u00dcber Stra\u00dfe",
    "\u041f\u0440\u0438\u0432\u0435\u0442, \u043c\u0438\u0440",
    "\u65e5\u672c\u306e\u732b",
    "a cat \U0001F431 on a mat",
    "fish &amp; chips &lt;3 &#39;quoted&#39; &amp;amp; &nbsp;done",
    "  lots\tof\n\nwhite   space  ",
    "",
    " ".join(["the quick brown fox jumps over the lazy dog"] * 12),
    "supercalifragilisticexpialidocious antidisestablishmentarianism",
]

CAPTIONS = [
    "a photo of a cat",
    "a diagram of a red square",
    "two dogs playing in the snow",
    "an over-long caption that goes on and on well past the sixteen token context of the tiny model",
]


def save_json(path, obj):
    """One top-level key per line: readable diffs without one line per number."""
    with open(path, "w", encoding="utf-8") as f:
        f.write("{\n" + ",\n".join(json.dumps(k) + ": " + json.dumps(v, ensure_ascii=True) for k, v in obj.items())
                + "\n}\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bpe", default="../shared/clip/bpe_simple_vocab_16e6.txt.gz")
    ap.add_argument("--model-out", default="spark-job/src/test/resources/clip-reference")
    ap.add_argument("--pillow-out", default="common/src/test/resources/pillow-reference")
    args = ap.parse_args()
    torch.set_num_threads(1)

    real = BpeTokenizer.from_openai_file(args.bpe)
    assert len(real.vocab) == 49408 and real.sot == 49406 and real.eot == 49407
    published = real.tokenize("a photo of a cat", 77)[:7]
    assert published == [49406, 320, 1125, 539, 320, 2368, 49407], published
    out = args.model_out
    for sub in ("", "openclip", "hf", "images"):
        os.makedirs(os.path.join(out, sub), exist_ok=True)
    save_json(os.path.join(out, "tokenizer-cases.json"), {
        "vocabulary": "bpe_simple_vocab_16e6.txt.gz", "context_length": 77, "vocab_size": len(real.vocab),
        "cases": [{"text": t, "cleaned": real.clean(t), "ids": real.tokenize(t, 77)} for t in TOKENIZER_TEXTS]})

    # The tiny model's own vocabulary: byte symbols + a prefix of the real merges (each merge only
    # uses symbols made by earlier ones, so any prefix is a valid BPE vocabulary).
    with gzip.open(args.bpe, "rt", encoding="utf-8") as f:
        merges = [tuple(line.split()) for line in f.read().split("\n")[1:1 + Tiny.tiny_merges]]
    tiny_tok = BpeTokenizer(merges)
    vocab_size = len(tiny_tok.vocab)
    with open(os.path.join(out, "hf", "vocab.json"), "w", encoding="utf-8") as f:
        json.dump({tok: i for i, tok in enumerate(tiny_tok.vocab)}, f, ensure_ascii=False, separators=(",", ":"))
    with open(os.path.join(out, "hf", "merges.txt"), "w", encoding="utf-8") as f:
        f.write("#version: 0.2\n" + "".join(f"{a} {b}\n" for a, b in merges))

    w = make_weights(vocab_size)
    t = Tiny
    model_cfg = {"embed_dim": t.embed_dim, "quick_gelu": True,
                 "vision_cfg": {"image_size": t.image_size, "layers": t.vision_layers, "width": t.vision_width,
                                "head_width": t.vision_width // t.vision_heads, "patch_size": t.patch_size},
                 "text_cfg": {"context_length": t.context_length, "vocab_size": vocab_size, "width": t.text_width,
                              "heads": t.text_heads, "layers": t.text_layers}}
    save_json(os.path.join(out, "openclip", "open_clip_config.json"), {
        "model_cfg": model_cfg,
        "preprocess_cfg": {"mean": list(CLIP_MEAN), "std": list(CLIP_STD), "interpolation": "bicubic",
                           "resize_mode": "shortest"}})
    write_safetensors(os.path.join(out, "openclip", "open_clip_model.safetensors"),
                      {k: ("F32", v.to(torch.float32)) for k, v in w.items()}, {"format": "pt"})

    hf_cfg = {"architectures": ["CLIPModel"], "model_type": "clip", "projection_dim": t.embed_dim,
              "logit_scale_init_value": 2.6592, "torch_dtype": "float16",
              "text_config": {"model_type": "clip_text_model", "vocab_size": vocab_size,
                              "hidden_size": t.text_width, "intermediate_size": 4 * t.text_width,
                              "num_hidden_layers": t.text_layers, "num_attention_heads": t.text_heads,
                              "max_position_embeddings": t.context_length, "hidden_act": "quick_gelu",
                              "layer_norm_eps": 1e-05, "projection_dim": t.embed_dim,
                              "bos_token_id": tiny_tok.sot, "eos_token_id": tiny_tok.eot, "pad_token_id": 1},
              "vision_config": {"model_type": "clip_vision_model", "hidden_size": t.vision_width,
                                "intermediate_size": 4 * t.vision_width, "num_hidden_layers": t.vision_layers,
                                "num_attention_heads": t.vision_heads, "image_size": t.image_size,
                                "patch_size": t.patch_size, "num_channels": 3, "hidden_act": "quick_gelu",
                                "layer_norm_eps": 1e-05, "projection_dim": t.embed_dim}}
    save_json(os.path.join(out, "hf", "config.json"), hf_cfg)
    hf = {}
    for k, v in to_hugging_face(w).items():
        # Vision in F16, text in BF16, logit scale in F32: one file exercises every supported dtype.
        if k == "logit_scale":
            hf[k] = ("F32", v.to(torch.float32))
        elif k.startswith("vision_model.") or k == "visual_projection.weight":
            hf[k] = ("F16", v.to(torch.float16))
        else:
            hf[k] = ("BF16", v.to(torch.bfloat16))
    grid = t.image_size // t.patch_size
    # Older transformers checkpoints carry these int64 buffers; a loader must skip them.
    hf["text_model.embeddings.position_ids"] = ("I64", torch.arange(t.context_length).unsqueeze(0))
    hf["vision_model.embeddings.position_ids"] = ("I64", torch.arange(grid * grid + 1).unsqueeze(0))
    write_safetensors(os.path.join(out, "hf", "model.safetensors"), hf, {"format": "pt"})

    rng = np.random.RandomState(11)
    images = {"landscape-40x30.png": make_image(rng, 40, 30), "portrait-30x45.png": make_image(rng, 30, 45),
              "square-32x32.png": make_image(rng, 32, 32)}
    pixels = []
    for name in sorted(images):
        images[name].save(os.path.join(out, "images", name))
        pixels.append(eval_transform(Image.open(os.path.join(out, "images", name)).convert("RGB"), t.image_size)[0])
    # The forward pass runs in float64 on exactly the float32 values the Java side will read.
    pixels = torch.tensor(np.stack(pixels)).to(torch.float32).to(torch.float64)
    ids = torch.tensor([tiny_tok.tokenize(c, t.context_length) for c in CAPTIONS])
    with torch.no_grad():
        image_features = encode_image(w, pixels)
        text_features = encode_text(w, ids)
        logits = clip_logits(w, image_features, text_features)
        image_check, text_check = torch_modules_forward(w, pixels, ids)
        assert torch.allclose(image_check, image_features, rtol=1e-10, atol=1e-12), "image tower disagrees with nn modules"
        assert torch.allclose(text_check, text_features, rtol=1e-10, atol=1e-12), "text tower disagrees with nn modules"
    write_safetensors(os.path.join(out, "reference.safetensors"), {
        "pixel_values": ("F32", pixels.to(torch.float32)),
        "image_features": ("F32", image_features.to(torch.float32)),
        "text_features": ("F32", text_features.to(torch.float32)),
        "logits_per_image": ("F32", logits.to(torch.float32))})
    save_json(os.path.join(out, "reference.json"), {
        "images": sorted(images), "captions": CAPTIONS, "token_ids": ids.tolist(),
        "context_length": t.context_length, "vocab_size": vocab_size, "sot_id": tiny_tok.sot, "eot_id": tiny_tok.eot,
        "image_size": t.image_size, "features_are": "unnormalised tower outputs; logits = exp(logit_scale) * "
                                                    "normalised image @ normalised text ^T",
        "image_features": image_features.tolist(), "text_features": text_features.tolist(),
        "logits_per_image": logits.tolist(), "logit_scale": float(w["logit_scale"])})

    # The same tensors as an open_clip model without quick_gelu: open_clip builds it with nn.GELU.
    gelu_cfg = {k: v for k, v in model_cfg.items() if k != "quick_gelu"}
    os.makedirs(os.path.join(out, "openclip-gelu"), exist_ok=True)
    save_json(os.path.join(out, "openclip-gelu", "open_clip_config.json"), {
        "model_cfg": gelu_cfg,
        "preprocess_cfg": {"mean": list(CLIP_MEAN), "std": list(CLIP_STD), "interpolation": "bicubic",
                           "resize_mode": "shortest"}})
    write_safetensors(os.path.join(out, "openclip-gelu", "open_clip_model.safetensors"),
                      {k: ("F32", v.to(torch.float32)) for k, v in w.items()}, {"format": "pt"})
    with torch.no_grad():
        gelu_image = encode_image(w, pixels, act="gelu")
        gelu_text = encode_text(w, ids, act="gelu")
        gelu_logits = clip_logits(w, gelu_image, gelu_text)
        image_check, text_check = torch_modules_forward(w, pixels, ids, act="gelu")
        assert torch.allclose(image_check, gelu_image, rtol=1e-10, atol=1e-12), "GELU image tower disagrees with nn modules"
        assert torch.allclose(text_check, gelu_text, rtol=1e-10, atol=1e-12), "GELU text tower disagrees with nn modules"
        assert not torch.allclose(gelu_image, image_features, rtol=1e-3), "GELU and QuickGELU must differ here"
    write_safetensors(os.path.join(out, "reference-gelu.safetensors"), {
        "image_features": ("F32", gelu_image.to(torch.float32)),
        "text_features": ("F32", gelu_text.to(torch.float32)),
        "logits_per_image": ("F32", gelu_logits.to(torch.float32))})
    save_json(os.path.join(out, "reference-gelu.json"), {
        "model": "openclip-gelu (no quick_gelu: nn.GELU, exact erf)", "inputs": "pixel_values and token_ids of"
        " reference.safetensors / reference.json", "image_features": gelu_image.tolist(),
        "text_features": gelu_text.tolist(), "logits_per_image": gelu_logits.tolist()})

    pout = args.pillow_out
    os.makedirs(pout, exist_ok=True)
    cases = []
    sources = {"noise-97x61.png": (make_image(rng, 97, 61), 32), "noise-23x17.png": (make_image(rng, 23, 17), 64),
               "stripes-320x240.png": (make_image(rng, 320, 240, stripes=2), 224),
               "portrait-61x97.png": (make_image(rng, 61, 97), 32)}
    for name, (img, size) in sources.items():
        img.save(os.path.join(pout, name))
        _, resized, (left, top) = eval_transform(Image.open(os.path.join(pout, name)).convert("RGB"), size)
        resized_name = name[:-4] + f"-bicubic-{resized.width}x{resized.height}.png"
        resized.save(os.path.join(pout, resized_name))
        cases.append({"source": name, "size": size, "resized": resized_name, "resized_width": resized.width,
                      "resized_height": resized.height, "crop_left": left, "crop_top": top})
    save_json(os.path.join(pout, "cases.json"), {
        "what": "Pillow " + Image.__version__ + " img.resize((w, h), Image.BICUBIC) of each source, shorter side to"
                " size as torchvision.transforms.Resize(size) computes it; crop_* = CenterCrop(size) offsets",
        "cases": cases})


if __name__ == "__main__":
    main()
