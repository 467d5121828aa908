import Testing
@testable import Engine

/// Every case of `scoring/cases.jsonl` through the input layer: region masks against `_reference.masks`, heatmaps
/// against `_reference.heatmaps` (probes of `u` and `g` within 1e-6, `g` statistics, bit-exact `g` hash), and the
/// error lines' codes where this layer raises them.
@Suite("Scoring fixtures: input layer")
struct ScoringFixtureInputTests {
    static let ids = InputFixtures.scoringCaseIDs

    @Test("fixture cases are present")
    func casesPresent() {
        #expect(Self.ids.count == 63)
    }

    /// The image size of a case: `size` or, for image cases, the expected display size.
    private func imageSize(_ input: JSONValue, _ expected: JSONValue) -> (Int, Int)? {
        if let size = input["size"]?.arrayValue, size.count == 2,
           let w = size[0].numberValue, let h = size[1].numberValue {
            return (Int(w), Int(h))
        }
        if let w = expected["image"]?["width"]?.numberValue, let h = expected["image"]?["height"]?.numberValue {
            return (Int(w), Int(h))
        }
        return nil
    }

    @Test("union masks equal _reference.masks", arguments: ids)
    func masks(id: String) throws {
        let (input, expected) = try #require(InputFixtures.scoringCase(id))
        guard expected["error"] == nil else { return }
        let (width, height) = try #require(imageSize(input, expected))
        let set = try RegionSet.parse(try #require(input["regions"]))
        try Rasterizer.validate(set, width: width, height: height)
        let references = try #require(expected["_reference"]?["masks"])
        let groups = set.groups
        #expect(groups.count == references.objectValue?.count)
        for group in groups {
            let reference = try #require(references[group.label], "no reference mask for \(group.label)")
            let mask = try Rasterizer.mask(for: group.shapes, width: width, height: height)
            let size = reference["size"]?.arrayValue?.compactMap(\.numberValue).map(Int.init)
            #expect(size == [height, width])
            let counts = reference["counts"]?.arrayValue?.compactMap(\.numberValue).map(Int.init) ?? []
            let actual = InputFixtures.columnMajorRLE(mask)
            #expect(actual == counts, "\(id) \(group.label): mask differs from the reference")
            if let pixels = reference["pixel_count"]?.numberValue {
                #expect(mask.count == Int(pixels))
            }
        }
    }

    @Test("normalised heatmaps match _reference.heatmaps", arguments: ids)
    func heatmaps(id: String) throws {
        let (input, expected) = try #require(InputFixtures.scoringCase(id))
        guard expected["error"] == nil else { return }
        let (width, height) = try #require(imageSize(input, expected))
        let files = try #require(input["heatmaps"]?.objectValue)
        for (label, pathValue) in files {
            let path = InputFixtures.path("scoring/" + (try #require(pathValue.stringValue)))
            let reference = try #require(expected["_reference"]?["heatmaps"]?[label])
            let raw = try HeatmapReader.read(contentsOf: path)
            let shape = reference["shape"]?.arrayValue?.compactMap(\.numberValue).map(Int.init)
            #expect(shape == [raw.height, raw.width])
            // u: steps 1-3.
            var n = raw.values.map { max($0, 0) }
            n.withUnsafeMutableBufferPointer { HeatmapNormalizer.minMaxNormalize($0) }
            let u = BilinearResizer.resize(FloatMap(width: raw.width, height: raw.height, values: n),
                                           width: width, height: height)
            let g = HeatmapNormalizer.normalize(raw, width: width, height: height)
            #expect(g.width == width && g.height == height)
            for probe in reference["probes_x_y_u_g"]?.arrayValue ?? [] {
                let p = probe.arrayValue?.compactMap(\.numberValue) ?? []
                try #require(p.count == 4)
                let index = Int(p[1]) * width + Int(p[0])
                #expect(abs(Double(u.values[index]) - p[2]) <= 1e-6, "\(id) \(label) u at (\(p[0]), \(p[1]))")
                #expect(abs(Double(g.values[index]) - p[3]) <= 1e-6, "\(id) \(label) g at (\(p[0]), \(p[1]))")
            }
            let stats = try #require(reference["g"])
            let sum = g.values.reduce(0.0) { $0 + Double($1) }
            let expectedSum = try #require(stats["sum"]?.numberValue)
            #expect(abs(sum - expectedSum) <= 1e-6 * Double(width * height), "\(id) \(label) sum of g")
            #expect(Double(g.values.max() ?? 0) == stats["max"]?.numberValue)
            let maxValue = g.values.max() ?? 0
            let argmax = g.values.firstIndex(of: maxValue) ?? -1
            #expect(Double(argmax) == stats["argmax_flat"]?.numberValue, "\(id) \(label) argmax")
            #expect(Double(g.values.filter { $0 == maxValue }.count) == stats["n_equal_max"]?.numberValue)
            if let hash = reference["g_sha256_f32le"]?.stringValue {
                #expect(InputSHA256.hex(float32LE: g.values) == hash, "\(id) \(label): g is not bit-identical")
            }
        }
    }

    @Test("error lines give their code from the input layer", arguments: ids)
    func errorLines(id: String) throws {
        let (input, expected) = try #require(InputFixtures.scoringCase(id))
        guard let code = expected["error"]?["code"]?.stringValue else { return }
        // Image errors belong to the image layer.
        guard code != "unreadable_image", code != "image_too_large" else { return }
        let actual = inputLayerError(input)
        #expect(actual?.code.rawValue == code, "\(id): \(String(describing: actual))")
    }

    private func inputLayerError(_ input: JSONValue) -> EngineError? {
        do throws(EngineError) {
            let set = try RegionSet.parse(input["regions"] ?? .null)
            if let size = input["size"]?.arrayValue, size.count == 2,
               let w = size[0].numberValue, let h = size[1].numberValue {
                try Rasterizer.validate(set, width: Int(w), height: Int(h))
            }
            for (_, path) in input["heatmaps"]?.objectValue ?? [] {
                _ = try HeatmapReader.read(contentsOf: InputFixtures.path("scoring/" + (path.stringValue ?? "")))
            }
        } catch {
            return error
        }
        return nil
    }
}
