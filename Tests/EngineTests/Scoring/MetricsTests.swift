@testable import Engine
import Testing

/// §4 metrics on hand-computed maps, and the bucketed rank statistics against a brute-force sort.
@Suite("Metrics (§4)")
struct MetricsTests {
    @Test("a 4×1 map computed by hand")
    func handComputed() throws {
        let g = FloatMap(width: 4, height: 1, values: [0.9, 0.5, 0.5, 0.1])
        let mask = Mask(width: 4, height: 1, bits: [0, 1, 0, 1])
        let m = try Metrics.compute(g: g, mask: mask)
        #expect(abs((m.energyRatio ?? -1) - 0.3) < 1e-6)
        #expect(m.coverage == 0.5)
        #expect(m.iou == 0.25)
        #expect(m.hotArea == 0.75)
        #expect(m.rankAccuracy == 0.5)  // tie 0.5 at idx 1 and 2: lower index (in M) wins
        #expect(m.auc == 0.125)  // pairs: 0.5~0.5 counts ½, all others lose: 0.5 / 4
        #expect(m.spread == 0.5)  // 0.9 + 0.5 ≥ 1.0 = half of 2.0
        #expect(abs((m.centroid?.x ?? 0) - 1.4) < 1e-6)
        #expect(m.centroid?.y == 0.5)
        #expect(m.pointingGame == true)  // argmax (0,0), mask pixel (1,0) at distance 1 < 15
        #expect(m.direction == "diffuse")
        #expect(try Metrics.compute(g: g, mask: mask, pointingTolerance: 0).pointingGame == false)
        #expect(try Metrics.compute(g: g, mask: mask, pointingTolerance: 1).pointingGame == false)  // 1 < 1 is false
        #expect(try Metrics.compute(g: g, mask: mask, pointingTolerance: 1.5).pointingGame == true)
    }

    @Test("no attention: ratio metrics over Σg are null, auc 0.5, rank follows row-major order")
    func noAttention() throws {
        let g = FloatMap(width: 3, height: 2, values: [Float](repeating: 0, count: 6))
        let mask = Mask(width: 3, height: 2, bits: [0, 1, 1, 0, 0, 1])
        let m = try Metrics.compute(g: g, mask: mask)
        #expect(m.energyRatio == nil && m.pointingGame == nil && m.spread == nil && m.centroid == nil)
        #expect(m.direction == nil)
        #expect(m.coverage == 0 && m.iou == 0 && m.hotArea == 0)
        #expect(m.auc == 0.5)
        #expect(abs(m.rankAccuracy - 2.0 / 3.0) < 1e-12)  // first 3 pixels: 0,1,1
    }

    @Test("auc is null when the mask covers the whole image; empty mask and size mismatch throw")
    func edgeCases() throws {
        let g = FloatMap(width: 2, height: 2, values: [0.1, 0.2, 0.3, 0.9])
        #expect(try Metrics.compute(g: g, mask: Mask(width: 2, height: 2, bits: [1, 1, 1, 1])).auc == nil)
        #expect(throws: EngineError.self) { try Metrics.compute(g: g, mask: Mask(width: 2, height: 2)) }
        #expect(throws: EngineError.self) { try Metrics.compute(g: g, mask: Mask(width: 1, height: 4, bits: [1, 0, 0, 0])) }
    }

    @Test("hot threshold compares in float64: g ≥ 0.3 with g = Float(0.3)")
    func hotThreshold() throws {
        let below = Float(0.3).nextDown
        let g = FloatMap(width: 3, height: 1, values: [Float(0.3), below, 1])
        let m = try Metrics.compute(g: g, mask: Mask(width: 3, height: 1, bits: [1, 1, 0]), hotThreshold: 0.3)
        #expect(m.coverage == 0.5)
        #expect(Metrics.hotFloatThreshold(0.3) == Float(0.3))
        #expect(Metrics.hotFloatThreshold(0.5) == 0.5)
    }

    @Test("direction: 3 × 3 grid by min(2, ⌊3c/W⌋), center-center is \"center\", spread ≥ 0.25 is diffuse")
    func direction() {
        func d(_ x: Double, _ y: Double, spread: Double = 0.1) -> String? {
            Metrics.direction(spread: spread, centroid: Centroid(x: x, y: y), width: 300, height: 300)
        }
        #expect(d(10, 10) == "upper-left")
        #expect(d(150, 150) == "center")
        #expect(d(299.9, 150) == "center-right")
        #expect(d(300, 300) == "lower-right")
        #expect(d(100, 250) == "lower-center")
        #expect(d(99.99, 0) == "upper-left")
        #expect(d(150, 150, spread: 0.25) == "diffuse")
        #expect(Metrics.direction(spread: nil, centroid: nil, width: 3, height: 3) == nil)
    }

    /// Brute force: stable sort for rank, all pairs for auc, full descending sort for spread.
    static func reference(_ g: [Float], _ mask: [UInt8]) -> (rank: Double, auc: Double?, spread: Double?) {
        let n = g.count
        let k = mask.reduce(0) { $0 + Int($1) }
        let order = (0..<n).sorted { g[$0] != g[$1] ? g[$0] > g[$1] : $0 < $1 }
        let hits = order.prefix(k).reduce(0) { $0 + Int(mask[$1]) }
        var auc: Double? = nil
        if k < n {
            var wins = 0.0
            let pos = (0..<n).filter { mask[$0] != 0 }.map { g[$0] }
            let neg = (0..<n).filter { mask[$0] == 0 }.map { g[$0] }
            for p in pos { for q in neg { wins += p > q ? 1 : (p == q ? 0.5 : 0) } }
            auc = wins / Double(pos.count * neg.count)
        }
        let total = g.reduce(0.0) { $0 + Double($1) }
        var spread: Double? = nil
        if total > 0 {
            var cum = 0.0
            for (i, v) in g.sorted(by: >).enumerated() {
                cum += Double(v)
                if cum >= 0.5 * total {
                    spread = Double(i + 1) / Double(n)
                    break
                }
            }
        }
        return (Double(hits) / Double(k), auc, spread)
    }

    @Test("radix and bucketed rank/auc/spread equal a brute-force sort (ties, zeros, tiny values, gather rounds)",
          arguments: [(7, 5, 0), (40, 30, 1), (64, 64, 2), (50, 41, 3), (90, 70, 4)])
    func againstBruteForce(_ width: Int, _ height: Int, _ flavour: Int) throws {
        var rng = SplitMix(seed: UInt64(width * 1000 + height * 10 + flavour))
        let n = width * height
        var values = [Float](repeating: 0, count: n)
        for i in 0..<n {
            let u = Float(rng.next() % 1_000_000) / 1_000_000
            switch flavour {
            case 0: values[i] = u
            case 1: values[i] = (u * 8).rounded(.down) / 8  // heavy ties
            case 2: values[i] = u < 0.3 ? 0 : u * u * u  // zeros + dense small values
            case 3: values[i] = u < 0.5 ? u * 1e-12 : u  // values in the tiny bucket
            default: values[i] = 0.5  // one tied value everywhere
            }
        }
        var bits = [UInt8](repeating: 0, count: n)
        for i in 0..<n where rng.next() % 3 == 0 { bits[i] = 1 }
        bits[0] = 1
        let g = FloatMap(width: width, height: height, values: values)
        let mask = Mask(width: width, height: height, bits: bits)
        let expected = Self.reference(values, bits)
        // Partition path (default and tiny partitions), full radix path, bucket-histogram path, bucket path with many
        // small gather rounds.
        let paths: [(Int, Int, Int?)] = [
            (RankHistogram.gatherCap, Metrics.radixLimit, PartitionRanks.defaultPartitionCap),
            (RankHistogram.gatherCap, Metrics.radixLimit, 5), (RankHistogram.gatherCap, Metrics.radixLimit, 40),
            (RankHistogram.gatherCap, Metrics.radixLimit, nil), (RankHistogram.gatherCap, 0, nil), (7, 0, nil),
        ]
        for (cap, radixLimit, partitionCap) in paths {
            let m = try Metrics.compute(
                g: g, mask: mask, hotThreshold: 0.5, pointingTolerance: 15, gatherCap: cap, radixLimit: radixLimit,
                partitionCap: partitionCap)
            #expect(abs(m.rankAccuracy - expected.rank) < 1e-12)
            #expect(abs((m.auc ?? -1) - (expected.auc ?? -1)) < 1e-12)
            #expect(m.spread == expected.spread)
        }
    }
}

/// A small deterministic PRNG for tests.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
