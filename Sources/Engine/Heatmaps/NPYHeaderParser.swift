/// Parses the Python dictionary literal of a `.npy` header (`{'descr': '<f4', 'fortran_order': False,
/// 'shape': (3, 5), }`): string keys; values that are strings, `True`/`False` or tuples of integers. Anything else
/// (lists, i.e. structured dtypes; nested dictionaries) is kept as `.other` and refused by the caller.
struct NPYHeaderParser {
    enum Value {
        case string(String)
        case bool(Bool)
        case tuple([Int])
        case other
    }

    let bytes: [UInt8]
    var index: Int
    let end: Int

    init(bytes: [UInt8], start: Int, end: Int) {
        self.bytes = bytes
        self.index = start
        self.end = end
    }

    private func failure(_ what: String) -> EngineError {
        EngineError(.unsupportedHeatmap, "npy: malformed header (\(what))")
    }

    private mutating func skipSpace() {
        while index < end, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x09 || bytes[index] == 0x0D {
            index += 1
        }
    }

    private mutating func expect(_ byte: UInt8) throws(EngineError) {
        skipSpace()
        guard index < end, bytes[index] == byte else { throw failure("expected '\(Character(Unicode.Scalar(byte)))'") }
        index += 1
    }

    private mutating func peekByte() -> UInt8? {
        skipSpace()
        return index < end ? bytes[index] : nil
    }

    mutating func parseDictionary() throws(EngineError) -> [String: Value] {
        try expect(UInt8(ascii: "{"))
        var result: [String: Value] = [:]
        while true {
            guard let next = peekByte() else { throw failure("unterminated dictionary") }
            if next == UInt8(ascii: "}") { index += 1; return result }
            let key = try parseString()
            try expect(UInt8(ascii: ":"))
            result[key] = try parseValue()
            guard let separator = peekByte() else { throw failure("unterminated dictionary") }
            if separator == UInt8(ascii: ",") { index += 1; continue }
            if separator == UInt8(ascii: "}") { index += 1; return result }
            throw failure("expected ',' or '}'")
        }
    }

    private mutating func parseString() throws(EngineError) -> String {
        guard let quote = peekByte(), quote == UInt8(ascii: "'") || quote == UInt8(ascii: "\"") else {
            throw failure("expected a string")
        }
        index += 1
        let start = index
        while index < end, bytes[index] != quote { index += 1 }
        guard index < end else { throw failure("unterminated string") }
        let string = String(decoding: bytes[start..<index], as: UTF8.self)
        index += 1
        return string
    }

    private mutating func parseValue() throws(EngineError) -> Value {
        guard let next = peekByte() else { throw failure("missing value") }
        switch next {
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "T"):
            try expectWord("True")
            return .bool(true)
        case UInt8(ascii: "F"):
            try expectWord("False")
            return .bool(false)
        case UInt8(ascii: "("):
            index += 1
            var items: [Int] = []
            while true {
                guard let item = peekByte() else { throw failure("unterminated tuple") }
                if item == UInt8(ascii: ")") { index += 1; return .tuple(items) }
                items.append(try parseInteger())
                guard let separator = peekByte() else { throw failure("unterminated tuple") }
                if separator == UInt8(ascii: ",") { index += 1; continue }
                if separator == UInt8(ascii: ")") { index += 1; return .tuple(items) }
                throw failure("expected ',' or ')'")
            }
        default:
            try skipNested()
            return .other
        }
    }

    private mutating func expectWord(_ word: String) throws(EngineError) {
        for byte in word.utf8 {
            guard index < end, bytes[index] == byte else { throw failure("unknown word") }
            index += 1
        }
    }

    /// A non-negative integer (optionally with Python 2's `L` suffix); saturates instead of overflowing, so a huge
    /// dimension is caught by the size limit.
    private mutating func parseInteger() throws(EngineError) -> Int {
        skipSpace()
        let start = index
        var value = 0
        while index < end, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
            value = value > Int.max / 20 ? Int.max / 2 : value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
            index += 1
        }
        guard index > start else { throw failure("expected a non-negative integer") }
        if index < end, bytes[index] == UInt8(ascii: "L") { index += 1 }
        return value
    }

    /// Skips a value this reader does not interpret (a list or nested structure), respecting brackets and quotes.
    private mutating func skipNested() throws(EngineError) {
        var depth = 0
        while index < end {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "["), UInt8(ascii: "("), UInt8(ascii: "{"): depth += 1
            case UInt8(ascii: "]"), UInt8(ascii: ")"), UInt8(ascii: "}"):
                if depth == 0 { return }
                depth -= 1
            case UInt8(ascii: ","):
                if depth == 0 { return }
            case UInt8(ascii: "'"), UInt8(ascii: "\""):
                index += 1
                while index < end, bytes[index] != byte { index += 1 }
            default: break
            }
            index += 1
        }
        throw failure("unterminated value")
    }
}
