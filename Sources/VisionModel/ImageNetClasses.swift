/// The 1000 ImageNet-1k class names in logit order, and keyword → class matching for region labels.
///
/// Matching is case-insensitive and ignores surrounding/repeated whitespace; `_` counts as a space
/// (`sports_car` = `sports car`). A keyword matches a class when it equals the class name or one of its
/// comma-separated synonyms, or when it is a plural of one (`-s`, `-es`, `-ies` → `-y`). Exact matches win.
public enum ImageNetClasses {
    /// Number of classes.
    public static let count = 1000

    /// The class names; `names[i]` is class `i`.
    public static var names: [String] { storedNames }

    /// The name of class `index`, or nil outside 0…999.
    public static func name(of index: Int) -> String? {
        storedNames.indices.contains(index) ? storedNames[index] : nil
    }

    /// Lower-cased, `_` → space, whitespace collapsed and trimmed.
    static func normalise(_ text: String) -> String {
        text.lowercased()
            .replacingUnderscores()
            .split(whereSeparator: { $0.isWhitespace })
            .joined(separator: " ")
    }

    /// Normalised name or synonym → class index (the first class wins if two share a synonym).
    private static let lookup: [String: Int] = {
        var table: [String: Int] = [:]
        for (index, name) in storedNames.enumerated() {
            let forms = [name] + name.split(separator: ",").map(String.init)
            for form in forms {
                let key = normalise(form)
                if !key.isEmpty, table[key] == nil { table[key] = index }
            }
        }
        return table
    }()

    /// The class a keyword names: exact (case-insensitive) name or synonym first, then singular forms of a plural.
    public static func match(_ keyword: String) -> Int? {
        let key = normalise(keyword)
        guard !key.isEmpty else { return nil }
        if let index = lookup[key] { return index }
        var singulars: [String] = []
        if key.hasSuffix("ies") { singulars.append(String(key.dropLast(3)) + "y") }
        if key.hasSuffix("es") { singulars.append(String(key.dropLast(2))) }
        if key.hasSuffix("s") { singulars.append(String(key.dropLast(1))) }
        for singular in singulars where !singular.isEmpty {
            if let index = lookup[singular] { return index }
        }
        return nil
    }

    /// The class for a region: its label first, then its aliases in order; nil if none names a class.
    public static func match(label: String, aliases: [String] = []) -> Int? {
        for keyword in [label] + aliases {
            if let index = match(keyword) { return index }
        }
        return nil
    }

    /// A class given as an index ("285") or a name/keyword ("Egyptian cat", "tabbies").
    public static func resolve(_ nameOrIndex: String) -> Int? {
        let trimmed = nameOrIndex.trimmingWhitespace()
        if let index = Int(trimmed) {
            return (0..<count).contains(index) ? index : nil
        }
        return match(trimmed)
    }

    /// Classes whose name contains `query` (case-insensitive), best first: exact match, then names containing it as a
    /// whole word (or words), then names starting with it, then names with a word starting with it, then other
    /// substrings; ties in class order. An empty query lists all 1000 classes.
    public static func search(_ query: String) -> [(index: Int, name: String)] {
        let key = normalise(query)
        var ranked: [(rank: Int, index: Int)] = []
        for (index, name) in storedNames.enumerated() {
            let candidate = normalise(name)
            let rank: Int
            if key.isEmpty || candidate == key {
                rank = 0
            } else if (" " + candidate + " ").contains(" " + key + " ") {
                rank = 1
            } else if candidate.hasPrefix(key) {
                rank = 2
            } else if candidate.contains(" " + key) || candidate.contains("-" + key) {
                rank = 3
            } else if candidate.contains(key) {
                rank = 4
            } else {
                continue
            }
            ranked.append((rank, index))
        }
        ranked.sort { $0.rank != $1.rank ? $0.rank < $1.rank : $0.index < $1.index }
        return ranked.map { (index: $0.index, name: storedNames[$0.index]) }
    }
}

extension String {
    fileprivate func replacingUnderscores() -> String {
        String(map { $0 == "_" ? " " : $0 })
    }

    fileprivate func trimmingWhitespace() -> String {
        String(drop(while: { $0.isWhitespace }).reversed().drop(while: { $0.isWhitespace }).reversed())
    }
}
