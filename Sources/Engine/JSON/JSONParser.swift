/// A strict RFC 8259 JSON parser over UTF-8 bytes.
///
/// A leading UTF-8 byte-order mark is ignored. Syntax errors, `NaN`/`Infinity` tokens, invalid UTF-8, unescaped
/// control characters, trailing commas and nesting deeper than ``maxDepth`` arrays/objects throw
/// `EngineError(.invalidJSON)`. Numbers are parsed straight from the bytes (correctly rounded); a number too large
/// for a `Double` becomes ±infinity, and the caller decides whether that is acceptable. The parser is iterative, so
/// deep input cannot overflow the stack.
public enum JSONParser {
    /// The deepest accepted nesting of arrays and objects.
    public static let maxDepth = 512

    /// Parses one JSON text.
    public static func parse(_ bytes: [UInt8]) throws(EngineError) -> JSONValue {
        let result: Result<JSONValue, EngineError> = bytes.withUnsafeBufferPointer { buffer in
            var parser = JSONTreeParser(buffer)
            do throws(EngineError) {
                return .success(try parser.parseDocument())
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Parses one JSON text given as a `String`.
    public static func parse(_ text: String) throws(EngineError) -> JSONValue {
        try parse(Array(text.utf8))
    }
}

/// The iterative tree builder behind `JSONParser`.
struct JSONTreeParser {
    private struct Frame {
        var isObject: Bool
        var elements: [JSONValue] = []
        var members: [(String, JSONValue)] = []
        var key: String = ""
    }

    private var cursor: JSONCursor

    init(_ buffer: UnsafeBufferPointer<UInt8>) {
        cursor = JSONCursor(buffer)
    }

    mutating func parseDocument() throws(EngineError) -> JSONValue {
        cursor.skipByteOrderMark()
        var stack: [Frame] = []
        var value: JSONValue
        parseValue: while true {
            cursor.skipWhitespace()
            guard let byte = cursor.peek() else { throw cursor.error("unexpected end of input") }
            switch byte {
            case UInt8(ascii: "["):
                guard stack.count < JSONParser.maxDepth else { throw cursor.error("nesting deeper than \(JSONParser.maxDepth)") }
                cursor.advance()
                cursor.skipWhitespace()
                if cursor.peek() == UInt8(ascii: "]") {
                    cursor.advance()
                    value = .array([])
                } else {
                    stack.append(Frame(isObject: false))
                    continue parseValue
                }
            case UInt8(ascii: "{"):
                guard stack.count < JSONParser.maxDepth else { throw cursor.error("nesting deeper than \(JSONParser.maxDepth)") }
                cursor.advance()
                cursor.skipWhitespace()
                if cursor.peek() == UInt8(ascii: "}") {
                    cursor.advance()
                    value = .object([])
                } else {
                    var frame = Frame(isObject: true)
                    frame.key = try parseKey()
                    stack.append(frame)
                    continue parseValue
                }
            default:
                value = try parseScalar(byte)
            }
            // A value is complete: attach it to its container, closing containers as they end.
            while true {
                guard !stack.isEmpty else {
                    cursor.skipWhitespace()
                    guard cursor.atEnd else { throw cursor.error("unexpected data after the JSON value") }
                    return value
                }
                let top = stack.count - 1
                if stack[top].isObject {
                    stack[top].members.append((stack[top].key, value))
                } else {
                    stack[top].elements.append(value)
                }
                cursor.skipWhitespace()
                guard let next = cursor.peek() else { throw cursor.error("unexpected end of input") }
                cursor.advance()
                if next == UInt8(ascii: ",") {
                    if stack[top].isObject { stack[top].key = try parseKey() }
                    continue parseValue
                }
                if stack[top].isObject, next == UInt8(ascii: "}") {
                    value = .object(stack.removeLast().members)
                } else if !stack[top].isObject, next == UInt8(ascii: "]") {
                    value = .array(stack.removeLast().elements)
                } else {
                    cursor.retreat()
                    throw cursor.error("expected ',' or a closing bracket")
                }
            }
        }
    }

    /// Parses `"key"` and the following `:`.
    private mutating func parseKey() throws(EngineError) -> String {
        cursor.skipWhitespace()
        guard cursor.peek() == UInt8(ascii: "\"") else { throw cursor.error("expected a member name") }
        let key = try cursor.parseString()
        cursor.skipWhitespace()
        guard cursor.peek() == UInt8(ascii: ":") else { throw cursor.error("expected ':'") }
        cursor.advance()
        return key
    }

    private mutating func parseScalar(_ byte: UInt8) throws(EngineError) -> JSONValue {
        switch byte {
        case UInt8(ascii: "\""): return .string(try cursor.parseString())
        case UInt8(ascii: "t"): try cursor.expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try cursor.expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try cursor.expectLiteral("null"); return .null
        default:
            guard byte == UInt8(ascii: "-") || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) else {
                throw cursor.error("unexpected character")
            }
            return .number(try cursor.parseNumber())
        }
    }
}
