/// What an image header says: format, stored size, EXIF orientation and the size in display orientation.
///
/// Produced by `ImageDecoder.probe` without decoding any pixel.
public struct ImageInfo: Sendable, Equatable {
    /// Container format, detected from the content.
    public var format: ImageFormat
    /// Width of the pixel grid as stored in the file.
    public var storedWidth: Int
    /// Height of the pixel grid as stored in the file.
    public var storedHeight: Int
    /// EXIF orientation 1–8 (1 when absent, unparseable or out of range).
    public var orientation: Int
    /// Width after the orientation is applied (= `storedHeight` for orientations 5–8).
    public var displayWidth: Int
    /// Height after the orientation is applied (= `storedWidth` for orientations 5–8).
    public var displayHeight: Int

    public init(format: ImageFormat, storedWidth: Int, storedHeight: Int, orientation: Int) {
        let valid = (1...8).contains(orientation) ? orientation : 1
        self.format = format
        self.storedWidth = storedWidth
        self.storedHeight = storedHeight
        self.orientation = valid
        let swaps = valid >= 5
        self.displayWidth = swaps ? storedHeight : storedWidth
        self.displayHeight = swaps ? storedWidth : storedHeight
    }
}
