# Sourced by scripts/bench-*: makes sure the benchmark Python venv exists at <repo>/.venv-bench with numpy,
# pillow and opencv-python-headless (installed from PyPI only when missing), then exports BENCH_PYTHON.
# Override the interpreter used to create it with BENCH_BASE_PYTHON (default python3).
_bench_repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BENCH_VENV="$_bench_repo/.venv-bench"
if [ ! -x "$BENCH_VENV/bin/python" ]; then
    echo "bench-venv: creating $BENCH_VENV" >&2
    "${BENCH_BASE_PYTHON:-python3}" -m venv "$BENCH_VENV"
fi
if ! "$BENCH_VENV/bin/python" -c "import numpy, PIL, cv2" >/dev/null 2>&1; then
    echo "bench-venv: installing numpy, pillow, opencv-python-headless" >&2
    "$BENCH_VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
        numpy pillow opencv-python-headless
fi
BENCH_PYTHON="$BENCH_VENV/bin/python"
export BENCH_VENV BENCH_PYTHON
unset _bench_repo
