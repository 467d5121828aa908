/// Reads a JSON heatmap: one array of equal-length, non-empty arrays of numbers (rows, top to bottom).
///
/// Parsed straight from the bytes with the strict `JSONParser` token rules; anything else (unparseable JSON
/// included) is `unsupported_heatmap`. Values are the JSON numbers rounded to `Float`.
enum HeatmapJSONReader {
    static func read(_ bytes: [UInt8], maxValues: Int) throws(EngineError) -> FloatMap {
        let result: Result<FloatMap, EngineError> = bytes.withUnsafeBufferPointer { buffer in
            do throws(EngineError) {
                return .success(try read(buffer, maxValues: maxValues))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private static func unsupported(_ message: String) -> EngineError {
        EngineError(.unsupportedHeatmap, "json heatmap: \(message)")
    }

    private static func read(_ buffer: UnsafeBufferPointer<UInt8>, maxValues: Int) throws(EngineError) -> FloatMap {
        var cursor = JSONCursor(buffer)
        cursor.skipByteOrderMark()
        cursor.skipWhitespace()
        guard cursor.peek() == UInt8(ascii: "[") else { throw unsupported("not an array of rows") }
        cursor.advance()
        cursor.skipWhitespace()
        guard cursor.peek() != UInt8(ascii: "]") else { throw unsupported("empty array") }
        var values: [Float] = []
        var width = 0
        var height = 0
        var finite = true
        rows: while true {
            cursor.skipWhitespace()
            guard cursor.peek() == UInt8(ascii: "[") else { throw unsupported("row \(height) is not an array of numbers") }
            cursor.advance()
            cursor.skipWhitespace()
            guard cursor.peek() != UInt8(ascii: "]") else { throw unsupported("row \(height) is empty") }
            var rowCount = 0
            while true {
                cursor.skipWhitespace()
                guard let byte = cursor.peek(),
                      byte == UInt8(ascii: "-") || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) else {
                    throw unsupported("row \(height) holds something other than numbers")
                }
                let number: Double
                do throws(EngineError) {
                    number = try cursor.parseNumber()
                } catch {
                    throw unsupported(error.message)
                }
                let value = Float(number)
                if !value.isFinite { finite = false }
                values.append(value)
                rowCount += 1
                guard values.count <= maxValues else {
                    throw EngineError(.heatmapTooLarge, "json heatmap: more than \(maxValues) values")
                }
                cursor.skipWhitespace()
                guard let separator = cursor.peek() else { throw unsupported("truncated JSON") }
                cursor.advance()
                if separator == UInt8(ascii: ",") { continue }
                guard separator == UInt8(ascii: "]") else { throw unsupported("expected ',' or ']' in row \(height)") }
                break
            }
            if height == 0 {
                width = rowCount
                values.reserveCapacity(min(maxValues, (buffer.count / max(cursor.index, 1) + 1) * width))
            } else if rowCount != width {
                throw unsupported("ragged rows (row \(height) has \(rowCount) values, row 0 has \(width))")
            }
            height += 1
            cursor.skipWhitespace()
            guard let separator = cursor.peek() else { throw unsupported("truncated JSON") }
            cursor.advance()
            if separator == UInt8(ascii: ",") { continue rows }
            guard separator == UInt8(ascii: "]") else { throw unsupported("expected ',' or ']' after row \(height - 1)") }
            break
        }
        cursor.skipWhitespace()
        guard cursor.atEnd else { throw unsupported("unexpected data after the array") }
        guard finite else { throw EngineError(.nonFiniteHeatmap, "json heatmap: a value is not finite in float32") }
        return FloatMap(width: width, height: height, values: values)
    }
}
