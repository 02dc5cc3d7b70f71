#!/usr/bin/env bash
# GPU proof (issue 18; README "GPU proof"): the GPU tests unfaked, determinism, a TF32 probe and the
# speed of a GPU-sized notebook with 1, 2, 4 and 8 workers per GPU against the CPU pool.
#
#   benchmarks/gpu_check.sh --prepare       here, where PyPI is reachable: wheels into benchmarks/gpu_wheels/
#   bash benchmarks/gpu_check.sh            on the GPU machine (Python 3.12 with CUDA PyTorch and NumPy)
#   benchmarks/gpu_check.sh --cpu-dry-run   everything that needs no CUDA, on the CPU
#
# The GPU machine has no package index and no Jupyter packages: the wheels below are brought along
# (benchmarks/gpu_wheels/, carried with the working tree) and unzipped into a temporary site folder.
# Options after the mode go to benchmarks/gpu_check.py (--submissions N, --budget-s S).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
PYTHON=${PYTHON:-python3}
WHEELS=$here/gpu_wheels

# What grading needs beyond NumPy and PyTorch: the smallest set with which the CPU dry run passes in a
# venv holding only numpy and torch (found by leaving out one wheel at a time; README "GPU proof").
# Left out on purpose: IPython's optional helpers (jedi, prompt_toolkit, stack_data, pexpect, psutil: only
# for completion, the terminal, verbose tracebacks and `!cmd`), jupyter_core, packaging. typing_extensions
# comes with PyTorch too, but the runner's image does not promise it.
# Pins as in pyproject.toml where it pins, else as resolved in the project's .venv.
REQUIREMENTS=(
    ipython==9.18.1 traitlets==5.16.1 pygments==2.21.0            # the notebook's cells run in IPython's shell
    nbformat==5.11.1 fastjsonschema==2.22.3 jsonschema==4.26.0     # the grader reads and writes notebooks
    jsonschema-specifications==2025.9.1 referencing==0.37.0 rpds-py==2026.9.1 attrs==26.1.0
    typing_extensions==4.16.0                                      # referencing, before Python 3.13
    pytest==9.2.0 pluggy==1.7.0 iniconfig==2.3.1                   # tests/test_gpu.py
)

if [[ ${1:-} == --prepare ]]; then
    mkdir -p "$WHEELS"
    for version in ${GPU_CHECK_PYTHONS:-3.12 3.11}; do  # 3.11: the CPU dry run here
        echo "gpu_check --prepare: Wheels für Python $version"
        "$PYTHON" -m pip download --quiet --disable-pip-version-check --only-binary=:all: --no-deps \
            --python-version "$version" --platform manylinux2014_x86_64 --implementation cp \
            --dest "$WHEELS" "${REQUIREMENTS[@]}" 2> >(grep -v "is ignored: it is neither a file" >&2)
    done
    echo "gpu_check --prepare: $(ls "$WHEELS"/*.whl | wc -l) Wheels, $(du -sh "$WHEELS" | cut -f1) in $WHEELS"
    exit 0
fi

site=$(mktemp -d "${TMPDIR:-/tmp}/gpu-check-site.XXXXXX")
trap 'rm -rf "$site"' EXIT
if compgen -G "$WHEELS/*.whl" > /dev/null; then
    "$PYTHON" "$here/wheel_site.py" "$WHEELS" "$site"
else
    echo "gpu_check: $WHEELS ist leer; es gilt, was installiert ist (vorher hier: benchmarks/gpu_check.sh --prepare)"
fi
# the source tree, not an installed copy: the GPU machine has the project only as files
export PYTHONPATH="$root:$site${PYTHONPATH:+:$PYTHONPATH}"
cd "$root"
"$PYTHON" "$here/gpu_check.py" "$@"
