/// Reads the EXIF Orientation tag (0x0112) from a TIFF-structured EXIF block.
///
/// Lenient by contract (scoring.md §7): anything that can't be parsed, and any value outside 1–8, is orientation 1.
enum ExifOrientation {
    /// Orientation from a JPEG APP1 payload or a PNG eXIf chunk; a leading `"Exif\0\0"` is skipped when present.
    static func read(_ block: UnsafeBufferPointer<UInt8>) -> Int {
        var start = 0
        if block.count >= 6, block[0] == 0x45, block[1] == 0x78, block[2] == 0x69, block[3] == 0x66,
            block[4] == 0, block[5] == 0
        {
            start = 6
        }
        return readTIFF(block, start: start)
    }

    private static func readTIFF(_ b: UnsafeBufferPointer<UInt8>, start: Int) -> Int {
        let count = b.count
        guard count - start >= 8 else { return 1 }
        let little: Bool
        if b[start] == 0x49, b[start + 1] == 0x49 {
            little = true
        } else if b[start] == 0x4D, b[start + 1] == 0x4D {
            little = false
        } else {
            return 1
        }
        func u16(_ at: Int) -> Int? {
            guard at >= start, at + 2 <= count else { return nil }
            let a = Int(b[at]), c = Int(b[at + 1])
            return little ? a | c << 8 : a << 8 | c
        }
        func u32(_ at: Int) -> Int? {
            guard let lo = u16(little ? at : at + 2), let hi = u16(little ? at + 2 : at) else { return nil }
            return hi << 16 | lo
        }
        guard u16(start + 2) == 42, let ifdOffset = u32(start + 4) else { return 1 }
        let ifd = start + ifdOffset
        guard ifdOffset >= 8, let entries = u16(ifd) else { return 1 }
        for index in 0..<entries {
            let entry = ifd + 2 + 12 * index
            guard let tag = u16(entry) else { return 1 }
            guard tag == 0x0112 else { continue }
            guard let type = u16(entry + 2), let n = u32(entry + 4), n >= 1 else { return 1 }
            let value: Int?
            switch type {
            case 3: value = u16(entry + 8)  // SHORT, the standard type
            case 4: value = u32(entry + 8)  // LONG
            case 1: value = entry + 8 < count ? Int(b[entry + 8]) : nil  // BYTE
            default: value = nil
            }
            guard let v = value, (1...8).contains(v) else { return 1 }
            return v
        }
        return 1
    }
}
