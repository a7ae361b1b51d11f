/**
 * Python source shared by the generated scripts: a dependency-free safetensors reader and
 * writer (Debian's python3-torch ships without the `safetensors` package) and the loader of the
 * data CSV written beside the script. Kept as text here so both generators emit the same code.
 */
import { SPLIT_COLUMN } from './dataCsv';

/** Reads and writes safetensors files with only the standard library (F32, F64, F16 read; F32 written). */
export const PY_SAFETENSORS = `
def read_safetensors(path):
    """Returns {name: (shape, [floats])} from a safetensors file (F32, F64 or F16)."""
    with open(path, "rb") as f:
        blob = f.read()
    (header_len,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + header_len].decode("utf-8"))
    start = 8 + header_len
    formats = {"F32": ("f", 4), "F64": ("d", 8), "F16": ("e", 2)}
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] not in formats:
            sys.exit(f"{path}: tensor {name} has dtype {info['dtype']}; this script reads F32, F64 and F16.")
        code, size = formats[info["dtype"]]
        begin, end = info["data_offsets"]
        count = (end - begin) // size
        values = struct.unpack(f"<{count}{code}", blob[start + begin:start + end])
        tensors[name] = (list(info["shape"]), list(values))
    return tensors


def write_safetensors(path, tensors, metadata=None):
    """Writes {name: (shape, [floats])} as an F32 safetensors file (the layout Neural Canvas reads)."""
    header, chunks, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name, (shape, values) in tensors.items():
        data = struct.pack(f"<{len(values)}f", *values)
        header[name] = {"dtype": "F32", "shape": list(shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(chunks))
`;

/** Loads the data CSV: returns ((train_x, train_y), (val_x, val_y) or None) as lists of rows. */
export const PY_LOAD_CSV = `
def load_rows(path):
    """Reads the data CSV written by Neural Canvas: a '${SPLIT_COLUMN}' column, then x:… features and y:… labels."""
    if not os.path.exists(path):
        sys.exit(f"{path}: no data file. Export again with the data (nn export FILE --format ...) or pass --data CSV.")
    with open(path, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        xs = [i for i, h in enumerate(header) if h.startswith("x:")]
        ys = [i for i, h in enumerate(header) if h.startswith("y:")]
        if header[0] != "${SPLIT_COLUMN}" or len(xs) != INPUT_WIDTH or len(ys) != OUTPUT_WIDTH:
            sys.exit(f"{path}:1: expected columns ${SPLIT_COLUMN}, {INPUT_WIDTH} x:… and {OUTPUT_WIDTH} y:… columns; got {len(xs)} and {len(ys)}.")
        splits = {"train": ([], []), "validation": ([], [])}
        for line, row in enumerate(reader, start=2):
            if row[0] not in splits:
                sys.exit(f"{path}:{line}: split must be 'train' or 'validation', not {row[0]!r}.")
            try:
                splits[row[0]][0].append([float(row[i]) for i in xs])
                splits[row[0]][1].append([float(row[i]) for i in ys])
            except ValueError as e:
                sys.exit(f"{path}:{line}: {e}")
    val = splits["validation"] if splits["validation"][0] else None
    return splits["train"], val
`;
