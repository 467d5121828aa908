/// The scoring.md §4 metrics of a normalised heatmap `g` (values in `[0, 1)`, as produced by
/// `HeatmapNormalizer`) against a region mask.
///
/// One pass over the pixels gives the sums (in `Double`), counts and the first argmax, and counts pixels and mask
/// pixels per coarse value bucket. The order statistics (`rank_accuracy`, `auc`, `spread`) then come from
/// `PartitionRanks`: value-ordered partitions of those buckets, of which only the ones whose inner order matters
/// (holding both mask and non-mask pixels, the rank cut, the spread's half-sum) are gathered and sorted in cache —
/// ties resolved exactly as §4 says (rank ties by lower row-major index, `auc` ties ½). `RadixRanks` (a full stable
/// LSD radix sort) is the fallback when a bound of that path does not hold. Maps above `radixLimit` pixels use a
/// memory-bounded bucket histogram instead (`RankHistogram`), which sorts only the buckets whose exact order matters,
/// in bounded rounds.
public enum Metrics {
    /// The default hot threshold `τ`.
    public static let defaultHotThreshold = 0.5
    /// The default pointing-game tolerance, in pixels.
    public static let defaultPointingTolerance = 15.0
    /// `spread` at or above this value makes the direction `"diffuse"`.
    public static let diffuseSpread = 0.25

    /// Computes every §4 metric of `g` against `mask`.
    ///
    /// - Throws: `invalid_region` when the sizes differ or the map is too large to index, `empty_region` when the
    ///   mask is empty.
    public static func compute(
        g: FloatMap, mask: Mask, hotThreshold: Double = defaultHotThreshold,
        pointingTolerance: Double = defaultPointingTolerance
    ) throws(EngineError) -> MetricSet {
        try compute(g: g, mask: mask, hotThreshold: hotThreshold, pointingTolerance: pointingTolerance,
                    gatherCap: RankHistogram.gatherCap)
    }

    /// Maps up to this many pixels get their rank statistics from `PartitionRanks` (or a full LSD radix sort; at
    /// most 8 bytes per pixel of scratch); larger ones from the memory-bounded bucket histogram (`RankHistogram`).
    static let radixLimit = 16_000_000

    /// `compute` with the rank strategy exposed (tests force every path and several gather rounds):
    /// `partitionCap` is `PartitionRanks`' partition size, `nil` for the full radix sort.
    static func compute(
        g: FloatMap, mask: Mask, hotThreshold: Double, pointingTolerance: Double, gatherCap: Int,
        radixLimit: Int = Metrics.radixLimit, partitionCap: Int? = PartitionRanks.defaultPartitionCap
    ) throws(EngineError) -> MetricSet {
        let width = g.width, height = g.height
        guard mask.width == width, mask.height == height, mask.bits.count == width * height,
              g.values.count == width * height
        else {
            throw EngineError(.invalidRegion, "mask size \(mask.width)x\(mask.height) != heatmap size \(width)x\(height)")
        }
        let n = width * height
        guard n < Int(Int32.max) else { throw EngineError(.invalidRegion, "map too large to score (\(n) pixels)") }
        let hot = hotFloatThreshold(hotThreshold)

        // Pass 1: sums (Double), counts, first argmax, and the pixel / mask pixel counts per coarse value bucket.
        let useSort = n <= radixLimit
        let shift = PartitionRanks.shift(pixelCount: n)
        var table = [UInt64](repeating: 0, count: PartitionRanks.bucketCount(shift: shift))
        var sumG = 0.0, sumGM = 0.0, sumGX = 0.0, sumGY = 0.0
        var countM = 0, countHot = 0, countHotM = 0
        var maxValue = -Float.infinity, argmax = 0
        g.values.withUnsafeBufferPointer { gp in
            mask.bits.withUnsafeBufferPointer { mp in
                table.withUnsafeMutableBufferPointer { hp in
                    for y in 0..<height {
                        let row = y * width
                        var rowSum = 0.0, rowSumX = 0.0, rowSumM = 0.0
                        var rowM = 0, rowHot = 0, rowHotM = 0
                        var rowMaxBits: UInt32 = 0
                        for x in 0..<width {
                            let v = gp[row &+ x]
                            let bit = mp[row &+ x] & 1
                            let m = Int(bit)
                            let d = Double(v)
                            rowSum += d
                            rowSumX += d * Double(x)
                            rowSumM += m != 0 ? d : 0
                            let h = v >= hot ? 1 : 0
                            rowM &+= m
                            rowHot &+= h
                            rowHotM &+= h & m
                            rowMaxBits = max(rowMaxBits, v.bitPattern)
                            // (Counted on every path: cheaper than a test per pixel.)
                            let k = RadixRanks.top &- RankHistogram.key(v)
                            hp[Int(k &>> shift)] &+= 1 | (UInt64(bit) << 32)
                        }
                        // Values in [0, 1] (the normalised maps) order like their bit patterns: a one-cycle
                        // integer maximum. A row with anything else (negative, -0, NaN, > 1) folds `max` again.
                        var rowMax = Float(bitPattern: rowMaxBits)
                        if rowMaxBits > RadixRanks.top {
                            rowMax = -Float.infinity
                            for x in 0..<width { rowMax = max(rowMax, gp[row + x]) }
                        }
                        if rowMax > maxValue {
                            maxValue = rowMax
                            for x in 0..<width where gp[row + x] == rowMax {
                                argmax = row + x
                                break
                            }
                        }
                        sumG += rowSum
                        sumGX += rowSumX + 0.5 * rowSum
                        sumGY += rowSum * (Double(y) + 0.5)
                        sumGM += rowSumM
                        countM += rowM
                        countHot += rowHot
                        countHotM += rowHotM
                    }
                }
            }
        }
        guard countM > 0 else { throw EngineError(.emptyRegion, "region mask is empty") }
        let attention = sumG > 0

        // Rank accuracy, auc and spread: exact order statistics.
        let halfSum = attention ? 0.5 * sumG : nil
        let ranks: RankHistogram.Ranks
        if useSort {
            let selected: RankHistogram.Ranks? = partitionCap.flatMap { cap in
                g.values.withUnsafeBufferPointer { gp in
                    mask.bits.withUnsafeBufferPointer { mp in
                        table.withUnsafeBufferPointer { tp in
                            PartitionRanks.resolve(g: gp, mask: mp, table: tp, shift: shift, maskCount: countM,
                                                   halfSum: halfSum, partitionCap: cap)
                        }
                    }
                }
            }
            ranks = selected
                ?? RadixRanks.ranks(g: g.values, mask: mask.bits, maskCount: countM, halfSum: halfSum)
        } else {
            let histogram = RankHistogram(g: g.values, mask: mask.bits)
            ranks = histogram.resolve(
                g: g.values, mask: mask.bits, maskCount: countM, halfSum: halfSum, gatherCap: gatherCap)
        }

        let union = countHot + countM - countHotM
        var pointing: Bool? = nil
        var centroid: Centroid? = nil
        var energy: Double? = nil
        if attention {
            energy = sumGM / sumG
            centroid = Centroid(x: sumGX / sumG, y: sumGY / sumG)
            pointing = pointingHit(
                mask: mask, x: argmax % width, y: argmax / width, tolerance: pointingTolerance)
        }
        let spread = ranks.spreadCount.map { Double($0) / Double(n) }
        return MetricSet(
            energyRatio: energy,
            coverage: Double(countHotM) / Double(countM),
            iou: Double(countHotM) / Double(union),
            hotArea: Double(countHot) / Double(n),
            pointingGame: pointing,
            rankAccuracy: Double(ranks.rankHits) / Double(countM),
            auc: ranks.auc,
            spread: spread,
            centroid: centroid,
            direction: direction(spread: spread, centroid: centroid, width: width, height: height)
        )
    }

    /// scoring.md §4 `direction`: `"diffuse"` when `spread ≥ 0.25`, otherwise the centroid's cell of a 3 × 3 grid
    /// (column `min(2, ⌊3·cx/W⌋)`, row likewise), `"center-center"` written `"center"`; `nil` without attention.
    public static func direction(spread: Double?, centroid: Centroid?, width: Int, height: Int) -> String? {
        guard let spread, let centroid else { return nil }
        if spread >= diffuseSpread { return "diffuse" }
        let col = max(0, min(2, Int((3 * centroid.x / Double(width)).rounded(.down))))
        let row = max(0, min(2, Int((3 * centroid.y / Double(height)).rounded(.down))))
        if col == 1 && row == 1 { return "center" }
        let rows = ["upper", "center", "lower"], cols = ["left", "center", "right"]
        return "\(rows[row])-\(cols[col])"
    }

    /// The smallest `Float` `t` with `Double(t) ≥ τ`, so that `v >= t` ⇔ `Double(v) >= τ` for every float `v`.
    static func hotFloatThreshold(_ tau: Double) -> Float {
        if tau.isNaN { return .infinity }
        var t = Float(tau)
        if Double(t) < tau { t = t.nextUp }
        while Double(t.nextDown) >= tau { t = t.nextDown }
        return t
    }

    /// Pointing game: some mask pixel `(x, y)` with `(x−x*)² + (y−y*)² < tol²`; `tol ≤ 0` tests the argmax pixel.
    /// Only the bounding box of the disc is scanned.
    static func pointingHit(mask: Mask, x px: Int, y py: Int, tolerance: Double) -> Bool {
        let width = mask.width, height = mask.height
        guard tolerance > 0, tolerance.isFinite else { return mask.bits[py * width + px] != 0 }
        let r2 = tolerance * tolerance
        let reach = Int(min(tolerance.rounded(.up), Double(max(width, height))))
        return mask.bits.withUnsafeBufferPointer { mp in
            for y in max(0, py - reach)...min(height - 1, py + reach) {
                let dy = Double(y - py)
                if dy * dy >= r2 { continue }
                let row = y * width
                for x in max(0, px - reach)...min(width - 1, px + reach) {
                    let dx = Double(x - px)
                    if dx * dx + dy * dy < r2 && mp[row + x] != 0 { return true }
                }
            }
            return false
        }
    }
}
