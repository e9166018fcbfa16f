#!/usr/bin/env python3
"""Lists which GPU architectures a CUDA library carries code for, without the CUDA toolkit.

    deploy/gpu/list-cuda-archs.py libnd4jcuda.so        (unzip it from the nd4j-cuda jar first)

Reads the ELF's .nv_fatbin section: a run of fatbin containers (u32 magic 0xBA55ED50, u16 version,
u16 header size, u64 payload size), each holding entries (u16 kind: 1 = PTX, 2 = cubin; u16 version;
u32 header size; u64 payload size; ...; u32 SM version at byte 28). A cubin for sm_XY runs on GPUs of
compute capability X.Z with Z >= Y; PTX can be compiled by the driver for newer GPUs. `cuobjdump
--list-elf --list-ptx` gives the same answer where the toolkit is installed.
"""
import collections
import mmap
import struct
import subprocess
import sys

MAGIC = 0xBA55ED50


def fatbin_section(path):
    for line in subprocess.check_output(["readelf", "-S", "-W", path], text=True).splitlines():
        if ".nv_fatbin" in line:
            fields = line.split("]", 1)[1].split()
            return int(fields[3], 16), int(fields[4], 16)
    sys.exit(f"{path}: no .nv_fatbin section (no device code)")


def entries(path):
    offset, size = fatbin_section(path)
    with open(path, "rb") as f:
        m = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        pos, end = offset, offset + size
        while pos < end:
            magic, _version, header, payload = struct.unpack_from("<IHHQ", m, pos)
            if magic != MAGIC:
                pos += 8  # padding between containers
                continue
            entry, last = pos + header, pos + header + payload
            while entry < last:
                kind, _v, entry_header, entry_payload = struct.unpack_from("<HHIQ", m, entry)
                yield {1: "PTX", 2: "cubin"}.get(kind, f"kind {kind}"), struct.unpack_from("<I", m, entry + 28)[0]
                entry += entry_header + entry_payload
            pos = last


def main():
    counts = collections.Counter(entries(sys.argv[1]))
    for (kind, sm), n in sorted(counts.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        print(f"{kind:5s} sm_{sm}: {n} entries")
    if not any(kind == "PTX" for kind, _ in counts):
        print("no PTX: GPUs newer than the highest cubin's major version cannot run this library")


if __name__ == "__main__":
    main()
