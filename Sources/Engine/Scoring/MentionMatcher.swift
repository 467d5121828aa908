/// The "mentioned" rule of scoring.md §5: a name occurs in a description case-insensitively on word boundaries,
/// allowing a plural `s`/`es` — the regex `(?<!\w)NAME(?:s|es)?(?!\w)` with Python's Unicode `\w` (letters,
/// numbers, `_`) — and a name containing Hiragana, Katakana or CJK ideographs matches as a plain substring.
public enum MentionMatcher {
    /// Whether any of `names` (each trimmed; empty names ignored) is mentioned in `description`.
    public static func mentions(_ description: String, anyOf names: [String]) -> Bool {
        let text = folded(description)
        for name in names {
            let trimmed = trim(name)
            if trimmed.isEmpty { continue }
            if matches(text, name: folded(trimmed), cjk: containsCJK(trimmed)) { return true }
        }
        return false
    }

    /// Whether `name` is mentioned in `description` (one name).
    public static func mentions(_ description: String, name: String) -> Bool {
        mentions(description, anyOf: [name])
    }

    private static func matches(_ text: [Unicode.Scalar], name: [Unicode.Scalar], cjk: Bool) -> Bool {
        let n = name.count
        guard n > 0, text.count >= n else { return false }
        for start in 0...(text.count - n) where text[start] == name[0] {
            var equal = true
            for j in 1..<n where text[start + j] != name[j] {
                equal = false
                break
            }
            if !equal { continue }
            if cjk { return true }
            if start > 0 && isWord(text[start - 1]) { continue }
            let end = start + n
            // (?:s|es)? then (?!\w): try "s", "es" and nothing.
            if end == text.count || !isWord(text[end]) { return true }
            if text[end] == "s" && (end + 1 == text.count || !isWord(text[end + 1])) { return true }
            if text[end] == "e", end + 1 < text.count, text[end + 1] == "s",
               end + 2 == text.count || !isWord(text[end + 2]) {
                return true
            }
        }
        return false
    }

    /// Lower-cased Unicode scalars (full lowercase mapping, scalar by scalar).
    static func folded(_ string: String) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(string.unicodeScalars.count)
        for scalar in string.unicodeScalars {
            if scalar.isASCII {
                let v = scalar.value
                out.append(v >= 65 && v <= 90 ? Unicode.Scalar(v + 32) ?? scalar : scalar)
            } else {
                out.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return out
    }

    /// Python's Unicode `\w`: letters, numbers and the underscore.
    static func isWord(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let v = scalar.value
            return (v >= 48 && v <= 57) || (v >= 65 && v <= 90) || (v >= 97 && v <= 122) || v == 95
        }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }

    /// Whether the string holds Hiragana, Katakana or CJK ideographs.
    static func containsCJK(_ string: String) -> Bool {
        string.unicodeScalars.contains { scalar in
            switch scalar.value {
            case 0x3040...0x309F, 0x30A0...0x30FF, 0x31F0...0x31FF, 0xFF66...0xFF9F,  // kana
                 0x3005, 0x3007, 0x3021...0x3029, 0x3038...0x303B,  // ideographic marks/numbers
                 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF,
                 0x20000...0x2FA1F, 0x30000...0x323AF:
                return true
            default:
                return false
            }
        }
    }

    /// The string without leading and trailing Unicode whitespace.
    static func trim(_ string: String) -> String {
        let scalars = string.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }

    /// The matching key of a label: trimmed and lower-cased.
    static func labelKey(_ label: String) -> String {
        trim(label).lowercased()
    }
}
