import Foundation
import Engine
import Testing

/// §5: mention rule, label/alias matching, drift order, avoid regions, suggestions and two-step.
@Suite("Verdicts (§5)")
struct VerdictTests {
    @Test("mention: word boundaries, plural s/es, case, aliases, Unicode word characters")
    func mentionRule() {
        #expect(MentionMatcher.mentions("Two dogs near the road.", name: "dog"))
        #expect(MentionMatcher.mentions("Three boxes.", name: "box"))
        #expect(MentionMatcher.mentions("A DOG!", name: "dog"))
        #expect(MentionMatcher.mentions("the dog's bowl", name: "dog"))
        #expect(MentionMatcher.mentions("a dog", name: "  Dog "))
        #expect(MentionMatcher.mentions("a red balloon.", name: "red balloon"))
        #expect(!MentionMatcher.mentions("A hotdog stand.", name: "dog"))
        #expect(!MentionMatcher.mentions("He dogged it.", name: "dog"))
        #expect(!MentionMatcher.mentions("dogses", name: "dog"))
        #expect(!MentionMatcher.mentions("dog1 and dog_2", name: "dog"))
        #expect(!MentionMatcher.mentions("un café", name: "caf"))  // é is a word character
        #expect(MentionMatcher.mentions("über alles", name: "ÜBER"))
        #expect(MentionMatcher.mentions("a child plays", anyOf: ["girl", "child"]))
        #expect(!MentionMatcher.mentions("a field at dusk", anyOf: ["horse", " "]))
    }

    @Test("mention: Hiragana, Katakana and CJK names match as substrings")
    func mentionCJK() {
        #expect(MentionMatcher.mentions("公園で犬が走っている", name: "犬"))
        #expect(MentionMatcher.mentions("ねこがいる", name: "ねこ"))
        #expect(MentionMatcher.mentions("カメラを持つ人", name: "カメラ"))
        #expect(MentionMatcher.mentions("红色气球飞走了", name: "气球"))
        #expect(!MentionMatcher.mentions("公園で猫が走っている", name: "犬"))
        #expect(!MentionMatcher.mentions("hotdog", name: "dog"))
    }

    // MARK: helpers

    static let size = 30

    /// A raw map at image size: `1` inside the rect, `0` elsewhere (the resize is the identity).
    static func box(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, noise: Bool = false) -> FloatMap {
        var values = [Float](repeating: 0, count: size * size)
        for y in 0..<size {
            for x in 0..<size {
                if x >= x0 && x < x1 && y >= y0 && y < y1 { values[y * size + x] = 1 }
                else if noise { values[y * size + x] = Float((x * 7 + y * 13) % 10) / 10 }
            }
        }
        return FloatMap(width: size, height: size, values: values)
    }

    static func region(
        _ label: String, _ x: Double, _ y: Double, _ w: Double, _ h: Double, kind: RegionKind = .focus,
        aliases: [String] = [], minEnergy: Double? = nil, minCoverage: Double? = nil, maxEnergy: Double? = nil
    ) -> Region {
        Region(label: label, aliases: aliases, kind: kind, minEnergy: minEnergy, minCoverage: minCoverage,
               maxEnergy: maxEnergy, shapes: [.rect(x: x, y: y, width: w, height: h)])
    }

    static func diagnose(
        _ regions: [Region], _ heatmaps: [(label: String, map: FloatMap)], description: String? = nil
    ) throws -> Diagnosis {
        try Scorer.diagnose(ScoringInput(
            width: size, height: size, regions: RegionSet(regions: regions), heatmaps: heatmaps,
            description: description))
    }

    static func entry(_ d: Diagnosis, _ label: String) -> RegionDiagnosis? {
        d.regions.first { $0.label == label }
    }

    // MARK: drift order

    @Test("ok, then the first failing code in §5's order")
    func driftOrder() throws {
        let a = Self.region("cat", 0, 0, 10, 10), b = Self.region("dog", 20, 20, 10, 10)
        // Heat exactly on the region: passes.
        var d = try Self.diagnose([a], [("cat", Self.box(0, 0, 10, 10))], description: "a cat")
        #expect(d.passed && Self.entry(d, "cat")?.drift == .ok)
        #expect(d.promptSuggestion == nil && d.suggestions.isEmpty)
        // No heatmap.
        d = try Self.diagnose([a, b], [("cat", Self.box(0, 0, 10, 10))])
        #expect(Self.entry(d, "dog")?.drift == .noHeatmap)
        #expect(Self.entry(d, "dog")?.metrics == nil)
        // No attention (all ≤ 0) comes before anything metric-based.
        d = try Self.diagnose([a], [("cat", FloatMap(width: 2, height: 2, values: [-1, -2, 0, -3]))])
        #expect(Self.entry(d, "cat")?.drift == .noAttention)
        #expect(d.suggestions.first?.technique == nil)
        // Relation mismatch: cat's heat sits in the dog region (before subject_drift).
        d = try Self.diagnose([a, b], [("cat", Self.box(20, 20, 30, 30)), ("dog", Self.box(20, 20, 30, 30))])
        #expect(Self.entry(d, "cat")?.drift == .relationMismatch)
        #expect(Self.entry(d, "dog")?.drift == .ok)
        #expect(d.suggestions.first?.technique == .spatialRelation)
        #expect(d.suggestions.first?.text.contains("dog") == true)
        // Subject drift: heat elsewhere, not in another focus region.
        d = try Self.diagnose([a, b], [("cat", Self.box(0, 20, 10, 30)), ("dog", Self.box(20, 20, 30, 30))])
        #expect(Self.entry(d, "cat")?.drift == .subjectDrift)
        #expect(d.suggestions.first?.technique == .focusVerbs)
        // Partial coverage: all energy inside, but only a quarter of the region is hot.
        d = try Self.diagnose([a], [("cat", Self.box(0, 0, 5, 5))])
        #expect(Self.entry(d, "cat")?.drift == .partialCoverage)
        #expect(d.suggestions.first?.technique == .visualAttributes)
        // Not mentioned: metrics pass, description lacks the label.
        d = try Self.diagnose([a], [("cat", Self.box(0, 0, 10, 10))], description: "a dog")
        #expect(Self.entry(d, "cat")?.drift == .notMentioned)
        #expect(Self.entry(d, "cat")?.mentioned == false)
        #expect(d.suggestions.first?.technique == .nameExplicitly)
        #expect(d.promptSuggestion?.contains("cat") == true)
        // Without a description, mentioned is null and takes no part.
        d = try Self.diagnose([a], [("cat", Self.box(0, 0, 10, 10))])
        #expect(d.passed && Self.entry(d, "cat")?.mentioned == nil)
    }

    @Test("diffuse precedes subject_drift; thresholds: per-region overrides and project defaults")
    func diffuseAndThresholds() throws {
        var values = [Float](repeating: 0, count: Self.size * Self.size)
        for i in values.indices { values[i] = Float((i * 37) % 101) / 100 }
        let flat = FloatMap(width: Self.size, height: Self.size, values: values)
        var d = try Self.diagnose([Self.region("sky", 0, 0, 10, 10)], [("sky", flat)])
        #expect(Self.entry(d, "sky")?.drift == .diffuse)
        #expect(Self.entry(d, "sky")?.metrics?.direction == "diffuse")
        // Override: the half-covered region passes with min_coverage 0.2.
        let loose = Self.region("cat", 0, 0, 10, 10, minEnergy: 0.3, minCoverage: 0.2)
        d = try Self.diagnose([loose], [("cat", Self.box(0, 0, 5, 5))])
        #expect(d.passed)
        #expect(Self.entry(d, "cat")?.thresholds.minCoverage == 0.2)
        // Project defaults passed in options.
        let options = ScoringOptions(thresholds: ScoringThresholds(minEnergy: 0.5, minCoverage: 0.2, maxEnergy: 0.1))
        d = try Scorer.diagnose(ScoringInput(
            width: Self.size, height: Self.size, regions: RegionSet(regions: [Self.region("cat", 0, 0, 10, 10)]),
            heatmaps: [("cat", Self.box(0, 0, 5, 5))]), options: options)
        #expect(d.passed)
    }

    @Test("labels and aliases match trimmed and case-insensitively; shared labels are one mask; unmatched sorted")
    func matching() throws {
        let girl = Self.region("girl", 0, 0, 10, 10, aliases: ["child"])
        let girl2 = Self.region("Girl", 10, 0, 10, 10)
        let d = try Self.diagnose(
            [girl, girl2], [(" Child ", Self.box(0, 0, 20, 10)), ("zebra", Self.box(0, 0, 1, 1)),
                            ("apple", Self.box(0, 0, 1, 1))],
            description: "A child.")
        #expect(d.regions.map(\.label) == ["girl"])
        #expect(d.passed)
        #expect(Self.entry(d, "girl")?.metrics?.coverage == 1)  // the union of both rects
        #expect(d.unmatchedHeatmaps == ["apple", "zebra"])
    }

    @Test("avoid regions: checked against every heatmap, leak_from names the worst one")
    func avoidRegions() throws {
        let dog = Self.region("dog", 0, 0, 10, 10)
        let mark = Self.region("watermark", 20, 20, 10, 10, kind: .avoid)
        var d = try Self.diagnose([dog, mark], [("dog", Self.box(0, 0, 10, 10))])
        #expect(d.passed && Self.entry(d, "watermark")?.drift == .ok)
        let leaky = Self.box(0, 0, 10, 10, noise: true)
        d = try Self.diagnose([dog, mark], [("dog", Self.box(0, 0, 10, 10)), ("other", Self.box(20, 20, 30, 30))])
        let entry = try #require(Self.entry(d, "watermark"))
        #expect(!d.passed && !entry.passed && entry.drift == .attentionLeak)
        #expect(entry.heatmapLabel == "other")
        #expect(entry.metrics?.energyRatio == 1)
        #expect(d.suggestions.contains { $0.label == "watermark" && $0.technique == .focusVerbs })
        let json = JSONWriter.serialize(entry.jsonValue)
        #expect(json.contains("\"leak_from\":\"other\""))
        #expect(json.contains("\"max_energy\":0.1"))
        // Threshold override on the avoid region.
        d = try Self.diagnose(
            [dog, Self.region("watermark", 0, 20, 30, 10, kind: .avoid, maxEnergy: 0.9)], [("dog", leaky)])
        #expect(Self.entry(d, "watermark")?.passed == true)
    }

    @Test("diagnose (maps dropped as it goes) and evaluate (maps kept) give the same diagnosis")
    func diagnoseEqualsEvaluate() throws {
        let regions = RegionSet(regions: [
            Self.region("dog", 0, 0, 10, 10), Self.region("cat", 10, 10, 10, 10),
            Self.region("watermark", 20, 20, 10, 10, kind: .avoid), Self.region("sign", 0, 20, 10, 10, kind: .avoid),
        ])
        let heatmaps: [(label: String, map: FloatMap)] = [
            ("dog", Self.box(0, 0, 10, 10, noise: true)), ("cat", Self.box(0, 0, 10, 10)),
            ("extra", Self.box(20, 20, 30, 30)), ("Dog", Self.box(5, 5, 8, 8)),
        ]
        let input = ScoringInput(width: Self.size, height: Self.size, regions: regions, heatmaps: heatmaps,
                                 description: "a dog and a cat")
        let evaluation = try Scorer.evaluate(input)
        #expect(try Scorer.diagnose(input) == evaluation.diagnosis)
        #expect(evaluation.normalizedHeatmaps.map(\.label) == ["dog", "cat", "extra", "Dog"])
        #expect(evaluation.diagnosis.unmatchedHeatmaps == ["Dog", "extra"])
        #expect(Self.entry(evaluation.diagnosis, "cat")?.drift == .relationMismatch)
        #expect(Self.entry(evaluation.diagnosis, "watermark")?.heatmapLabel == "extra")
    }

    @Test("three or more failing focus regions add the two-step entry, which becomes the prompt suggestion")
    func twoStep() throws {
        let regions = [Self.region("cat", 0, 0, 5, 5), Self.region("dog", 10, 10, 5, 5),
                       Self.region("ball", 20, 20, 5, 5), Self.region("sun", 25, 0, 5, 5)]
        let d = try Self.diagnose(regions, [("sun", Self.box(25, 0, 30, 5))], description: "cat dog ball sun")
        #expect(d.suggestions.count == 4)
        let last = try #require(d.suggestions.last)
        #expect(last.label == nil && last.drift == nil && last.technique == .twoStep)
        #expect(last.text.contains("cat") && last.text.contains("ball"))
        #expect(d.promptSuggestion == last.text)
        // Two failing regions: no two-step entry.
        let two = try Self.diagnose(Array(regions.prefix(2)), [])
        #expect(!two.suggestions.contains { $0.technique == .twoStep })
        #expect(two.suggestions.map(\.drift) == [.noHeatmap, .noHeatmap])
    }

    @Test("empty region throws empty_region; diagnosis JSON has §6 keys in order and no NaN")
    func errorsAndJSON() throws {
        #expect(throws: EngineError(.emptyRegion, "region 'cat' is empty")) {
            try Self.diagnose([Self.region("cat", 100, 100, 5, 5)], [("cat", Self.box(0, 0, 5, 5))])
        }
        let d = try Self.diagnose([Self.region("cat", 0, 0, 5, 5)], [("cat", FloatMap(width: 1, height: 1, values: [0]))])
        let text = d.jsonText()
        #expect(!text.contains("nan") && !text.contains("inf"))
        let value = try JSONParser.parse(text)
        #expect(value.objectValue?.map(\.0) == ["image", "description", "verdict", "attention_diagnosis",
                                                 "prompt_suggestion", "suggestions", "unmatched_heatmaps"])
        let cat = try #require(value["attention_diagnosis"]?["cat"])
        #expect(cat.objectValue?.map(\.0) == ["kind", "verdict", "drift", "mentioned", "concentration_score",
                                               "region", "metrics", "thresholds"])
        #expect(cat["metrics"]?.objectValue?.map(\.0) == ["energy_ratio", "coverage", "iou", "hot_area",
                                                          "pointing_game", "rank_accuracy", "auc", "spread", "centroid"])
        #expect(cat["concentration_score"] == .null && cat["metrics"]?["auc"] == .number(0.5))
    }

    @Test("the comparator used by the fixture tests catches a wrong value, drift and suggestion")
    func comparatorCatchesErrors() throws {
        let expected = try FixtureSupport.readJSONLines(FixtureSupport.folder("scoring") + "/expected.jsonl")[0]
        let input = try FixtureSupport.readJSONLines(FixtureSupport.folder("scoring") + "/cases.jsonl")[0]
        let good = FixtureCaseTests.score(input, base: FixtureSupport.folder("scoring"))
        #expect(FixtureSupport.differences(expected: expected, actual: good).isEmpty)
        let text = JSONWriter.serialize(good)
        for (from, to) in [("\"drift\":\"partial_coverage\"", "\"drift\":\"diffuse\""),
                           ("\"pointing_game\":true", "\"pointing_game\":false"),
                           ("\"technique\":\"visual_attributes\"", "\"technique\":\"focus_verbs\"")] {
            let bad = try JSONParser.parse(text.replacingOccurrences(of: from, with: to))
            #expect(!FixtureSupport.differences(expected: expected, actual: bad).isEmpty, "\(to)")
        }
        var members = good.objectValue ?? []
        members.removeAll { $0.0 == "unmatched_heatmaps" }
        members.append(("unmatched_heatmaps", .array([.string("x")])))
        #expect(!FixtureSupport.differences(expected: expected, actual: .object(members)).isEmpty)
    }
}
