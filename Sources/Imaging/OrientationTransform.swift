/// Maps stored pixels to display pixels for an EXIF orientation, so that the transform happens while rows are
/// copied out of the decoder (one pass, no second full-size buffer for JPEG).
///
/// Display index of stored pixel `(sx, sy)` = `base + sx * stepX + sy * stepY` (in pixels). Orientations as
/// Pillow's `ImageOps.exif_transpose`: 2 mirror, 3 rotate 180°, 4 flip, 5 transpose, 6 rotate 90° clockwise,
/// 7 transverse, 8 rotate 90° counter-clockwise.
struct OrientationTransform {
    let storedWidth: Int
    let storedHeight: Int
    let displayWidth: Int
    let displayHeight: Int
    let base: Int
    let stepX: Int
    let stepY: Int

    init(orientation: Int, storedWidth w: Int, storedHeight h: Int) {
        storedWidth = w
        storedHeight = h
        let swaps = orientation >= 5 && orientation <= 8
        let dw = swaps ? h : w
        displayWidth = dw
        displayHeight = swaps ? w : h
        switch orientation {
        case 2: (base, stepX, stepY) = (w - 1, -1, dw)
        case 3: (base, stepX, stepY) = ((h - 1) * dw + w - 1, -1, -dw)
        case 4: (base, stepX, stepY) = ((h - 1) * dw, 1, -dw)
        case 5: (base, stepX, stepY) = (0, dw, 1)
        case 6: (base, stepX, stepY) = (h - 1, dw, -1)
        case 7: (base, stepX, stepY) = ((w - 1) * dw + h - 1, -dw, -1)
        case 8: (base, stepX, stepY) = ((w - 1) * dw, -dw, 1)
        default: (base, stepX, stepY) = (0, 1, dw)
        }
    }

    var isIdentity: Bool { stepX == 1 && base == 0 && stepY == displayWidth }

    /// Writes stored rows `firstRow ..< firstRow + rowCount` (at `source`, `sourceStride` bytes apart, `components`
    /// bytes per pixel: 3 = RGB, 4 = Adobe-inverted CMYK as libjpeg returns it) into the display RGB buffer.
    func scatter(
        rows source: UnsafePointer<UInt8>, sourceStride: Int, components: Int, firstRow: Int, rowCount: Int,
        into destination: UnsafeMutablePointer<UInt8>
    ) {
        let w = storedWidth
        if stepY == 1 || stepY == -1 {
            // Orientations 5–8: a stored row becomes a display column. Walk the strip column by column so each
            // display row receives `rowCount` adjacent pixels at once (one page touch per strip, not per pixel).
            let outStep = stepY * 3
            if components == 3 {
                for sx in 0..<w {
                    var o = destination + (base + sx * stepX + firstRow * stepY) * 3
                    var s = source + sx * 3
                    for _ in 0..<rowCount {
                        o[0] = s[0]
                        o[1] = s[1]
                        o[2] = s[2]
                        o += outStep
                        s += sourceStride
                    }
                }
            } else {
                for sx in 0..<w {
                    var o = destination + (base + sx * stepX + firstRow * stepY) * 3
                    var s = source + sx * components
                    for _ in 0..<rowCount {
                        copyPixel(from: s, components: components, to: o)
                        o += outStep
                        s += sourceStride
                    }
                }
            }
            return
        }
        for r in 0..<rowCount {
            let src = source + r * sourceStride
            let rowBase = base + (firstRow + r) * stepY
            if components == 3 && stepX == 1 {
                (destination + rowBase * 3).update(from: src, count: w * 3)
                continue
            }
            var d = rowBase
            var s = src
            for _ in 0..<w {
                copyPixel(from: s, components: components, to: destination + d * 3)
                d += stepX
                s += components
            }
        }
    }

    /// One pixel: RGB as is, or 4-byte inverted CMYK converted to RGB.
    @inline(__always)
    private func copyPixel(from s: UnsafePointer<UInt8>, components: Int, to o: UnsafeMutablePointer<UInt8>) {
        if components == 3 {
            o[0] = s[0]
            o[1] = s[1]
            o[2] = s[2]
        } else {
            let (r, g, b) = Self.rgb(fromInvertedCMYK: s[0], s[1], s[2], s[3])
            o[0] = r
            o[1] = g
            o[2] = b
        }
    }

    /// Pillow's CMYK → RGB (`cmyk2rgb` after the `CMYK;I` unpacker that Adobe-convention JPEGs get):
    /// with `c = 255 − stored`, `nk = 255 − k`: `out = nk − c·nk/255` (rounded as Pillow's MULDIV255).
    @inline(__always)
    static func rgb(fromInvertedCMYK c: UInt8, _ m: UInt8, _ y: UInt8, _ k: UInt8) -> (UInt8, UInt8, UInt8) {
        let nk = Int(k)  // 255 - (255 - stored k)
        @inline(__always) func channel(_ stored: UInt8) -> UInt8 {
            let t = (255 - Int(stored)) * nk + 128
            let v = nk - ((t >> 8) + t) >> 8
            return UInt8(clamping: v)
        }
        return (channel(c), channel(m), channel(y))
    }
}
