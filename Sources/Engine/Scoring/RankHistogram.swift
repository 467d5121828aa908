/// A histogram of a non-negative float map over its IEEE-754 bit patterns (monotone for values ≥ 0), used to get
/// the order statistics of §4 (`rank_accuracy`, `auc`, `spread`) without a full sort.
///
/// Bucket 0 holds exact zeros (and anything ≤ 0), bucket 1 the positive values below 2⁻³⁰, buckets 2… split
/// `[2⁻³⁰, 1]` into equal ranges of bit patterns (1024–8192 buckets per binade depending on the map size).
/// Each bucket stores its pixel count and mask count (packed in one `UInt64`) and its `Σ g` in `Double`.
struct RankHistogram {
    static let floorBits: UInt32 = 0x3080_0000  // 2^-30
    static let topBits: UInt32 = 0x3F80_0000  // 1.0
    /// Soft cap on the number of pixels gathered at once (memory bound for very large images).
    static let gatherCap = 1 << 22

    let shift: UInt32
    let pixelCount: Int
    var counts: [UInt64]
    var sums: [Double]

    /// Builds the histogram of `g` (one pass).
    init(g: [Float], mask: [UInt8]) {
        let pixelCount = min(g.count, mask.count)
        self.pixelCount = pixelCount
        let shift: UInt32 = pixelCount <= 1 << 17 ? 12 : (pixelCount <= 1 << 19 ? 11 : 10)
        self.shift = shift
        let bucketCount = 3 + Int((Self.topBits - Self.floorBits) >> shift)
        var counts = [UInt64](repeating: 0, count: bucketCount)
        var sums = [Double](repeating: 0, count: bucketCount)
        g.withUnsafeBufferPointer { gp in
            mask.withUnsafeBufferPointer { mp in
                counts.withUnsafeMutableBufferPointer { cp in
                    sums.withUnsafeMutableBufferPointer { sp in
                        for i in 0..<pixelCount {
                            let v = gp[i]
                            let b = Self.bucket(Self.key(v), shift: shift)
                            cp[b] &+= 1 | (UInt64(mp[i] & 1) << 32)
                            sp[b] += Double(v)
                        }
                    }
                }
            }
        }
        self.counts = counts
        self.sums = sums
    }

    /// The sortable key of a value: its bit pattern, negatives (and -0) as 0, clamped to 1.0 (NaN too).
    @inline(__always)
    static func key(_ v: Float) -> UInt32 {
        let k = v.bitPattern
        if k >= 0x8000_0000 { return 0 }
        return min(k, topBits)
    }

    @inline(__always)
    static func bucket(_ k: UInt32, shift: UInt32) -> Int {
        if k >= floorBits { return 2 + Int((k &- floorBits) >> shift) }
        return k == 0 ? 0 : 1
    }

    /// Results of `resolve`.
    struct Ranks {
        var rankHits: Int
        var auc: Double?
        var spreadCount: Int?
    }

    /// Exact rank metrics. `halfSum` is `Σ g / 2` (nil without attention: no spread).
    func resolve(
        g: [Float], mask: [UInt8], maskCount: Int, halfSum: Double?, gatherCap: Int = RankHistogram.gatherCap
    ) -> Ranks {
        let bucketCount = counts.count
        let positives = maskCount, negatives = pixelCount - maskCount
        @inline(__always) func all(_ b: Int) -> Int { Int(counts[b] & 0xFFFF_FFFF) }
        @inline(__always) func pos(_ b: Int) -> Int { Int(counts[b] >> 32) }

        // Rank cut: the bucket holding the k-th largest value (k = |M|).
        var rankBucket = 0, rankTake = 0, rankHits = 0
        var cumulative = 0
        for b in stride(from: bucketCount - 1, through: 0, by: -1) {
            let c = all(b)
            if cumulative + c >= maskCount {
                rankBucket = b
                rankTake = maskCount - cumulative
                break
            }
            cumulative += c
            rankHits += pos(b)
        }
        var rankNeedsExact = false
        if rankTake == all(rankBucket) {
            rankHits += pos(rankBucket)
        } else {
            rankNeedsExact = true
        }

        // Spread: the bucket where the descending cumulative sum reaches half.
        var spreadBucket = -1, spreadSumAbove = 0.0, spreadCountAbove = 0
        if let halfSum {
            var sum = 0.0, count = 0, lastNonEmpty = -1
            for b in stride(from: bucketCount - 1, through: 1, by: -1) where all(b) > 0 {
                lastNonEmpty = b
                if sum + sums[b] >= halfSum {
                    spreadBucket = b
                    break
                }
                sum += sums[b]
                count += all(b)
            }
            if spreadBucket < 0 && lastNonEmpty > 0 {
                // Rounding kept the running sum below half: resolve inside the lowest positive bucket.
                spreadBucket = lastNonEmpty
                sum -= sums[lastNonEmpty]
                count -= all(lastNonEmpty)
            }
            spreadSumAbove = sum
            spreadCountAbove = count
        }

        // AUC across buckets (2·numerator in integers: 2 per ordered pair, 1 per tie).
        var auc2: UInt64 = 0
        var positivesAbove: UInt64 = 0
        var needed: [Int] = []
        for b in stride(from: bucketCount - 1, through: 0, by: -1) {
            let p = UInt64(pos(b)), q = UInt64(all(b)) - UInt64(pos(b))
            auc2 &+= 2 &* positivesAbove &* q
            if p > 0 && q > 0 {
                if b == 0 {
                    auc2 &+= p &* q  // exact zeros are all tied
                } else {
                    needed.append(b)
                }
            }
            positivesAbove &+= p
        }
        if !needed.contains(spreadBucket) && spreadBucket > 0 { needed.append(spreadBucket) }
        if rankNeedsExact && rankBucket > 0 && !needed.contains(rankBucket) { needed.append(rankBucket) }

        var spreadCount: Int? = nil
        if rankNeedsExact && rankBucket == 0 {
            rankHits += Self.firstZeros(g: g, mask: mask, take: rankTake)
        }

        // Gather the needed buckets (in rounds bounded by gatherCap) and resolve each exactly.
        needed.sort()
        var start = 0
        var offsets = [Int32](repeating: -1, count: bucketCount)
        var keys: [UInt64] = []
        while start < needed.count {
            var end = start, total = 0
            while end < needed.count && (end == start || total + all(needed[end]) <= gatherCap) {
                total += all(needed[end])
                end += 1
            }
            var bucketStart: [Int] = []
            var running = 0
            for b in needed[start..<end] {
                offsets[b] = Int32(running)
                bucketStart.append(running)
                running += all(b)
            }
            if keys.count < total { keys = [UInt64](repeating: 0, count: total) }
            gather(g: g, mask: mask, offsets: &offsets, into: &keys)
            keys.withUnsafeMutableBufferPointer { kp in
                for (j, b) in needed[start..<end].enumerated() {
                    let lo = bucketStart[j], hi = lo + all(b)
                    var slice = UnsafeMutableBufferPointer(rebasing: kp[lo..<hi])
                    slice.sort()
                    // Within-bucket AUC.
                    if pos(b) > 0 && pos(b) < all(b) {
                        auc2 &+= Self.withinPairs(slice)
                    }
                    if rankNeedsExact && b == rankBucket {
                        for t in 0..<rankTake { rankHits += Int(slice[t] & 1) }
                    }
                    if b == spreadBucket, let halfSum {
                        var sum = spreadSumAbove, count = spreadCountAbove
                        for key in slice {
                            sum += Double(Float(bitPattern: ~UInt32(truncatingIfNeeded: key >> 32)))
                            count += 1
                            if sum >= halfSum { break }
                        }
                        spreadCount = count
                    }
                }
            }
            for b in needed[start..<end] { offsets[b] = -1 }
            start = end
        }

        let auc: Double? = negatives > 0 && positives > 0
            ? Double(auc2) / (2.0 * Double(positives) * Double(negatives)) : nil
        if halfSum != nil && spreadCount == nil {
            spreadCount = spreadCountAbove  // degenerate: nothing positive below (cannot happen with Σg > 0)
        }
        return Ranks(rankHits: rankHits, auc: auc, spreadCount: halfSum == nil ? nil : spreadCount)
    }

    /// One pass over the pixels writing the sort key of every pixel whose bucket has an offset ≥ 0.
    /// Key: `(~bits) << 32 | index << 1 | inMask`, so ascending order = value descending, index ascending.
    private func gather(g: [Float], mask: [UInt8], offsets: inout [Int32], into keys: inout [UInt64]) {
        let shift = self.shift
        g.withUnsafeBufferPointer { gp in
            mask.withUnsafeBufferPointer { mp in
                offsets.withUnsafeMutableBufferPointer { op in
                    keys.withUnsafeMutableBufferPointer { kp in
                        for i in 0..<gp.count {
                            let k = Self.key(gp[i])
                            let b = Self.bucket(k, shift: shift)
                            let o = op[b]
                            if o >= 0 {
                                kp[Int(o)] = (UInt64(~k) << 32) | (UInt64(i) << 1) | UInt64(mp[i] & 1)
                                op[b] = o &+ 1
                            }
                        }
                    }
                }
            }
        }
    }

    /// 2 × (pairs positive-above-negative) + ties, inside one sorted (value-descending) bucket.
    private static func withinPairs(_ slice: UnsafeMutableBufferPointer<UInt64>) -> UInt64 {
        var result: UInt64 = 0
        var positivesSeen: UInt64 = 0
        var i = 0
        while i < slice.count {
            let value = slice[i] >> 32
            var p: UInt64 = 0, q: UInt64 = 0
            var j = i
            while j < slice.count && slice[j] >> 32 == value {
                if slice[j] & 1 != 0 { p += 1 } else { q += 1 }
                j += 1
            }
            result &+= 2 &* positivesSeen &* q &+ p &* q
            positivesSeen &+= p
            i = j
        }
        return result
    }

    /// Mask hits among the first `take` zero-valued pixels in row-major order.
    private static func firstZeros(g: [Float], mask: [UInt8], take: Int) -> Int {
        var taken = 0, hits = 0
        for i in 0..<g.count where taken < take && key(g[i]) == 0 {
            taken += 1
            hits += Int(mask[i] & 1)
        }
        return hits
    }
}
