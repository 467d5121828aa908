import Testing
@testable import Engine

/// `BilinearResizer` and `HeatmapNormalizer` against hand-computed values and values recorded from
/// `cv2.resize(..., INTER_LINEAR)` (OpenCV 5.0.0, the version the fixtures were generated with).
@Suite("Bilinear resize and §3 normalisation")
struct ResizeAndNormalizeTests {
    @Test("2x2 -> 4x4 by hand: s = (d + 0.5)/2 − 0.5, clamped at the borders")
    func handComputed() {
        let map = FloatMap(width: 2, height: 2, values: [0, 1, 2, 3])
        let u = BilinearResizer.resize(map, width: 4, height: 4)
        #expect(u.values == [0, 0.25, 0.75, 1,
                             0.5, 0.75, 1.25, 1.5,
                             1.5, 1.75, 2.25, 2.5,
                             2, 2.25, 2.75, 3])
    }

    @Test("equal sizes are the identity")
    func identity() {
        let map = FloatMap(width: 3, height: 2, values: [0.1, -2, 3, 4, 5.5, 6])
        #expect(BilinearResizer.resize(map, width: 3, height: 2) == map)
    }

    @Test("2x3 -> 5x7 is bit-identical to cv2.resize")
    func matchesOpenCV() {
        let map = FloatMap(width: 3, height: 2, values: [0.1, 0.7, 0.3, 0.9, 0.2, 0.5])
        let expected: [UInt32] = [
            0x3dcc_cccd, 0x3e3e_2be3, 0x3ee2_be2c, 0x3f33_3333, 0x3f07_5075, 0x3eb6_db6e, 0x3e99_999a,
            0x3e38_51eb, 0x3e7d_1304, 0x3ee5_ab28, 0x3f26_6666, 0x3f02_31bd, 0x3ebb_fa26, 0x3ea3_d70b,
            0x3eff_ffff, 0x3efc_57c4, 0x3ef1_5f16, 0x3ee6_6666, 0x3edb_6db7, 0x3ed0_7508, 0x3ecc_cccd,
            0x3f51_eb84, 0x3f3d_1303, 0x3efd_1303, 0x3e80_0000, 0x3eb2_77f5, 0x3ee4_efe9, 0x3ef5_c28f,
            0x3f66_6666, 0x3f4c_cccc, 0x3eff_ffff, 0x3e4c_cccd, 0x3ea8_3a84, 0x3eea_0ea1, 0x3f00_0000,
        ]
        let u = BilinearResizer.resize(map, width: 7, height: 5)
        #expect(u.values.map(\.bitPattern) == expected)
    }

    @Test("a one-row source takes OpenCV's separable path (cv2 values, bit-identical)")
    func oneRowSource() {
        let map = FloatMap(width: 4, height: 1, values: [0.25, 1.0, 0.5, 0.125])
        let row: [UInt32] = [0x3e80_0000, 0x3ec0_0000, 0x3f35_5555, 0x3f78_e38e, 0x3f40_0000, 0x3f07_1c72,
                             0x3eb5_5556, 0x3e40_0002, 0x3e00_0000]
        var expected = row + row + row
        expected[18 + 2] = 0x3f35_5554  // y weights are not clamped: v·(1 − t) + v·t differs by one ulp
        let u = BilinearResizer.resize(map, width: 9, height: 3)
        #expect(u.values.map(\.bitPattern) == expected)
    }

    @Test("within 1e-6 of the §3 formula on a random map, up- and downscaling")
    func closeToFormula() {
        var generator = InputRandom(seed: 7)
        for (w, h, W, H) in [(7, 7, 224, 224), (14, 14, 640, 480), (448, 448, 224, 224), (5, 9, 13, 4)] {
            let map = FloatMap(width: w, height: h, values: (0..<(w * h)).map { _ in generator.nextFloat() })
            let u = BilinearResizer.resize(map, width: W, height: H)
            func axis(_ d: Int, _ src: Int, _ dst: Int) -> (Int, Int, Double) {
                let s = (Double(d) + 0.5) * (Double(src) / Double(dst)) - 0.5
                var i = Int(s.rounded(.down))
                var t = s - Double(i)
                if i < 0 { i = 0; t = 0 }
                if i >= src - 1 { i = src - 1; t = 0 }
                return (i, min(i + 1, src - 1), t)
            }
            var worst = 0.0
            for y in 0..<H {
                let (y0, y1, ty) = axis(y, h, H)
                for x in 0..<W {
                    let (x0, x1, tx) = axis(x, w, W)
                    func v(_ yy: Int, _ xx: Int) -> Double { Double(map.values[yy * w + xx]) }
                    let top = (1 - tx) * v(y0, x0) + tx * v(y0, x1)
                    let bottom = (1 - tx) * v(y1, x0) + tx * v(y1, x1)
                    worst = max(worst, abs((1 - ty) * top + ty * bottom - Double(u.values[y * W + x])))
                }
            }
            #expect(worst <= 1e-6, "\(w)x\(h) -> \(W)x\(H): \(worst)")
        }
    }

    @Test("normalisation: all-negative and constant maps give all zeros")
    func noAttention() {
        for values in [[Float](repeating: -1, count: 9), [Float](repeating: 0.7, count: 9), [-3, -2, -1, -5, -4, -9, -1, -1, -2]] {
            let g = HeatmapNormalizer.normalize(FloatMap(width: 3, height: 3, values: values), width: 10, height: 8)
            #expect(g.values.allSatisfy { $0 == 0 })
            #expect(g.width == 10 && g.height == 8)
        }
    }

    @Test("normalisation follows scale_cam_image step by step in float32")
    func stepByStep() {
        let raw = FloatMap(width: 3, height: 2, values: [-1, 0.5, 2, 0.25, 4, -0.5])
        // Steps 1–2 by hand: r = [0, .5, 2, .25, 4, 0], min 0, n = r / (1e-7 + 4).
        let denominator = Float(1e-7) + 4
        let n = [0, 0.5, 2, 0.25, 4, 0].map { Float($0) / denominator }
        let u = BilinearResizer.resize(FloatMap(width: 3, height: 2, values: n), width: 5, height: 4)
        let low = u.values.map { max($0, 0) }.min() ?? 0
        let high = u.values.map { max($0, 0) - low }.max() ?? 0
        let expected = u.values.map { (max($0, 0) - low) / (Float(1e-7) + high) }
        let g = HeatmapNormalizer.normalize(raw, width: 5, height: 4)
        #expect(g.values == expected)
        #expect(g.values.max() ?? 0 < 1)
        #expect(g.values.min() == 0)
    }
}

/// A small deterministic generator for test data.
struct InputRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func nextFloat() -> Float { Float(next() >> 40) / Float(1 << 24) }
}
