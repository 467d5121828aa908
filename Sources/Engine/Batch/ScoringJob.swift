#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One offline scoring run from files, as `sightline score` and each `--batch` line describe it: the image (or
/// just its size), the regions, one heatmap file per label, the description and the options.
///
/// `run()` loads everything first and scores only when every input is valid, so nothing partial is produced.
public struct ScoringJob: Sendable {
    /// Where the regions come from.
    public enum Regions: Sendable {
        /// A `REGIONS.json` file.
        case file(String)
        /// An already parsed `{"regions": [...]}` object (a batch line).
        case value(JSONValue)
    }

    /// Image file (its display size is the scoring size); decoded fully so a corrupt file is an error.
    public var imagePath: String?
    /// Image size when no image is given.
    public var size: (width: Int, height: Int)?
    public var regions: Regions
    /// `(label, path)` per heatmap, in order.
    public var heatmaps: [(label: String, path: String)]
    public var description: String?
    public var options: ScoringOptions
    /// Whether the result keeps every normalised map (needed for overlays). Without it one image-size map is held
    /// at a time and `normalizedHeatmaps` is empty.
    public var keepMaps = true

    public init(
        imagePath: String?, size: (width: Int, height: Int)?, regions: Regions,
        heatmaps: [(label: String, path: String)], description: String?, options: ScoringOptions
    ) {
        self.imagePath = imagePath
        self.size = size
        self.regions = regions
        self.heatmaps = heatmaps
        self.description = description
        self.options = options
    }

    /// Loads the inputs and scores them. The decoded image is returned too (for overlays) when one was given.
    public func run() throws(ScoringJobError) -> (evaluation: ScoringEvaluation, image: RGBImage?) {
        var image: RGBImage? = nil
        let width: Int, height: Int
        if let imagePath {
            do throws(EngineError) {
                image = try ImageDecoder.decode(contentsOf: imagePath)
            } catch {
                throw ScoringJobError(path: imagePath, error: error)
            }
            width = image?.width ?? 0
            height = image?.height ?? 0
        } else if let size {
            width = size.width
            height = size.height
        } else {
            throw ScoringJobError(path: nil, error: EngineError(.invalidJSON, "neither an image nor a size is given"))
        }
        guard width > 0, height > 0, width <= ImageLimits.standard.maxSide, height <= ImageLimits.standard.maxSide,
              width * height <= ImageLimits.standard.maxPixels
        else {
            throw ScoringJobError(path: nil, error: EngineError(
                .imageTooLarge, "image size \(width)x\(height) is outside 1…20000 px a side, ≤ 50·10⁶ pixels"))
        }

        let regionSet: RegionSet
        switch regions {
        case .file(let path):
            do throws(EngineError) {
                regionSet = try RegionSet.parse(Self.readFile(path, missing: .invalidJSON))
            } catch {
                throw ScoringJobError(path: path, error: error)
            }
        case .value(let value):
            do throws(EngineError) {
                regionSet = try RegionSet.parse(value)
            } catch {
                throw ScoringJobError(path: nil, error: error)
            }
        }

        var maps: [(label: String, map: FloatMap)] = []
        for heatmap in heatmaps {
            do throws(EngineError) {
                maps.append((heatmap.label, try HeatmapReader.read(contentsOf: heatmap.path)))
            } catch {
                throw ScoringJobError(path: heatmap.path, error: error)
            }
        }

        let input = ScoringInput(
            width: width, height: height, regions: regionSet, heatmaps: maps, description: description)
        do throws(EngineError) {
            return (try Scorer.run(input, options: options, keepMaps: keepMaps), image)
        } catch {
            var path: String? = nil
            if case .file(let regionsPath) = regions, error.code == .emptyRegion || error.code == .invalidRegion {
                path = regionsPath
            }
            throw ScoringJobError(path: path, error: error)
        }
    }

    /// Reads a whole file; a path that can't be read (missing, a directory) is `missing`.
    public static func readFile(_ path: String, missing code: EngineErrorCode) throws(EngineError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw EngineError(code, "\(path): cannot open the file") }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw EngineError(code, "\(path): not a regular file")
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let got = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if got < 0 { throw EngineError(code, "\(path): read error") }
            if got == 0 { break }
            bytes.append(contentsOf: chunk[0..<got])
        }
        return bytes
    }
}
