#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a raw heatmap `R` (scoring.md §3) from `.npy`, 8/16-bit grayscale PNG or JSON bytes; the format is
/// detected by content (`\x93NUMPY`, `\x89PNG`, anything else is JSON), never by file name.
///
/// Errors: a structure or encoding outside §3 is `unsupported_heatmap` (also unparseable JSON: `invalid_json` is kept
/// for request/batch JSON); NaN/±Inf, or a finite value that overflows `Float`, is `non_finite_heatmap`; more than
/// ``maxValues`` values is `heatmap_too_large`, decided from the `.npy` header or PNG IHDR before the data is read.
public enum HeatmapReader {
    /// The largest accepted number of values (scoring.md §7: 16·10⁶).
    public static let maxValues = 16_000_000

    /// The largest JSON heatmap file read from a path (512 MiB): room for 16·10⁶ numbers of 33 bytes each, and a
    /// bound on memory before a single value is parsed.
    public static let maxJSONBytes = 512 << 20

    /// Reads a heatmap from the bytes of a file.
    public static func read(_ bytes: [UInt8]) throws(EngineError) -> FloatMap {
        if NPYReader.hasMagic(bytes) {
            return try NPYReader.read(bytes, maxValues: maxValues)
        }
        if bytes.count >= 8, bytes[0] == 0x89, bytes[1] == 0x50, bytes[2] == 0x4E, bytes[3] == 0x47 {
            return try readPNG(bytes)
        }
        return try HeatmapJSONReader.read(bytes, maxValues: maxValues)
    }

    /// Reads a heatmap file. A path that can't be read (missing, a directory) is `unsupported_heatmap`; a `.npy`
    /// file's header is checked before the rest of the file is read.
    public static func read(contentsOf path: String) throws(EngineError) -> FloatMap {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw EngineError(.unsupportedHeatmap, "\(path): cannot open the heatmap file")
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw EngineError(.unsupportedHeatmap, "\(path): not a regular file")
        }
        let size = Int(info.st_size)
        // Read the head first: an oversized .npy is refused from its header alone.
        let head = try readBytes(descriptor, count: min(size, NPYReader.headProbeBytes), path: path)
        if NPYReader.hasMagic(head) {
            do throws(EngineError) {
                _ = try NPYReader.parseHeader(head, maxValues: maxValues, complete: head.count == size)
            } catch {
                throw EngineError(error.code, "\(path): \(error.message)")
            }
        }
        let isPNG = head.count >= 4 && head[0] == 0x89 && head[1] == 0x50 && head[2] == 0x4E && head[3] == 0x47
        if !NPYReader.hasMagic(head), !isPNG, size > maxJSONBytes {
            // 16·10⁶ numbers written as float32-exact decimals take at most ~25 bytes each.
            throw EngineError(.heatmapTooLarge, "\(path): a JSON heatmap of \(size) bytes exceeds \(maxJSONBytes) bytes")
        }
        var bytes = head
        if size > head.count {
            bytes += try readBytes(descriptor, count: size - head.count, path: path)
        }
        do throws(EngineError) {
            return try read(bytes)
        } catch {
            throw EngineError(error.code, "\(path): \(error.message)")
        }
    }

    private static func readPNG(_ bytes: [UInt8]) throws(EngineError) -> FloatMap {
        let png: GrayPNG
        do throws(EngineError) {
            png = try ImageDecoder.decodeGrayHeatmapPNG(bytes, maxValues: maxValues)
        } catch {
            // Keep the heatmap domain whatever the image layer reports.
            switch error.code {
            case .imageTooLarge, .heatmapTooLarge: throw EngineError(.heatmapTooLarge, error.message)
            case .nonFiniteHeatmap: throw error
            default: throw EngineError(.unsupportedHeatmap, error.message)
            }
        }
        guard png.width > 0, png.height > 0, png.values.count == png.width * png.height else {
            throw EngineError(.unsupportedHeatmap, "png: empty or inconsistent image")
        }
        return FloatMap(width: png.width, height: png.height, values: png.values)
    }

    private static func readBytes(_ descriptor: Int32, count: Int, path: String) throws(EngineError) -> [UInt8] {
        guard count > 0 else { return [] }
        var buffer = [UInt8](repeating: 0, count: count)
        var filled = 0
        let failed: Bool = buffer.withUnsafeMutableBytes { raw in
            while filled < count {
                let got = readFromDescriptor(descriptor, raw.baseAddress! + filled, count - filled)
                if got < 0, errno == EINTR { continue }
                if got <= 0 { return true }
                filled += got
            }
            return false
        }
        guard !failed else { throw EngineError(.unsupportedHeatmap, "\(path): read error") }
        return buffer
    }
}

/// `read(2)` under a name that the enum's own `read` methods don't shadow.
private func readFromDescriptor(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
