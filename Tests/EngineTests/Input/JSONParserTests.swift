import Testing
@testable import Engine

/// Edge cases of the strict RFC 8259 parser and the writer.
@Suite("JSON parser and writer")
struct JSONParserTests {
    private func parse(_ text: String) throws(EngineError) -> JSONValue { try JSONParser.parse(Array(text.utf8)) }

    private func code(_ text: String) -> EngineErrorCode? {
        do { _ = try parse(text); return nil } catch { return error.code }
    }

    @Test("values, order of members, subscript")
    func basics() throws {
        let value = try parse(#" {"b": [1, -2.5e3, true, false, null], "a": "x\ny", "b": 3} "#)
        #expect(value.objectValue?.map(\.0) == ["b", "a", "b"])
        #expect(value["b"] == .number(3))  // the last duplicate wins, as in Python
        #expect(value["a"]?.stringValue == "x\ny")
        #expect(try parse("[1, -2.5e3, true, false, null]") == .array([.number(1), .number(-2500), .bool(true), .bool(false), .null]))
        #expect(try parse("0") == .number(0))
        #expect(try parse("\"top\"") == .string("top"))
        #expect(try parse("{}") == .object([]))
        #expect(try parse("[]") == .array([]))
    }

    @Test("a UTF-8 byte-order mark is ignored")
    func byteOrderMark() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(#"{"regions": []}"#.utf8)
        #expect(try JSONParser.parse(bytes)["regions"] == .array([]))
    }

    @Test("syntax errors are invalid_json", arguments: [
        "", "   ", "[1, 2,]", "{\"a\": 1,}", "[1 2]", "{\"a\" 1}", "{a: 1}", "NaN", "[NaN]", "Infinity", "[-Infinity]",
        "01", "1.", ".5", "+1", "1e", "1e+", "-", "[1]]", "[1] x", "\"unterminated", "\"bad \\x escape\"",
        "\"tab\tinside\"", "tru", "nul", "[\"\\u12G4\"]", "'single'", "{\"a\":1}{}",
    ])
    func syntaxErrors(text: String) {
        #expect(code(text) == .invalidJSON, "\(text)")
    }

    @Test("invalid UTF-8 is invalid_json")
    func invalidUTF8() {
        for bytes: [UInt8] in [[0x22, 0xC3, 0x28, 0x22], [0x22, 0xFF, 0x22], [0x22, 0x5C, 0x6E, 0xED, 0xA0, 0x80, 0x22]] {
            do {
                _ = try JSONParser.parse(bytes)
                Issue.record("parsed \(bytes)")
            } catch {
                #expect(error.code == .invalidJSON)
            }
        }
    }

    @Test("nesting: 512 levels parse, 513 are invalid_json")
    func depth() throws {
        let ok = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        _ = try parse(ok)
        let deep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        #expect(code(deep) == .invalidJSON)
        let objects = String(repeating: "{\"a\":", count: 513) + "1" + String(repeating: "}", count: 513)
        #expect(code(objects) == .invalidJSON)
        // Very deep input is refused without recursion.
        #expect(code(String(repeating: "[", count: 200_000)) == .invalidJSON)
    }

    @Test("numbers are correctly rounded; overflow gives ±infinity")
    func numbers() throws {
        #expect(try parse("0.1") == .number(0.1))
        #expect(try parse("0.20999999344348907") == .number(0.20999999344348907))
        #expect(try parse("123456789012345678901234567890") == .number(123456789012345678901234567890.0))
        #expect(try parse("-0") == .number(-0.0))
        #expect(try parse("1E2") == .number(100))
        #expect(try parse("2.5e-3") == .number(0.0025))
        #expect(try parse("1e400") == .number(.infinity))
        #expect(try parse("-1e400") == .number(-.infinity))
        #expect(try parse("1e-400") == .number(0))
        #expect(try parse("4.9406564584124654e-324") == .number(Double.leastNonzeroMagnitude))
        for text in ["3.141592653589793", "1e22", "1e23", "9007199254740993", "0.000001", "5e-324", "1.7976931348623157e308"] {
            #expect(try parse(text).numberValue == Double(text), "\(text)")
        }
    }

    @Test("string escapes and surrogate pairs")
    func strings() throws {
        #expect(try parse(#""\"\\\/\b\f\n\r\t""#) == .string("\"\\/\u{08}\u{0C}\n\r\t"))
        #expect(try parse(#""\u00e9\u4e2d\ud83d\ude00""#) == .string("é中😀"))
        #expect(try parse(#""\ud800""#) == .string("\u{FFFD}"))
        #expect(try parse("\"犬 dog\"") == .string("犬 dog"))
    }

    @Test("the writer round-trips and never writes NaN")
    func writer() throws {
        let value: JSONValue = .object([
            ("label", .string("a \"quoted\"\nline\u{01}")), ("n", .number(0.1)), ("i", .number(42)),
            ("neg", .number(-3.5e-9)), ("big", .number(1e300)), ("list", .array([.null, .bool(true)])),
        ])
        let text = JSONWriter.serialize(value)
        #expect(try parse(text) == value)
        #expect(JSONWriter.serialize(.number(.nan)) == "null")
        #expect(JSONWriter.serialize(.number(.infinity)) == "null")
        #expect(JSONWriter.serialize(.number(42)) == "42")
        #expect(JSONWriter.serialize(.array([.number(0.5), .number(-0.0)])) == "[0.5,-0]")
    }
}
