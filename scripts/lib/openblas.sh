# shellcheck shell=bash
# Sourced by scripts/serve (never executed directly): chooses OpenBLAS's CPU kernels from the CPU's flags.
#
# Debian's OpenBLAS (DYNAMIC_ARCH) picks its kernels from the CPU model number. On CPUs it does not know (new models,
# or virtual machines that report a generic "Intel Xeon Processor") it falls back to the SSE3 `Prescott` kernels,
# whose SGEMM is a quarter as fast as the AVX-512 ones (Sources/VisionModel/README.md). When OPENBLAS_CORETYPE is
# not set already, this sets it from /proc/cpuinfo: `SkylakeX` when the CPU has AVX-512 F/CD/BW/DQ/VL, `Haswell`
# when it has AVX2 and FMA; otherwise OpenBLAS keeps its own choice. The built-in Grad-CAM agrees with PyTorch to
# ~5e-6 with any kernel. scripts/test leaves OpenBLAS as detected.
sightline_choose_openblas_kernels() {
    [ -n "${OPENBLAS_CORETYPE:-}" ] && return 0
    [ -r /proc/cpuinfo ] || return 0
    local flags
    flags=" $(grep -m1 '^flags' /proc/cpuinfo | cut -d: -f2) "
    has() { case "$flags" in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
    if has avx512f && has avx512cd && has avx512bw && has avx512dq && has avx512vl; then
        export OPENBLAS_CORETYPE=SkylakeX
    elif has avx2 && has fma; then
        export OPENBLAS_CORETYPE=Haswell
    fi
    if [ -n "${OPENBLAS_CORETYPE:-}" ]; then
        echo "==> OpenBLAS kernels: $OPENBLAS_CORETYPE (from the CPU flags; set OPENBLAS_CORETYPE to override)" >&2
    fi
}
