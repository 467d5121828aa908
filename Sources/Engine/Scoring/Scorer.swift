/// The engine's single entry point for scoring: raw heatmaps + regions (+ description) → `Diagnosis`
/// (scoring.md §3–§6). Used by the CLI (`sightline score`), batch mode and the web layer.
public enum Scorer {
    /// Scores one image. Bad input (empty region, size mismatch…) throws; nothing partial is returned.
    public static func diagnose(
        _ input: ScoringInput, options: ScoringOptions = ScoringOptions()
    ) throws(EngineError) -> Diagnosis {
        try run(input, options: options, keepMaps: false).diagnosis
    }

    /// Scores one image and also returns the normalised maps and region masks (for overlays).
    public static func evaluate(
        _ input: ScoringInput, options: ScoringOptions = ScoringOptions()
    ) throws(EngineError) -> ScoringEvaluation {
        try run(input, options: options, keepMaps: true)
    }

    /// Without `keepMaps` each heatmap's `g` is dropped as soon as its numbers are taken, so memory holds one
    /// image-size map at a time (plus the masks), however many heatmaps a run has.
    static func run(
        _ input: ScoringInput, options: ScoringOptions, keepMaps: Bool
    ) throws(EngineError) -> ScoringEvaluation {
        let width = input.width, height = input.height
        guard width > 0, height > 0 else {
            throw EngineError(.invalidRegion, "image size \(width)x\(height) is not positive")
        }
        guard options.hotThreshold.isFinite, !options.pointingTolerance.isNaN, options.pointingTolerance >= 0 else {
            throw EngineError(.invalidRegion, "hot threshold and pointing tolerance must be finite and ≥ 0")
        }

        // Regions sharing a label (trimmed, case-insensitive) form one group with one union mask.
        let groups = input.regions.groups.map { LabelGroup($0, defaults: options.thresholds) }
        var masks: [Mask] = []
        for group in input.regions.groups {
            let mask = try Rasterizer.mask(for: group.shapes, width: width, height: height)
            guard mask.bits.contains(where: { $0 != 0 }) else {
                throw EngineError(.emptyRegion, "region '\(group.label)' is empty")
            }
            masks.append(mask)
        }

        // Match every heatmap to a group, normalise it (§3) and take what the verdicts need from it: Σ g, its
        // energy inside every region, and the full metrics against its own focus region.
        var assigned = [Int?](repeating: nil, count: groups.count)  // group → heatmap index
        var unmatched: [String] = []
        var kept: [(label: String, g: FloatMap)] = []
        var sums: [Double] = []
        var energies: [[Double]] = []  // heatmap → group → energy ratio
        var ownMetrics: [MetricSet?] = []
        for (index, heatmap) in input.heatmaps.enumerated() {
            let key = MentionMatcher.labelKey(heatmap.label)
            let target = groups.firstIndex(where: { $0.key == key })
                ?? groups.firstIndex(where: { $0.aliasKeys.contains(key) })
            var scoredAgainst: Int? = nil
            if let target, groups[target].kind == .avoid {
                // matched, checked below like every heatmap
            } else if let target, assigned[target] == nil {
                assigned[target] = index
                scoredAgainst = target
            } else {
                unmatched.append(heatmap.label)
            }
            let g = HeatmapNormalizer.normalize(heatmap.map, width: width, height: height)
            let total = sum(g)
            sums.append(total)
            energies.append(masks.map { total > 0 ? energyRatio(g, $0) : 0 })
            if let scoredAgainst {
                ownMetrics.append(try Metrics.compute(
                    g: g, mask: masks[scoredAgainst], hotThreshold: options.hotThreshold,
                    pointingTolerance: options.pointingTolerance))
            } else {
                ownMetrics.append(nil)
            }
            if keepMaps { kept.append((heatmap.label, g)) }
        }
        unmatched.sort()

        let description = input.description
        var entries: [RegionDiagnosis] = []
        var suggestions: [Suggestion] = []
        var failingFocus: [String] = []
        let focusIndices = groups.indices.filter { groups[$0].kind != .avoid }

        for (gi, group) in groups.enumerated() {
            let mask = masks[gi]
            if group.kind == .avoid {
                // Checked against every heatmap with Σ g > 0; the one leaking most is reported.
                var worst: Int? = nil, worstEnergy = -Double.infinity
                for hi in input.heatmaps.indices where sums[hi] > 0 {
                    let energy = energies[hi][gi]
                    if energy > worstEnergy {
                        worstEnergy = energy
                        worst = hi
                    }
                }
                let passed = worst == nil || worstEnergy <= group.thresholds.maxEnergy
                var metrics: MetricSet? = nil
                if let worst {
                    let g = keepMaps ? kept[worst].g
                        : HeatmapNormalizer.normalize(input.heatmaps[worst].map, width: width, height: height)
                    metrics = try Metrics.compute(
                        g: g, mask: mask, hotThreshold: options.hotThreshold,
                        pointingTolerance: options.pointingTolerance)
                }
                let leak = worst.map { input.heatmaps[$0].label }
                entries.append(RegionDiagnosis(
                    label: group.label, kind: .avoid, passed: passed, drift: passed ? .ok : .attentionLeak,
                    mentioned: nil, metrics: metrics, thresholds: group.thresholds, heatmapLabel: leak))
                if !passed {
                    let context = SuggestionWriter.Context(label: group.label, description: description, leakFrom: leak)
                    suggestions.append(Suggestion(
                        label: group.label, drift: .attentionLeak, technique: .focusVerbs,
                        text: SuggestionWriter.text(for: .attentionLeak, context)))
                }
                continue
            }

            let mentioned = description.map { MentionMatcher.mentions($0, anyOf: group.names) }
            var metrics: MetricSet? = nil
            var drift = DriftCode.ok
            var passed = false
            var context = SuggestionWriter.Context(label: group.label, description: description)
            var heatmapLabel: String? = nil
            if let hi = assigned[gi], let m = ownMetrics[hi] {
                heatmapLabel = input.heatmaps[hi].label
                metrics = m
                let t = group.thresholds
                if let energy = m.energyRatio {
                    passed = energy >= t.minEnergy && m.coverage >= t.minCoverage && mentioned != false
                }
                if passed {
                    drift = .ok
                } else if m.energyRatio == nil {
                    drift = .noAttention
                } else if let other = relationTarget(
                    energies: energies[hi], from: gi, focus: focusIndices, minEnergy: t.minEnergy)
                {
                    drift = .relationMismatch
                    context.otherLabel = groups[other].label
                    context.relation = relation(of: mask, to: masks[other])
                } else if m.direction == "diffuse" {
                    drift = .diffuse
                } else if let energy = m.energyRatio, energy < t.minEnergy {
                    drift = .subjectDrift
                } else if m.coverage < t.minCoverage {
                    drift = .partialCoverage
                } else {
                    drift = .notMentioned
                }
            } else {
                drift = .noHeatmap
            }
            entries.append(RegionDiagnosis(
                label: group.label, kind: .focus, passed: passed, drift: drift, mentioned: mentioned,
                metrics: metrics, thresholds: group.thresholds, heatmapLabel: heatmapLabel))
            if !passed {
                failingFocus.append(group.label)
                suggestions.append(Suggestion(
                    label: group.label, drift: drift, technique: drift.technique,
                    text: SuggestionWriter.text(for: drift, context)))
            }
        }

        // Focus suggestions first (region order), then avoid ones, then the two-step entry.
        let focusSuggestions = suggestions.filter { $0.drift != .attentionLeak }
        let avoidSuggestions = suggestions.filter { $0.drift == .attentionLeak }
        suggestions = focusSuggestions + avoidSuggestions
        var promptSuggestion: String? = nil
        if failingFocus.count >= 3 {
            let text = SuggestionWriter.twoStep(labels: failingFocus)
            suggestions.append(Suggestion(label: nil, drift: nil, technique: .twoStep, text: text))
            promptSuggestion = text
        } else {
            promptSuggestion = (suggestions.first { $0.technique != nil } ?? suggestions.first)?.text
        }

        let diagnosis = Diagnosis(
            width: width, height: height, description: description, passed: entries.allSatisfy(\.passed),
            regions: entries, promptSuggestion: promptSuggestion, suggestions: suggestions,
            unmatchedHeatmaps: unmatched)
        return ScoringEvaluation(
            diagnosis: diagnosis, normalizedHeatmaps: kept,
            masks: groups.indices.map { (groups[$0].label, groups[$0].kind, masks[$0]) })
    }

    /// The other focus region holding at least `minEnergy` of this heatmap's energy (the largest if several).
    private static func relationTarget(energies: [Double], from own: Int, focus: [Int], minEnergy: Double) -> Int? {
        var best: Int? = nil, bestEnergy = -Double.infinity
        for other in focus where other != own {
            let energy = energies[other]
            if energy >= minEnergy && energy > bestEnergy {
                best = other
                bestEnergy = energy
            }
        }
        return best
    }

    /// `Σ g·M / Σ g` (0 when `Σ g = 0`).
    static func energyRatio(_ g: FloatMap, _ mask: Mask) -> Double {
        var total = 0.0, inside = 0.0
        g.values.withUnsafeBufferPointer { gp in
            mask.bits.withUnsafeBufferPointer { mp in
                for i in 0..<min(gp.count, mp.count) {
                    let d = Double(gp[i])
                    total += d
                    inside += mp[i] != 0 ? d : 0
                }
            }
        }
        return total > 0 ? inside / total : 0
    }

    static func sum(_ g: FloatMap) -> Double {
        g.values.withUnsafeBufferPointer { gp in
            var total = 0.0
            for v in gp { total += Double(v) }
            return total
        }
    }

    /// Where `mask` lies relative to `other`, from their pixel centroids: "to the left of", "above", ….
    static func relation(of mask: Mask, to other: Mask) -> String {
        func centre(_ m: Mask) -> (Double, Double) {
            var sx = 0.0, sy = 0.0, n = 0.0
            for y in 0..<m.height {
                for x in 0..<m.width where m.bits[y * m.width + x] != 0 {
                    sx += Double(x)
                    sy += Double(y)
                    n += 1
                }
            }
            return n > 0 ? (sx / n, sy / n) : (0, 0)
        }
        let a = centre(mask), b = centre(other)
        let dx = a.0 - b.0, dy = a.1 - b.1
        if abs(dx) >= abs(dy) { return dx < 0 ? "to the left of" : "to the right of" }
        return dy < 0 ? "above" : "below"
    }
}

/// A `RegionGroup` with the project defaults filled in and its matching keys.
struct LabelGroup {
    var label: String
    var key: String
    var kind: RegionKind
    /// Label and aliases, as written (for the mention check).
    var names: [String]
    var aliasKeys: [String]
    var thresholds: ScoringThresholds

    init(_ group: RegionGroup, defaults: ScoringThresholds) {
        label = group.label
        key = MentionMatcher.labelKey(group.label)
        kind = group.kind
        names = [group.label] + group.aliases
        aliasKeys = group.aliases.map(MentionMatcher.labelKey)
        thresholds = ScoringThresholds(
            minEnergy: group.minEnergy ?? defaults.minEnergy,
            minCoverage: group.minCoverage ?? defaults.minCoverage,
            maxEnergy: group.maxEnergy ?? defaults.maxEnergy)
    }
}
