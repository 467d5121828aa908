// _CImageCodecs: setjmp/longjmp wrappers around libjpeg(-turbo) and libpng.
//
// Every libjpeg/libpng error -- and every libjpeg warning that signals corrupt or truncated data -- comes back
// from these functions as a non-zero status with a message (sl_*_message), never as exit(), abort() or a
// silently grey image. Only plain C types cross this interface: Swift never sees a libjpeg/libpng struct.
//
// Ownership: a decoder/encoder handle owns every allocation made for it (including those made by the libraries
// and by this shim); sl_*_destroy frees all of it, also after an error. Buffers returned by the encoders are
// malloc'ed and must be released with sl_codecs_free.
#ifndef SIGHTLINE_CODECS_H
#define SIGHTLINE_CODECS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Status codes of every sl_* function that can fail.
enum {
    SL_OK = 0,
    SL_ERROR = 1,        ///< corrupt, truncated or unsupported data (message set)
    SL_OUT_OF_MEMORY = 2 ///< an allocation failed (message set)
};

// MARK: - JPEG decoding

/// Colour model of a JPEG file, as read from its header.
enum {
    SL_JPEG_GRAY = 1,    ///< one component
    SL_JPEG_COLOR = 3,   ///< YCbCr or RGB
    SL_JPEG_CMYK = 4,    ///< CMYK or YCCK (decoded as CMYK)
    SL_JPEG_OTHER = 0    ///< anything else (unsupported)
};

/// What jpeg_read_header learnt about a file.
typedef struct {
    uint32_t width;
    uint32_t height;
    int32_t components;
    int32_t color_model;     ///< SL_JPEG_*
    int32_t precision;       ///< bits per sample (8; 12 is unsupported)
    int32_t progressive;     ///< 1 for a progressive (SOF2/SOF6/SOF10) file
    int32_t arithmetic;      ///< 1 for arithmetic coding (unsupported by contract)
    int32_t saw_adobe;       ///< 1 when an Adobe APP14 marker was present
    int32_t adobe_transform; ///< its transform code (0 none/CMYK, 1 YCbCr, 2 YCCK)
} sl_jpeg_header;

typedef struct sl_jpeg_decoder sl_jpeg_decoder;

/// A decoder reading from `data[0..<length]`, which must stay valid and unchanged until sl_jpeg_destroy.
/// Returns NULL when out of memory.
sl_jpeg_decoder *sl_jpeg_create(const uint8_t *data, size_t length);
/// Reads the markers up to the first scan. Saves the first APP1 "Exif" segment for sl_jpeg_exif.
int sl_jpeg_read_header(sl_jpeg_decoder *d, sl_jpeg_header *out);
/// The payload of the first APP1 segment that starts with "Exif\0\0" (including that prefix), or NULL.
const uint8_t *sl_jpeg_exif(sl_jpeg_decoder *d, size_t *length);
/// Starts decompression with output in RGB (3 bytes/pixel; grey is expanded by libjpeg-turbo) or, when
/// `cmyk` is non-zero, raw CMYK as stored (4 bytes/pixel; YCCK is converted to CMYK by libjpeg).
/// `out_components` receives the bytes per output pixel.
int sl_jpeg_start(sl_jpeg_decoder *d, int cmyk, int32_t *out_components);
/// Decodes up to `max_rows` scanlines into `dst` (row r at dst + r * stride). `rows_read` receives how many
/// rows were produced (fewer only at the end of the image).
int sl_jpeg_read_rows(sl_jpeg_decoder *d, uint8_t *dst, size_t stride, uint32_t max_rows, uint32_t *rows_read);
/// The message of the last failure ("" when none).
const char *sl_jpeg_message(const sl_jpeg_decoder *d);
/// Frees the decoder and everything it allocated. NULL is allowed.
void sl_jpeg_destroy(sl_jpeg_decoder *d);

// MARK: - JPEG encoding

/// Encodes 8-bit RGB (3 bytes/pixel, rows `stride` bytes apart) as a baseline 4:2:0 JFIF JPEG.
/// On success *out is a malloc'ed buffer of *out_length bytes (free with sl_codecs_free).
/// `message` (may be NULL) receives an error text of at most `message_capacity` bytes.
int sl_jpeg_encode_rgb(const uint8_t *rgb, uint32_t width, uint32_t height, size_t stride, int quality,
                       uint8_t **out, size_t *out_length, char *message, size_t message_capacity);

// MARK: - PNG decoding

/// IHDR fields, as libpng read them (after a successful sl_png_read_header).
typedef struct {
    uint32_t width;
    uint32_t height;
    int32_t bit_depth;
    int32_t color_type;  ///< PNG colour type (0 gray, 2 RGB, 3 palette, 4 gray+alpha, 6 RGBA)
    int32_t interlaced;  ///< 1 for Adam7
} sl_png_header;

typedef struct sl_png_decoder sl_png_decoder;

/// A decoder reading from `data[0..<length]`, valid until sl_png_destroy. NULL when out of memory.
sl_png_decoder *sl_png_create(const uint8_t *data, size_t length);
/// Checks the signature and reads every chunk before the first IDAT (CRC-checked).
int sl_png_read_header(sl_png_decoder *d, sl_png_header *out);
/// Decodes the whole image as 8-bit RGB into `dst` (rows `stride` bytes apart, stride >= 3 * width):
/// palette expanded, grey replicated, alpha and tRNS dropped, 16 bits reduced to their high byte (as Pillow),
/// Adam7 de-interlaced.
int sl_png_decode_rgb8(sl_png_decoder *d, uint8_t *dst, size_t stride);
/// Decodes a non-interlaced or interlaced 8- or 16-bit grayscale image (colour type 0) without any transform:
/// 16-bit samples stay big-endian. Rows are `stride` bytes apart.
int sl_png_decode_gray(sl_png_decoder *d, uint8_t *dst, size_t stride);
/// The last libpng warning ("" when none); warnings never fail a decode.
const char *sl_png_warning(const sl_png_decoder *d);
/// The message of the last failure ("" when none).
const char *sl_png_message(const sl_png_decoder *d);
/// Frees the decoder and everything it allocated. NULL is allowed.
void sl_png_destroy(sl_png_decoder *d);

// MARK: - PNG encoding

/// Encodes 8-bit pixels (`channels` 1 = gray or 3 = RGB; rows `stride` bytes apart) as a non-interlaced PNG.
/// On success *out is a malloc'ed buffer of *out_length bytes (free with sl_codecs_free).
int sl_png_encode(const uint8_t *pixels, uint32_t width, uint32_t height, size_t stride, int channels,
                  int compression_level, uint8_t **out, size_t *out_length, char *message, size_t message_capacity);

/// Releases a buffer returned by an encoder. NULL is allowed.
void sl_codecs_free(void *pointer);

#ifdef __cplusplus
}
#endif

#endif
