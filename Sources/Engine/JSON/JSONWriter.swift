/// Serialises a `JSONValue` as compact RFC 8259 text (members in order, no spaces).
///
/// Numbers are written in the shortest form that reads back to the same `Double` (integral values below 2^53 without
/// a fraction); non-finite numbers, which JSON cannot hold, are written as `null`. Strings escape `"`, `\` and
/// control characters; everything else is written as UTF-8.
public enum JSONWriter {
    /// The JSON text of `value`, as a `String`.
    public static func serialize(_ value: JSONValue) -> String {
        var out = ""
        append(value, to: &out)
        return out
    }

    /// The JSON text of `value`, as UTF-8 bytes.
    public static func serializeBytes(_ value: JSONValue) -> [UInt8] {
        Array(serialize(value).utf8)
    }

    /// The JSON form of one number (`null` when not finite).
    public static func formatNumber(_ number: Double) -> String {
        guard number.isFinite else { return "null" }
        if number == number.rounded(), abs(number) < 9_007_199_254_740_992 {
            if number == 0 { return number.sign == .minus ? "-0" : "0" }
            return String(Int64(number))
        }
        return number.description
    }

    /// Appends the JSON string literal of `string` (with quotes) to `out`.
    public static func appendString(_ string: String, to out: inout String) {
        out.append("\"")
        var run = ""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": run.append("\\\"")
            case "\\": run.append("\\\\")
            case "\n": run.append("\\n")
            case "\r": run.append("\\r")
            case "\t": run.append("\\t")
            case "\u{08}": run.append("\\b")
            case "\u{0C}": run.append("\\f")
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    run.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                } else {
                    run.unicodeScalars.append(scalar)
                }
            }
        }
        out.append(run)
        out.append("\"")
    }

    private static func append(_ value: JSONValue, to out: inout String) {
        switch value {
        case .null: out.append("null")
        case .bool(let flag): out.append(flag ? "true" : "false")
        case .number(let number): out.append(formatNumber(number))
        case .string(let string): appendString(string, to: &out)
        case .array(let elements):
            out.append("[")
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(",") }
                append(element, to: &out)
            }
            out.append("]")
        case .object(let members):
            out.append("{")
            for (index, member) in members.enumerated() {
                if index > 0 { out.append(",") }
                appendString(member.0, to: &out)
                out.append(":")
                append(member.1, to: &out)
            }
            out.append("}")
        }
    }
}
