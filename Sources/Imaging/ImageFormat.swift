/// The image container formats the engine reads, detected from the file's content (never its extension).
public enum ImageFormat: String, Sendable, Codable, CaseIterable {
    case jpeg
    case png

    /// The format the bytes start with, or `nil` for anything else (GIF, text, empty data, …).
    ///
    /// JPEG: the SOI marker `FF D8` (what follows is libjpeg's to judge, so stray bytes after SOI are reported as
    /// a corrupt JPEG); PNG: the 8-byte PNG signature.
    public static func detect(_ bytes: [UInt8]) -> ImageFormat? {
        bytes.withUnsafeBufferPointer { detect($0) }
    }

    static func detect(_ bytes: UnsafeBufferPointer<UInt8>) -> ImageFormat? {
        if bytes.count >= 2, bytes[0] == 0xFF, bytes[1] == 0xD8 { return .jpeg }
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        if bytes.count >= 8, (0..<8).allSatisfy({ bytes[$0] == signature[$0] }) { return .png }
        return nil
    }
}
