/// Exact §4 order statistics (`rank_accuracy`, `auc`, `spread`) from a stable LSD radix sort of the map's values.
///
/// Each pixel becomes one `UInt32`: `(0x3F80_0000 − bits(g)) | inMask << 31` (values are clamped to `[0, 1]`, whose
/// bit patterns are monotone and below 2³⁰). Three 10-bit passes over the low 30 bits sort by value descending and,
/// the sort being stable, equal values stay in row-major order — exactly the tie rule of `rank_accuracy`. One scan of
/// the sorted array then gives the first `|M|` (rank), the groups of equal values (Mann–Whitney with ties ½) and the
/// descending cumulative sum (spread). Cost: 4 passes over the pixels, 8 bytes of scratch per pixel, no comparisons.
enum RadixRanks {
    static let top: UInt32 = 0x3F80_0000
    static let valueMask: UInt32 = 0x3FFF_FFFF

    /// Three digit histograms of 1024 counts.
    static let histogramSize = 3 * 1024

    /// Builds the keys and digit histograms of `g` and `mask` (one pass), then sorts and scans them.
    static func ranks(g: [Float], mask: [UInt8], maskCount: Int, halfSum: Double?) -> RankHistogram.Ranks {
        let n = min(g.count, mask.count)
        var keys = [UInt32](unsafeUninitializedCapacity: n) { _, count in count = n }
        var histogram = [Int](repeating: 0, count: histogramSize)
        g.withUnsafeBufferPointer { gp in
            mask.withUnsafeBufferPointer { mp in
                keys.withUnsafeMutableBufferPointer { kp in
                    histogram.withUnsafeMutableBufferPointer { hp in
                        for i in 0..<n {
                            let k = top &- RankHistogram.key(gp[i])
                            kp[i] = k | (UInt32(mp[i] & 1) << 31)
                            hp[Int(k & 0x3FF)] &+= 1
                            hp[1024 + Int((k >> 10) & 0x3FF)] &+= 1
                            hp[2048 + Int(k >> 20)] &+= 1
                        }
                    }
                }
            }
        }
        return resolve(keys: &keys, histogram: &histogram, maskCount: maskCount, halfSum: halfSum)
    }

    /// Sorts `keys` (built as described above, with `histogram` counting each 10-bit digit) and scans them.
    static func resolve(keys: inout [UInt32], histogram: inout [Int], maskCount: Int, halfSum: Double?)
        -> RankHistogram.Ranks
    {
        let n = keys.count
        var other = [UInt32](unsafeUninitializedCapacity: n) { _, count in count = n }

        // Three stable counting passes (a pass whose digit is the same everywhere is skipped).
        var sortedInKeys = true
        histogram.withUnsafeMutableBufferPointer { hp in
            for pass in 0..<3 {
                let base = pass * 1024
                var skip = false
                for b in 0..<1024 where hp[base + b] != 0 {
                    skip = hp[base + b] == n
                    break
                }
                if skip { continue }
                var running = 0
                for b in 0..<1024 {
                    let c = hp[base + b]
                    hp[base + b] = running
                    running += c
                }
                let shift = UInt32(pass * 10)
                keys.withUnsafeMutableBufferPointer { a in
                    other.withUnsafeMutableBufferPointer { b in
                        let (src, dst) = sortedInKeys ? (a, b) : (b, a)
                        for i in 0..<n {
                            let k = src[i]
                            let digit = base + Int((k &>> shift) & 0x3FF)
                            let at = hp[digit]
                            dst[at] = k
                            hp[digit] = at &+ 1
                        }
                    }
                }
                sortedInKeys.toggle()
            }
        }

        let sorted = sortedInKeys ? keys : other
        return sorted.withUnsafeBufferPointer { sp in
            scan(sp, maskCount: maskCount, halfSum: halfSum)
        }
    }

    /// One scan of the value-descending (stable) keys.
    static func scan(_ sp: UnsafeBufferPointer<UInt32>, maskCount: Int, halfSum: Double?) -> RankHistogram.Ranks {
        let n = sp.count
        var rankHits = 0
        for i in 0..<min(maskCount, n) { rankHits &+= Int(sp[i] >> 31) }

        var spreadCount: Int? = nil
        if let halfSum {
            var sum = 0.0
            var i = 0
            while i < n {
                sum += Double(Float(bitPattern: top &- (sp[i] & valueMask)))
                i += 1
                if sum >= halfSum { break }
            }
            spreadCount = i
        }

        var auc: Double? = nil
        let negatives = n - maskCount
        if negatives > 0 && maskCount > 0 && n > 0 {
            // Groups of equal values, descending: 2 per (positive above negative) pair, 1 per tie.
            var positivesAbove: UInt64 = 0
            let twice = PartitionSorter.pairs(sp, positivesAbove: &positivesAbove)
            auc = Double(twice) / (2.0 * Double(maskCount) * Double(negatives))
        }
        return RankHistogram.Ranks(rankHits: rankHits, auc: auc, spreadCount: spreadCount)
    }
}
