@testable import Engine
import Foundation
import Testing

/// The selection path of the rank statistics (`PartitionRanks`) against a brute-force sort and the full radix sort.
@Suite("Rank statistics by partitions")
struct PartitionRanksTests {
    /// Every rank strategy of `Metrics.compute` (partitions of several sizes, full radix sort, bucket histogram).
    static let paths: [(cap: Int?, radixLimit: Int)] = [
        (PartitionRanks.defaultPartitionCap, Metrics.radixLimit), (1, Metrics.radixLimit), (33, Metrics.radixLimit),
        (300, Metrics.radixLimit), (nil, Metrics.radixLimit), (nil, 0),
    ]

    static func compute(_ g: FloatMap, _ mask: Mask, cap: Int?, radixLimit: Int) throws -> MetricSet {
        try Metrics.compute(
            g: g, mask: mask, hotThreshold: 0.5, pointingTolerance: 15, gatherCap: RankHistogram.gatherCap,
            radixLimit: radixLimit, partitionCap: cap)
    }

    /// A smooth map like an upsampled heatmap (a Gaussian blob plus a ramp), rounded to `steps` levels when > 0.
    static func smooth(_ width: Int, _ height: Int, steps: Int = 0, scale: Float = 1) -> [Float] {
        var values = [Float](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                let dx = Float(x) - Float(width) * 0.4, dy = Float(y) - Float(height) * 0.45
                var v = 0.8 * Float(exp(-Double(dx * dx + dy * dy) / Double(2 * width * height / 9))) + 0.2 * Float(x) / Float(width)
                if steps > 0 { v = (v * Float(steps)).rounded(.down) / Float(steps) }
                values[y * width + x] = min(v, 0.99999) * scale
            }
        }
        return values
    }

    @Test("partitions equal a brute-force sort: smooth maps, plateaus, tiny values, all zero, full mask, 1 pixel",
          arguments: 0..<8)
    func againstBruteForce(_ flavour: Int) throws {
        var rng = SplitMix(seed: UInt64(100 + flavour))
        let (width, height) = [(60, 45), (61, 40), (50, 50), (33, 21), (40, 40), (1, 1), (2, 1), (45, 31)][flavour]
        let n = width * height
        var values: [Float]
        switch flavour {
        case 0: values = Self.smooth(width, height)
        case 1: values = Self.smooth(width, height, steps: 50)  // plateaus: ties across partitions
        case 2: values = Self.smooth(width, height, scale: 1e-30)  // spread sums below the exactness bound
        case 3: values = (0..<n).map { _ in Float(rng.next() % 4) / 7 }  // four values
        case 4: values = [Float](repeating: 0, count: n)  // no attention
        case 7: values = (0..<n).map { _ in rng.next() % 3 == 0 ? 0 : Float(rng.next() % 1000) / 1000 }
        default: values = (0..<n).map { _ in Float(rng.next() % 1000) / 1000 }
        }
        var bits = (0..<n).map { i in UInt8(values[i] > 0.3 || rng.next() % 5 == 0 ? 1 : 0) }
        if flavour == 3 || flavour == 5 { bits = [UInt8](repeating: 1, count: n) }  // mask = every pixel: no auc
        if flavour == 6 { bits = [1, 0] }
        bits[0] = 1
        let g = FloatMap(width: width, height: height, values: values)
        let mask = Mask(width: width, height: height, bits: bits)
        let expected = MetricsTests.reference(values, bits)
        for path in Self.paths {
            let m = try Self.compute(g, mask, cap: path.cap, radixLimit: path.radixLimit)
            #expect(abs(m.rankAccuracy - expected.rank) < 1e-12, "cap \(String(describing: path.cap))")
            #expect(abs((m.auc ?? -1) - (expected.auc ?? -1)) < 1e-12, "cap \(String(describing: path.cap))")
            #expect(m.spread == expected.spread, "cap \(String(describing: path.cap))")
        }
    }

    @Test("partitions equal the full radix sort on maps above 2^17 pixels (finer coarse buckets)", arguments: 0..<3)
    func againstRadix(_ flavour: Int) throws {
        let width = 420, height = 330
        var rng = SplitMix(seed: UInt64(7 + flavour))
        var values = Self.smooth(width, height, steps: flavour == 1 ? 3000 : 0)
        if flavour == 2 {
            for i in values.indices where rng.next() % 4 == 0 { values[i] = 0 }
        }
        let bits = (0..<width * height).map { i in
            UInt8((i % width > 100 && i % width < 300 && i / width > 80 && i / width < 250) || rng.next() % 50 == 0 ? 1 : 0)
        }
        let g = FloatMap(width: width, height: height, values: values)
        let mask = Mask(width: width, height: height, bits: bits)
        let radix = try Self.compute(g, mask, cap: nil, radixLimit: Metrics.radixLimit)
        for cap in [PartitionRanks.defaultPartitionCap, 50] {
            let m = try Self.compute(g, mask, cap: cap, radixLimit: Metrics.radixLimit)
            #expect(m.rankAccuracy == radix.rankAccuracy)
            #expect(m.auc == radix.auc)
            #expect(m.spread == radix.spread)
        }
    }

    @Test("argmax (pointing game, tolerance 0): first row-major maximum also with negatives, -0 and values above 1")
    func argmaxOutsideUnitRange() throws {
        let cases: [(values: [Float], argmax: Int)] = [
            ([-0.5, 0.9, -0.9, 0.3, 0.7, 0.2], 1),  // row 0 has negatives: folded with max
            ([0.2, 1.5, 3.0, 0.1, 3.0, 2.0], 2),  // above 1, tie with a later row
            ([-0.0, 0.0, 0.25, 0.5, 0.5, -1.0], 3),  // -0, tie inside a row
            ([0.1, 0.2, 0.3, 0.4, 0.9, 0.9], 4),  // plain [0, 1]
        ]
        for c in cases {
            for index in 0..<6 {
                var bits = [UInt8](repeating: 0, count: 6)
                bits[index] = 1
                let m = try Metrics.compute(
                    g: FloatMap(width: 3, height: 2, values: c.values), mask: Mask(width: 3, height: 2, bits: bits),
                    pointingTolerance: 0)
                #expect(m.pointingGame == (index == c.argmax), "\(c.values) mask at \(index)")
            }
        }
    }

    @Test("the in-partition sort is stable and orders by value bits (insertion sort, one and two digits)")
    func sorterOrder() {
        var rng = SplitMix(seed: 3)
        var sorter = PartitionSorter()
        for (count, range) in [(20, UInt32(1) << 20), (500, UInt32(1) << 10), (500, UInt32(1) << 21), (700, 5)] {
            let base: UInt32 = 0x1000_0000
            let keys = (0..<count).map { i in
                (base + UInt32(rng.next() % UInt64(range))) | (UInt32(i % 2) << 31)
            }
            var sorted = keys
            var scratch = [UInt32](repeating: 0, count: count)
            sorted.withUnsafeMutableBufferPointer { sp in
                scratch.withUnsafeMutableBufferPointer { sc in
                    sorter.sort(sp, base: base, scratch: sc.baseAddress!)
                }
            }
            // Stable reference: by value bits, then original position.
            let expected = keys.enumerated().sorted {
                ($0.element & 0x3FFF_FFFF, $0.offset) < ($1.element & 0x3FFF_FFFF, $1.offset)
            }.map(\.element)
            #expect(sorted == expected, "count \(count) range \(range)")
        }
    }
}
