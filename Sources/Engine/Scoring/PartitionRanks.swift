/// Exact §4 order statistics (`rank_accuracy`, `auc`, `spread`) by selection: the map's values are split into
/// value-ordered partitions, and only the partitions whose inner order matters are sorted.
///
/// Keys are `RadixRanks`' descending keys `0x3F80_0000 − bits(g)` (values clamped to `[0, 1]`), so ascending key =
/// descending value. The first pass of `Metrics.compute` counts pixels and mask pixels per coarse bucket
/// `key >> shift` (`shift` 17, 64 buckets per binade; 20 up to 2¹⁷ pixels). Consecutive buckets are grouped into
/// partitions of at most `partitionCap` pixels (a bucket is never split; a partition spans at most `2²²` keys). Then:
/// - `auc` (Mann–Whitney, ties ½) across partitions follows from the counts; only *mixed* partitions (mask and
///   non-mask pixels) need their inner order.
/// - `rank_accuracy` needs the inner order only of the partition holding the `|M|`-th largest value.
/// - `spread` walks the partitions from the top keeping the running `Double` sum of the descending values. While every
///   value summed so far is a multiple of `ulp(L)` (`L` the partition's smallest possible value) and every partial
///   sum stays below `2⁵²·ulp(L)`, each addition is exact, so a partition's sum in any order equals the sum of its
///   values one by one in descending order, bit for bit; a partition is sorted only when the half-sum falls inside
///   it or that condition fails. Partitions after the half-sum (a lower bound of the sum above them already exceeds
///   it) are not needed for `spread`.
/// One more pass copies the keys of the needed partitions (in row-major order, with the mask bit) into their slots;
/// each needed partition is then sorted in cache (insertion sort, or a stable two-digit LSD radix sort of the key
/// within the partition) only if one of the rules above asks for it. Equal values keep their row-major order, which is
/// `rank_accuracy`'s tie rule. Scratch: 4 bytes per gathered pixel plus the largest partition (`ScratchBuffer`).
enum PartitionRanks {
    /// Default soft cap on the pixels of one partition (a partition sorts in L1/L2).
    static let defaultPartitionCap = 2048

    /// The coarse bucket shift for a map of `pixelCount` pixels.
    static func shift(pixelCount: Int) -> UInt32 { pixelCount <= 1 << 17 ? 20 : 17 }

    /// Coarse buckets for `shift` (descending keys are at most `0x3F80_0000`).
    static func bucketCount(shift: UInt32) -> Int { Int(RadixRanks.top >> shift) + 1 }

    /// One partition: a run of coarse buckets.
    private struct Partition {
        var firstBucket: Int
        var count = 0
        var positives = 0
        var start = -1  // slot offset when needed, -1 otherwise
    }

    /// The rank statistics, or `nil` when a bound did not hold (the caller then sorts everything).
    ///
    /// - Parameters:
    ///   - table: per coarse bucket, `count | maskCount << 32`.
    ///   - halfSum: `Σ g / 2` as computed by the first pass (nil: no spread).
    static func resolve(
        g: UnsafeBufferPointer<Float>, mask: UnsafeBufferPointer<UInt8>, table: UnsafeBufferPointer<UInt64>,
        shift: UInt32, maskCount: Int, halfSum: Double?, partitionCap: Int = defaultPartitionCap
    ) -> RankHistogram.Ranks? {
        let n = g.count
        let top = RadixRanks.top
        let spanLimit = max(1, 1 << (22 - Int(shift)))

        // Partitions (descending values) and, per coarse bucket, its partition.
        var partitions: [Partition] = []
        partitions.reserveCapacity(n / max(partitionCap, 1) + 64)
        var partitionOf = [Int32](repeating: -1, count: table.count)
        // A bucket joins the last partition when it fits and is of the same kind (no mask pixel, only mask pixels,
        // both): runs without both kinds then stay unmixed partitions, which auc never needs to sort.
        var lastKind = -1
        for c in 0..<table.count {
            let count = Int(table[c] & 0xFFFF_FFFF)
            if count == 0 { continue }
            let positives = Int(table[c] >> 32)
            let kind = positives == 0 ? 0 : (positives == count ? 1 : 2)
            if let last = partitions.last, kind == lastKind, last.count + count <= partitionCap,
               c - last.firstBucket < spanLimit
            {
                partitions[partitions.count - 1].count += count
                partitions[partitions.count - 1].positives += positives
            } else {
                partitions.append(Partition(firstBucket: c, count: count, positives: positives))
            }
            lastKind = kind
            partitionOf[c] = Int32(partitions.count - 1)
        }
        // Which partitions are needed: mixed, the rank cut, or possibly holding the spread's half-sum.
        var total = 0, largest = 0
        var rankRemaining = maskCount
        var sumLowerBound = 0.0
        let spreadLimit = halfSum.map { $0 * (1 + 1e-6) }
        for (index, p) in partitions.enumerated() {
            let mixed = p.positives > 0 && p.positives < p.count
            let rankCut = rankRemaining > 0 && p.count > rankRemaining
            rankRemaining -= min(rankRemaining, p.count)
            var spreadRelevant = false
            if let spreadLimit {
                spreadRelevant = sumLowerBound <= spreadLimit
                let lastKey = UInt32(min((p.firstBucket + Self.span(partitions, index)) << Int(shift), Int(top) + 1) - 1)
                sumLowerBound += Double(p.count) * Double(Float(bitPattern: top &- min(lastKey, top)))
            }
            if mixed || rankCut || spreadRelevant {
                partitions[index].start = total
                total += p.count
                largest = max(largest, p.count)
            }
        }
        for c in 0..<table.count where partitionOf[c] >= 0 && partitions[Int(partitionOf[c])].start < 0 {
            partitionOf[c] = -1
        }

        // Copy the needed keys (row-major order within each partition).
        let keys = ScratchBuffer(count: total)
        let scratch = ScratchBuffer(count: largest)
        var cursor = partitions.map { $0.start }
        let kp = keys.pointer
        partitionOf.withUnsafeBufferPointer { pp in
            cursor.withUnsafeMutableBufferPointer { cp in
                for i in 0..<n {
                    let k = top &- RankHistogram.key(g[i])
                    let p = Int(pp[Int(k &>> shift)])
                    if p >= 0 {
                        let at = cp[p]
                        kp[at] = k | (UInt32(mask[i] & 1) << 31)
                        cp[p] = at &+ 1
                    }
                }
            }
        }

        // Walk the partitions from the top.
        var sorter = PartitionSorter()
        var auc2: UInt64 = 0, positivesAbove: UInt64 = 0
        var rankHits = 0
        rankRemaining = maskCount
        var spreadSum = 0.0, spreadCount = 0
        var spreadDone = halfSum == nil
        var spreadResult: Int? = nil
        for (index, p) in partitions.enumerated() {
            let count = p.count, positives = p.positives
            let mixed = positives > 0 && positives < count
            guard p.start >= 0 else {
                // Unmixed, above or below the rank cut, certainly below the half-sum.
                if !spreadDone { return nil }
                auc2 &+= 2 &* positivesAbove &* UInt64(count - positives)
                positivesAbove &+= UInt64(positives)
                let take = min(rankRemaining, count)
                rankHits += take == count ? positives : 0
                rankRemaining -= take
                continue
            }
            let slice = UnsafeMutableBufferPointer(start: kp + p.start, count: count)
            let base = UInt32(p.firstBucket) << shift
            let rankCut = rankRemaining > 0 && count > rankRemaining
            // Spread: an exact partition sum when the ulp bound holds and half is not reached inside; otherwise
            // the values one by one in order.
            var spreadInside = false
            if !spreadDone, let halfSum {
                let lastKey = UInt32(min((p.firstBucket + Self.span(partitions, index)) << Int(shift), Int(top) + 1) - 1)
                let low = Float(bitPattern: top &- min(lastKey, top))
                var exact = false
                if low > 0 {
                    // ulp(low) = 2^(e−23); exact while every partial sum < 2^(e+29).
                    let limit = Double(sign: .plus, exponent: Int(low.exponent) + 29, significand: 1)
                    exact = spreadSum + Double(count) < limit
                }
                spreadInside = true
                if exact {
                    let s = Self.sum(slice)
                    if spreadSum + s < halfSum {
                        spreadSum += s
                        spreadCount += count
                        spreadInside = false
                    }
                }
            }
            let sorted = rankCut || spreadInside
            if sorted { sorter.sort(slice, base: base, scratch: scratch.pointer) }
            if !mixed {
                auc2 &+= 2 &* positivesAbove &* UInt64(count - positives)
                positivesAbove &+= UInt64(positives)
            } else {
                if !sorted { sorter.sort(slice, base: base, scratch: scratch.pointer) }
                auc2 &+= PartitionSorter.pairs(UnsafeBufferPointer(slice), positivesAbove: &positivesAbove)
            }
            if rankRemaining > 0 {
                if rankCut {
                    for t in 0..<rankRemaining { rankHits += Int(slice[t] >> 31) }
                    rankRemaining = 0
                } else {
                    rankHits += positives
                    rankRemaining -= count
                }
            }
            if spreadInside, let halfSum {
                if Self.accumulate(slice, sum: &spreadSum, count: &spreadCount, halfSum: halfSum) {
                    spreadResult = spreadCount
                    spreadDone = true
                }
            }
        }
        if !spreadDone {
            // The running sum never reached half (rounding): every value was added, as a full scan would.
            if partitions.allSatisfy({ $0.start >= 0 }) {
                spreadResult = n
            } else {
                return nil
            }
        }
        let negatives = n - maskCount
        let auc: Double? = negatives > 0 && maskCount > 0 ? Double(auc2) / (2.0 * Double(maskCount) * Double(negatives)) : nil
        return RankHistogram.Ranks(rankHits: rankHits, auc: auc, spreadCount: halfSum == nil ? nil : spreadResult)
    }

    /// Number of coarse buckets partition `index` covers (up to the next partition's first bucket).
    @inline(__always)
    private static func span(_ partitions: [Partition], _ index: Int) -> Int {
        index + 1 < partitions.count ? partitions[index + 1].firstBucket - partitions[index].firstBucket : 1 << 22
    }

    /// Adds the sorted slice's values one by one to `sum` (counting them) until `sum ≥ halfSum`; `true` when reached.
    private static func accumulate(
        _ slice: UnsafeMutableBufferPointer<UInt32>, sum: inout Double, count: inout Int, halfSum: Double
    ) -> Bool {
        let top = RadixRanks.top, valueMask = RadixRanks.valueMask
        var s = sum, c = count
        defer {
            sum = s
            count = c
        }
        for key in slice {
            s += Double(Float(bitPattern: top &- (key & valueMask)))
            c += 1
            if s >= halfSum { return true }
        }
        return false
    }

    /// Exact sum of the slice's values (called only when every partial sum is exact, so the order is free).
    private static func sum(_ slice: UnsafeMutableBufferPointer<UInt32>) -> Double {
        let top = RadixRanks.top, valueMask = RadixRanks.valueMask
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var i = 0
        let count = slice.count
        while i + 4 <= count {
            s0 += Double(Float(bitPattern: top &- (slice[i] & valueMask)))
            s1 += Double(Float(bitPattern: top &- (slice[i + 1] & valueMask)))
            s2 += Double(Float(bitPattern: top &- (slice[i + 2] & valueMask)))
            s3 += Double(Float(bitPattern: top &- (slice[i + 3] & valueMask)))
            i += 4
        }
        while i < count {
            s0 += Double(Float(bitPattern: top &- (slice[i] & valueMask)))
            i += 1
        }
        return (s0 + s1) + (s2 + s3)
    }
}
