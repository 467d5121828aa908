#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A read position in UTF-8 JSON bytes with the token scanners shared by `JSONParser` and the heatmap JSON reader.
struct JSONCursor {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    var atEnd: Bool { index >= bytes.count }

    @inline(__always) func peek() -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    @inline(__always) mutating func advance() { index += 1 }
    @inline(__always) mutating func retreat() { index -= 1 }

    func error(_ what: String) -> EngineError {
        EngineError(.invalidJSON, "invalid JSON at byte \(index): \(what)")
    }

    mutating func skipByteOrderMark() {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
    }

    @inline(__always) mutating func skipWhitespace() {
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return }
            index += 1
        }
    }

    mutating func expectLiteral(_ literal: StaticString) throws(EngineError) {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw error("unexpected end of input") }
        let start = literal.utf8Start
        for offset in 0..<count where bytes[index + offset] != start[offset] {
            throw error("invalid literal")
        }
        index += count
    }

    // MARK: Numbers

    private static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// Scans an RFC 8259 number at the cursor and returns its correctly rounded `Double` value (±infinity when the
    /// magnitude exceeds the `Double` range).
    mutating func parseNumber() throws(EngineError) -> Double {
        let start = index
        var position = index
        let count = bytes.count
        var negative = false
        if position < count, bytes[position] == UInt8(ascii: "-") {
            negative = true
            position += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        // Integer part.
        guard position < count else { throw error("truncated number") }
        let first = bytes[position]
        if first == UInt8(ascii: "0") {
            position += 1
            digits = 1
        } else if first >= UInt8(ascii: "1"), first <= UInt8(ascii: "9") {
            while position < count {
                let digit = bytes[position] &- UInt8(ascii: "0")
                guard digit < 10 else { break }
                if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(digit) }
                digits += 1
                position += 1
            }
        } else {
            throw error("invalid number")
        }
        // Fraction.
        var fractionDigits = 0
        if position < count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            let fractionStart = position
            while position < count {
                let digit = bytes[position] &- UInt8(ascii: "0")
                guard digit < 10 else { break }
                if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(digit) }
                digits += 1
                position += 1
            }
            fractionDigits = position - fractionStart
            guard fractionDigits > 0 else { index = position; throw error("digit expected after '.'") }
        }
        // Exponent.
        var exponent = 0
        var hasExponent = false
        if position < count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            hasExponent = true
            position += 1
            var exponentNegative = false
            if position < count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                exponentNegative = bytes[position] == UInt8(ascii: "-")
                position += 1
            }
            let exponentStart = position
            while position < count {
                let digit = bytes[position] &- UInt8(ascii: "0")
                guard digit < 10 else { break }
                if exponent < 100_000 { exponent = exponent * 10 + Int(digit) }
                position += 1
            }
            guard position > exponentStart else { index = position; throw error("digit expected in exponent") }
            if exponentNegative { exponent = -exponent }
        }
        index = position
        // Fast path (Clinger): at most 15 significant digits and a power of ten that is exact in a Double.
        if digits <= 15 {
            let scale = (hasExponent ? exponent : 0) - fractionDigits
            let value = Double(mantissa)
            if scale == 0 { return negative ? -value : value }
            if scale > 0, scale <= 22 {
                let scaled = value * Self.exactPowersOfTen[scale]
                return negative ? -scaled : scaled
            }
            if scale < 0, scale >= -22 {
                let scaled = value / Self.exactPowersOfTen[-scale]
                return negative ? -scaled : scaled
            }
        }
        return Self.convertSlow(bytes, start, position)
    }

    /// `strtod` on a NUL-terminated copy of the token (C locale: Swift programs don't call `setlocale`).
    private static func convertSlow(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Double {
        let length = end - start
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: length + 1) { buffer -> Double in
            for offset in 0..<length { buffer[offset] = CChar(bitPattern: bytes[start + offset]) }
            buffer[length] = 0
            return strtod(buffer.baseAddress!, nil)
        }
    }

    // MARK: Strings

    /// Parses a string literal starting at the opening quote.
    mutating func parseString() throws(EngineError) -> String {
        index += 1  // opening quote
        let start = index
        let count = bytes.count
        // Fast path: no escapes.
        while index < count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<index])
                guard let string = String(validating: slice, as: UTF8.self) else { throw error("invalid UTF-8 in string") }
                index += 1
                return string
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw error("control character in string") }
            index += 1
        }
        guard index < count else { throw error("unterminated string") }
        var decoded = [UInt8](UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                guard let string = String(validating: decoded, as: UTF8.self) else { throw error("invalid UTF-8 in string") }
                return string
            }
            if byte < 0x20 { throw error("control character in string") }
            if byte != UInt8(ascii: "\\") {
                decoded.append(byte)
                index += 1
                continue
            }
            index += 1
            guard index < count else { break }
            let escape = bytes[index]
            index += 1
            switch escape {
            case UInt8(ascii: "\""): decoded.append(0x22)
            case UInt8(ascii: "\\"): decoded.append(0x5C)
            case UInt8(ascii: "/"): decoded.append(0x2F)
            case UInt8(ascii: "b"): decoded.append(0x08)
            case UInt8(ascii: "f"): decoded.append(0x0C)
            case UInt8(ascii: "n"): decoded.append(0x0A)
            case UInt8(ascii: "r"): decoded.append(0x0D)
            case UInt8(ascii: "t"): decoded.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try parseHex4()
                if scalar >= 0xD800, scalar < 0xDC00 {
                    // A high surrogate: combine with a following \uDC00-\uDFFF, else it stands alone.
                    if index + 6 <= count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                        let saved = index
                        index += 2
                        let low = try parseHex4()
                        if low >= 0xDC00, low < 0xE000 {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            index = saved
                            scalar = 0xFFFD
                        }
                    } else {
                        scalar = 0xFFFD
                    }
                } else if scalar >= 0xDC00, scalar < 0xE000 {
                    scalar = 0xFFFD  // a lone low surrogate can't be a String scalar
                }
                appendUTF8(scalar, to: &decoded)
            default:
                index -= 1
                throw error("invalid escape")
            }
        }
        throw error("unterminated string")
    }

    private mutating func parseHex4() throws(EngineError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw error("invalid \\u escape")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    private func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (scalar >> 6)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (scalar >> 12)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (scalar >> 18)))
            out.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }
}
