/// COCO run-length encoding helpers (pycocotools' `rleFrString` / `rleToString`).
enum COCORLE {
    /// Decodes pycocotools' compressed counts string; `nil` when it is malformed (characters outside `0`…`o`, a
    /// value cut off at the end, or a value too long to hold).
    static func decodeString(_ text: String) -> [Int]? {
        var counts: [Int] = []
        let bytes = Array(text.utf8)
        var position = 0
        while position < bytes.count {
            var value = 0
            var shift = 0
            var more = true
            while more {
                guard position < bytes.count, shift <= 55 else { return nil }
                let byte = bytes[position]
                guard byte >= 48, byte < 48 + 64 else { return nil }
                let c = Int(byte) - 48
                value |= (c & 0x1F) << shift
                more = (c & 0x20) != 0
                position += 1
                shift += 5
                if !more, (c & 0x10) != 0 { value |= -1 << shift }
            }
            if counts.count > 2 { value += counts[counts.count - 2] }
            counts.append(value)
        }
        return counts
    }

    /// Encodes run lengths as pycocotools' compressed string (the inverse of `decodeString`).
    static func encodeString(_ counts: [Int]) -> String {
        var out: [UInt8] = []
        for (index, run) in counts.enumerated() {
            var value = index > 2 ? run - counts[index - 2] : run
            var more = true
            while more {
                var c = value & 0x1F
                value >>= 5
                more = (c & 0x10) != 0 ? value != -1 : value != 0
                if more { c |= 0x20 }
                out.append(UInt8(c + 48))
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
