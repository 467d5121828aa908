# shellcheck shell=bash
# Sourced by scripts/serve and the benchmarks (never executed directly): the Swift flags of every release build the
# scripts make, so that what the benchmarks measure is what scripts/serve runs.
#
# Release builds generate code for this machine's CPU (`-target-cpu native`: AVX2/AVX-512 for the engine's SIMD
# loops instead of the SSE2 baseline of generic x86-64). Floating-point results do not change: Swift neither
# contracts a·b + c into an FMA nor reassociates floating-point operations, so only the vector width differs
# (checked: `sightline score --batch` on every fixture case and the resize/normalisation of 400 random shapes give
# bit-identical output in debug, release and release-native builds). The debug builds of scripts/test keep the
# portable baseline. SIGHTLINE_TARGET_CPU overrides: `generic` (the portable baseline, for a binary that must run
# on other machines) or an LLVM CPU name such as `haswell`.
SIGHTLINE_RELEASE_FLAGS=()
case "${SIGHTLINE_TARGET_CPU:-native}" in
    generic | "") ;;
    *)
        case "$(uname -m)" in
            x86_64 | amd64 | aarch64 | arm64) SIGHTLINE_RELEASE_FLAGS=(-Xswiftc -target-cpu -Xswiftc "${SIGHTLINE_TARGET_CPU:-native}") ;;
        esac
        ;;
esac
