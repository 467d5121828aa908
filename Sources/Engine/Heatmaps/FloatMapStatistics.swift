/// Small vectorisable loops over `Float` buffers shared by the heatmap readers and the normaliser.
enum FloatMapStatistics {
    /// Whether every value is finite (no NaN, no ±Inf).
    static func allFinite(_ values: UnsafeBufferPointer<Float>) -> Bool {
        // The exponent field is all ones exactly for NaN and ±Inf.
        var flags: UInt32 = 0
        values.withMemoryRebound(to: UInt32.self) { bits in
            for word in bits {
                let exponent = word & 0x7F80_0000
                flags |= exponent == 0x7F80_0000 ? 1 : 0
            }
        }
        return flags == 0
    }
}
