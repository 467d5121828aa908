// setjmp/longjmp wrappers around libjpeg(-turbo) and libpng. See include/codecs.h for the contract.
//
// Pattern: every public function that calls into a library first arms a jmp_buf in its own stack frame; the
// library's error handler (and, for libjpeg, the handler of warnings that mean corrupt data) formats the message
// into the handle and longjmps back, so the function returns SL_ERROR. Nothing is ever printed to stderr and
// nothing calls exit(). Everything allocated for a handle is reachable from it and freed by sl_*_destroy.
#include "codecs.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>
#include <png.h>

#define SL_MESSAGE_CAPACITY 256

static void sl_copy_message(char *dst, size_t capacity, const char *src) {
    if (dst == NULL || capacity == 0) return;
    snprintf(dst, capacity, "%s", src != NULL ? src : "");
}

void sl_codecs_free(void *pointer) { free(pointer); }

// MARK: - libjpeg error manager

typedef struct {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    char message[JMSG_LENGTH_MAX + 32];
} sl_jpeg_error_mgr;

static void sl_jpeg_error_exit(j_common_ptr cinfo) {
    sl_jpeg_error_mgr *err = (sl_jpeg_error_mgr *)cinfo->err;
    (*cinfo->err->format_message)(cinfo, err->message);
    longjmp(err->jump, 1);
}

/// Which libjpeg warnings fail a decode. libjpeg reports corrupt entropy data, truncation and stray bytes as
/// *warnings* and carries on, filling the rest of the image with grey: for a scoring engine that is a silent wrong
/// answer, so those are fatal. Only warnings about metadata that does not affect the pixels are tolerated:
/// an unknown JFIF revision, an unknown Adobe transform code (libjpeg then picks the colour space from the
/// component count) and a malformed ICC marker (colour profiles are not used).
static int sl_jpeg_warning_is_fatal(int code) {
    switch (code) {
    case JWRN_JFIF_MAJOR:
    case JWRN_ADOBE_XFORM:
    case JWRN_BOGUS_ICC:
        return 0;
    default:
        return 1; // JWRN_JPEG_EOF, JWRN_EXTRANEOUS_DATA, JWRN_HIT_MARKER, JWRN_HUFF_BAD_CODE, JWRN_MUST_RESYNC, ...
    }
}

static void sl_jpeg_emit_message(j_common_ptr cinfo, int msg_level) {
    if (msg_level >= 0) return; // trace messages
    if (sl_jpeg_warning_is_fatal(cinfo->err->msg_code)) {
        sl_jpeg_error_exit(cinfo);
    }
    cinfo->err->num_warnings++;
}

static void sl_jpeg_output_message(j_common_ptr cinfo) { (void)cinfo; }

static void sl_jpeg_install_error_mgr(sl_jpeg_error_mgr *err) {
    jpeg_std_error(&err->pub);
    err->pub.error_exit = sl_jpeg_error_exit;
    err->pub.emit_message = sl_jpeg_emit_message;
    err->pub.output_message = sl_jpeg_output_message;
    err->message[0] = 0;
}

// MARK: - JPEG decoding

struct sl_jpeg_decoder {
    struct jpeg_decompress_struct cinfo; // first member: a j_decompress_ptr is also a sl_jpeg_decoder *
    sl_jpeg_error_mgr err;
    struct jpeg_source_mgr source;
    struct jpeg_progress_mgr progress;
    const uint8_t *data;
    size_t length;
    int created;
    int header_done;  // jpeg_read_header has returned
    int multi_scan;   // progressive or non-interleaved: the image is assembled from several scans
};

// Memory source. At the end of the data libjpeg's own jpeg_mem_src always warns JWRN_JPEG_EOF and inserts a fake
// EOI marker. Here the fake EOI is silent in exactly one case: a single-scan image whose header was complete.
// Then a real truncation is still caught, because the entropy decoder warns JWRN_HIT_MARKER ("premature end of
// data segment") as soon as it needs bits that are not there (and JWRN_MUST_RESYNC at a restart interval);
// only a file that lacks nothing but its final EOI marker decodes. In a multi-scan (progressive) file a cut at a
// scan boundary would silently drop the remaining scans (a blurred image), so there the end of data is fatal.
static const JOCTET sl_fake_eoi[2] = {0xFF, JPEG_EOI};

/// A progressive file can declare thousands of tiny scans, each of which makes libjpeg walk the whole coefficient
/// buffer (a CPU-time bomb in a small file). Real encoders write about 10; libjpeg-turbo's own tools suggest
/// 500 as a limit. More than this is refused.
#define SL_JPEG_MAX_SCANS 1000

static void sl_jpeg_progress(j_common_ptr cinfo) {
    if (!cinfo->is_decompressor) return;
    j_decompress_ptr d = (j_decompress_ptr)cinfo;
    if (d->input_scan_number > SL_JPEG_MAX_SCANS) {
        sl_jpeg_error_mgr *err = (sl_jpeg_error_mgr *)cinfo->err;
        snprintf(err->message, sizeof(err->message), "JPEG has more than %d scans", SL_JPEG_MAX_SCANS);
        longjmp(err->jump, 1);
    }
}

static void sl_jpeg_source_init(j_decompress_ptr cinfo) { (void)cinfo; }

static boolean sl_jpeg_source_fill(j_decompress_ptr cinfo) {
    sl_jpeg_decoder *d = (sl_jpeg_decoder *)cinfo;
    if (!d->header_done || d->multi_scan) WARNMS(cinfo, JWRN_JPEG_EOF); // fatal: see sl_jpeg_warning_is_fatal
    d->source.next_input_byte = sl_fake_eoi;
    d->source.bytes_in_buffer = 2;
    return TRUE;
}

static void sl_jpeg_source_skip(j_decompress_ptr cinfo, long count) {
    sl_jpeg_decoder *d = (sl_jpeg_decoder *)cinfo;
    if (count <= 0) return;
    while ((size_t)count > d->source.bytes_in_buffer) {
        count -= (long)d->source.bytes_in_buffer;
        (void)sl_jpeg_source_fill(cinfo);
    }
    d->source.next_input_byte += (size_t)count;
    d->source.bytes_in_buffer -= (size_t)count;
}

static void sl_jpeg_source_term(j_decompress_ptr cinfo) { (void)cinfo; }

sl_jpeg_decoder *sl_jpeg_create(const uint8_t *data, size_t length) {
    sl_jpeg_decoder *volatile d = (sl_jpeg_decoder *)calloc(1, sizeof(sl_jpeg_decoder));
    if (d == NULL) return NULL;
    d->data = data;
    d->length = length;
    sl_jpeg_install_error_mgr(&d->err);
    d->cinfo.err = &d->err.pub;
    if (setjmp(d->err.jump)) {
        jpeg_destroy_decompress(&d->cinfo);
        free(d);
        return NULL;
    }
    jpeg_create_decompress(&d->cinfo);
    d->created = 1;
    return d;
}

int sl_jpeg_read_header(sl_jpeg_decoder *d, sl_jpeg_header *out) {
    memset(out, 0, sizeof(*out));
    if (setjmp(d->err.jump)) return SL_ERROR;
    if (d->length == 0) {
        sl_copy_message(d->err.message, sizeof(d->err.message), "empty JPEG data");
        return SL_ERROR;
    }
    d->source.init_source = sl_jpeg_source_init;
    d->source.fill_input_buffer = sl_jpeg_source_fill;
    d->source.skip_input_data = sl_jpeg_source_skip;
    d->source.resync_to_restart = jpeg_resync_to_restart;
    d->source.term_source = sl_jpeg_source_term;
    d->source.next_input_byte = d->data;
    d->source.bytes_in_buffer = d->length;
    d->cinfo.src = &d->source;
    d->progress.progress_monitor = sl_jpeg_progress;
    d->cinfo.progress = &d->progress;
    jpeg_save_markers(&d->cinfo, JPEG_APP0 + 1, 0xFFFF);
    if (jpeg_read_header(&d->cinfo, TRUE) != JPEG_HEADER_OK) {
        sl_copy_message(d->err.message, sizeof(d->err.message), "JPEG data holds no image");
        return SL_ERROR;
    }
    struct jpeg_decompress_struct *c = &d->cinfo;
    d->multi_scan = jpeg_has_multiple_scans(c) ? 1 : 0;
    d->header_done = 1;
    out->width = (uint32_t)c->image_width;
    out->height = (uint32_t)c->image_height;
    out->components = c->num_components;
    out->precision = c->data_precision;
    out->progressive = c->progressive_mode ? 1 : 0;
    out->arithmetic = c->arith_code ? 1 : 0;
    out->saw_adobe = c->saw_Adobe_marker ? 1 : 0;
    out->adobe_transform = c->Adobe_transform;
    switch (c->jpeg_color_space) {
    case JCS_GRAYSCALE: out->color_model = c->num_components == 1 ? SL_JPEG_GRAY : SL_JPEG_OTHER; break;
    case JCS_YCbCr:
    case JCS_RGB: out->color_model = c->num_components == 3 ? SL_JPEG_COLOR : SL_JPEG_OTHER; break;
    case JCS_CMYK:
    case JCS_YCCK: out->color_model = c->num_components == 4 ? SL_JPEG_CMYK : SL_JPEG_OTHER; break;
    default: out->color_model = SL_JPEG_OTHER; break;
    }
    return SL_OK;
}

const uint8_t *sl_jpeg_exif(sl_jpeg_decoder *d, size_t *length) {
    *length = 0;
    for (jpeg_saved_marker_ptr m = d->cinfo.marker_list; m != NULL; m = m->next) {
        if (m->marker != JPEG_APP0 + 1 || m->data_length < 6) continue;
        if (memcmp(m->data, "Exif\0\0", 6) != 0) continue;
        *length = m->data_length;
        return m->data;
    }
    return NULL;
}

int sl_jpeg_start(sl_jpeg_decoder *d, int cmyk, int32_t *out_components) {
    *out_components = 0;
    if (setjmp(d->err.jump)) return SL_ERROR;
    d->cinfo.out_color_space = cmyk ? JCS_CMYK : JCS_RGB;
    // Pillow's defaults (and libjpeg's): accurate integer IDCT, fancy (triangular) chroma upsampling.
    d->cinfo.dct_method = JDCT_ISLOW;
    d->cinfo.do_fancy_upsampling = TRUE;
    if (!jpeg_start_decompress(&d->cinfo)) {
        sl_copy_message(d->err.message, sizeof(d->err.message), "JPEG decoder suspended");
        return SL_ERROR;
    }
    *out_components = d->cinfo.output_components;
    return SL_OK;
}

int sl_jpeg_read_rows(sl_jpeg_decoder *d, uint8_t *dst, size_t stride, uint32_t max_rows, uint32_t *rows_read) {
    *rows_read = 0;
    if (setjmp(d->err.jump)) return SL_ERROR;
    uint32_t done = 0;
    JSAMPROW rows[16];
    while (done < max_rows && d->cinfo.output_scanline < d->cinfo.output_height) {
        uint32_t want = max_rows - done;
        if (want > 16) want = 16;
        for (uint32_t i = 0; i < want; i++) rows[i] = dst + (size_t)(done + i) * stride;
        JDIMENSION got = jpeg_read_scanlines(&d->cinfo, rows, want);
        if (got == 0) {
            sl_copy_message(d->err.message, sizeof(d->err.message), "JPEG decoder produced no scanline");
            return SL_ERROR;
        }
        done += got;
        *rows_read = done;
    }
    return SL_OK;
}

const char *sl_jpeg_message(const sl_jpeg_decoder *d) { return d->err.message; }

void sl_jpeg_destroy(sl_jpeg_decoder *d) {
    if (d == NULL) return;
    if (d->created) jpeg_destroy_decompress(&d->cinfo); // frees the pools, saved markers included
    free(d);
}

// MARK: - JPEG encoding

/// A growable memory destination whose buffer this shim owns (jpeg_mem_dest would leak its buffer on error).
typedef struct {
    struct jpeg_destination_mgr pub;
    uint8_t *buffer;
    size_t capacity;
} sl_jpeg_dest;

static void sl_jpeg_dest_init(j_compress_ptr cinfo) { (void)cinfo; }

static boolean sl_jpeg_dest_empty(j_compress_ptr cinfo) {
    sl_jpeg_dest *dest = (sl_jpeg_dest *)cinfo->dest;
    size_t used = dest->capacity;
    size_t capacity = dest->capacity * 2;
    uint8_t *grown = (uint8_t *)realloc(dest->buffer, capacity);
    if (grown == NULL) ERREXIT1(cinfo, JERR_OUT_OF_MEMORY, 99);
    dest->buffer = grown;
    dest->capacity = capacity;
    dest->pub.next_output_byte = grown + used;
    dest->pub.free_in_buffer = capacity - used;
    return TRUE;
}

static void sl_jpeg_dest_term(j_compress_ptr cinfo) { (void)cinfo; }

typedef struct {
    struct jpeg_compress_struct cinfo;
    sl_jpeg_error_mgr err;
    sl_jpeg_dest dest;
} sl_jpeg_encoder;

int sl_jpeg_encode_rgb(const uint8_t *rgb, uint32_t width, uint32_t height, size_t stride, int quality,
                       uint8_t **out, size_t *out_length, char *message, size_t message_capacity) {
    *out = NULL;
    *out_length = 0;
    sl_copy_message(message, message_capacity, "");
    sl_jpeg_encoder *e = (sl_jpeg_encoder *)calloc(1, sizeof(sl_jpeg_encoder));
    if (e == NULL) {
        sl_copy_message(message, message_capacity, "out of memory");
        return SL_OUT_OF_MEMORY;
    }
    sl_jpeg_install_error_mgr(&e->err);
    e->cinfo.err = &e->err.pub;
    if (setjmp(e->err.jump)) {
        sl_copy_message(message, message_capacity, e->err.message);
        jpeg_destroy_compress(&e->cinfo);
        free(e->dest.buffer);
        free(e);
        return SL_ERROR;
    }
    jpeg_create_compress(&e->cinfo);
    e->dest.capacity = 65536;
    e->dest.buffer = (uint8_t *)malloc(e->dest.capacity);
    if (e->dest.buffer == NULL) ERREXIT1(&e->cinfo, JERR_OUT_OF_MEMORY, 98);
    e->dest.pub.init_destination = sl_jpeg_dest_init;
    e->dest.pub.empty_output_buffer = sl_jpeg_dest_empty;
    e->dest.pub.term_destination = sl_jpeg_dest_term;
    e->dest.pub.next_output_byte = e->dest.buffer;
    e->dest.pub.free_in_buffer = e->dest.capacity;
    e->cinfo.dest = &e->dest.pub;

    e->cinfo.image_width = width;
    e->cinfo.image_height = height;
    e->cinfo.input_components = 3;
    e->cinfo.in_color_space = JCS_RGB;
    jpeg_set_defaults(&e->cinfo);
    jpeg_set_quality(&e->cinfo, quality < 1 ? 1 : (quality > 100 ? 100 : quality), TRUE);
    e->cinfo.optimize_coding = TRUE;
    jpeg_start_compress(&e->cinfo, TRUE);
    JSAMPROW row[1];
    while (e->cinfo.next_scanline < e->cinfo.image_height) {
        row[0] = (JSAMPROW)(rgb + (size_t)e->cinfo.next_scanline * stride);
        jpeg_write_scanlines(&e->cinfo, row, 1);
    }
    jpeg_finish_compress(&e->cinfo);
    size_t length = e->dest.capacity - e->dest.pub.free_in_buffer;
    jpeg_destroy_compress(&e->cinfo);
    *out = e->dest.buffer;
    *out_length = length;
    free(e);
    return SL_OK;
}

// MARK: - PNG decoding

struct sl_png_decoder {
    png_structp png;
    png_infop info;
    const uint8_t *data;
    size_t length;
    size_t offset;
    png_bytep *rows; // row pointers for an interlaced image (owned)
    char message[SL_MESSAGE_CAPACITY];
    char warning[SL_MESSAGE_CAPACITY];
};

static void sl_png_error_fn(png_structp png, png_const_charp msg) {
    sl_png_decoder *d = (sl_png_decoder *)png_get_error_ptr(png);
    if (d != NULL) sl_copy_message(d->message, sizeof(d->message), msg);
    png_longjmp(png, 1);
}

static void sl_png_warning_fn(png_structp png, png_const_charp msg) {
    sl_png_decoder *d = (sl_png_decoder *)png_get_error_ptr(png);
    if (d != NULL) sl_copy_message(d->warning, sizeof(d->warning), msg);
}

static void sl_png_read_fn(png_structp png, png_bytep out, size_t count) {
    sl_png_decoder *d = (sl_png_decoder *)png_get_io_ptr(png);
    if (d == NULL || count > d->length - d->offset) {
        png_error(png, "unexpected end of PNG data");
    }
    memcpy(out, d->data + d->offset, count);
    d->offset += count;
}

sl_png_decoder *sl_png_create(const uint8_t *data, size_t length) {
    sl_png_decoder *d = (sl_png_decoder *)calloc(1, sizeof(sl_png_decoder));
    if (d == NULL) return NULL;
    d->data = data;
    d->length = length;
    d->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, d, sl_png_error_fn, sl_png_warning_fn);
    if (d->png == NULL) {
        free(d);
        return NULL;
    }
    d->info = png_create_info_struct(d->png);
    if (d->info == NULL) {
        png_destroy_read_struct(&d->png, NULL, NULL);
        free(d);
        return NULL;
    }
    png_set_read_fn(d->png, d, sl_png_read_fn);
    return d;
}

int sl_png_read_header(sl_png_decoder *d, sl_png_header *out) {
    memset(out, 0, sizeof(*out));
    if (setjmp(png_jmpbuf(d->png))) return SL_ERROR;
    if (d->length < 8 || png_sig_cmp((png_const_bytep)d->data, 0, 8) != 0) {
        sl_copy_message(d->message, sizeof(d->message), "not a PNG signature");
        return SL_ERROR;
    }
    png_read_info(d->png, d->info);
    out->width = png_get_image_width(d->png, d->info);
    out->height = png_get_image_height(d->png, d->info);
    out->bit_depth = png_get_bit_depth(d->png, d->info);
    out->color_type = png_get_color_type(d->png, d->info);
    out->interlaced = png_get_interlace_type(d->png, d->info) == PNG_INTERLACE_NONE ? 0 : 1;
    return SL_OK;
}

/// Reads every row of the image (all Adam7 passes) into dst, after the transforms have been set up.
static void sl_png_read_rows(sl_png_decoder *d, uint8_t *dst, size_t stride, int passes) {
    uint32_t height = png_get_image_height(d->png, d->info);
    if (passes <= 1) {
        for (uint32_t y = 0; y < height; y++) png_read_row(d->png, dst + (size_t)y * stride, NULL);
        return;
    }
    d->rows = (png_bytep *)malloc(sizeof(png_bytep) * (size_t)height);
    if (d->rows == NULL) png_error(d->png, "out of memory");
    for (uint32_t y = 0; y < height; y++) d->rows[y] = dst + (size_t)y * stride;
    png_read_image(d->png, d->rows);
}

int sl_png_decode_rgb8(sl_png_decoder *d, uint8_t *dst, size_t stride) {
    if (setjmp(png_jmpbuf(d->png))) return SL_ERROR;
    int color_type = png_get_color_type(d->png, d->info);
    int bit_depth = png_get_bit_depth(d->png, d->info);
    if (bit_depth == 16) png_set_strip_16(d->png); // high byte, as Pillow's "RGB;16B"/"I;16" unpackers
    if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(d->png);
    if (color_type == PNG_COLOR_TYPE_GRAY && bit_depth < 8) png_set_expand_gray_1_2_4_to_8(d->png);
    png_set_strip_alpha(d->png); // RGBA, gray+alpha and palette tRNS: alpha dropped like convert("RGB")
    if (color_type == PNG_COLOR_TYPE_GRAY || color_type == PNG_COLOR_TYPE_GRAY_ALPHA) png_set_gray_to_rgb(d->png);
    int passes = png_set_interlace_handling(d->png);
    png_read_update_info(d->png, d->info);
    uint32_t width = png_get_image_width(d->png, d->info);
    if (png_get_channels(d->png, d->info) != 3 || png_get_bit_depth(d->png, d->info) != 8 ||
        png_get_rowbytes(d->png, d->info) != (size_t)width * 3 || stride < (size_t)width * 3) {
        sl_copy_message(d->message, sizeof(d->message), "unexpected PNG transform result");
        return SL_ERROR;
    }
    sl_png_read_rows(d, dst, stride, passes);
    return SL_OK;
}

int sl_png_decode_gray(sl_png_decoder *d, uint8_t *dst, size_t stride) {
    if (setjmp(png_jmpbuf(d->png))) return SL_ERROR;
    int color_type = png_get_color_type(d->png, d->info);
    int bit_depth = png_get_bit_depth(d->png, d->info);
    if (color_type != PNG_COLOR_TYPE_GRAY || (bit_depth != 8 && bit_depth != 16)) {
        sl_copy_message(d->message, sizeof(d->message), "not an 8- or 16-bit grayscale PNG");
        return SL_ERROR;
    }
    int passes = png_set_interlace_handling(d->png);
    png_read_update_info(d->png, d->info);
    uint32_t width = png_get_image_width(d->png, d->info);
    size_t bytes = (size_t)width * (size_t)(bit_depth / 8);
    if (png_get_channels(d->png, d->info) != 1 || png_get_rowbytes(d->png, d->info) != bytes || stride < bytes) {
        sl_copy_message(d->message, sizeof(d->message), "unexpected PNG transform result");
        return SL_ERROR;
    }
    sl_png_read_rows(d, dst, stride, passes);
    return SL_OK;
}

const char *sl_png_warning(const sl_png_decoder *d) { return d->warning; }

const char *sl_png_message(const sl_png_decoder *d) { return d->message; }

void sl_png_destroy(sl_png_decoder *d) {
    if (d == NULL) return;
    png_destroy_read_struct(&d->png, &d->info, NULL);
    free(d->rows);
    free(d);
}

// MARK: - PNG encoding

typedef struct {
    uint8_t *buffer;
    size_t length;
    size_t capacity;
    char message[SL_MESSAGE_CAPACITY];
} sl_png_sink;

static void sl_png_write_error_fn(png_structp png, png_const_charp msg) {
    sl_png_sink *s = (sl_png_sink *)png_get_error_ptr(png);
    if (s != NULL) sl_copy_message(s->message, sizeof(s->message), msg);
    png_longjmp(png, 1);
}

static void sl_png_write_warning_fn(png_structp png, png_const_charp msg) {
    (void)png;
    (void)msg;
}

static void sl_png_write_fn(png_structp png, png_bytep data, size_t count) {
    sl_png_sink *s = (sl_png_sink *)png_get_io_ptr(png);
    if (count > s->capacity - s->length) {
        size_t capacity = s->capacity < 65536 ? 65536 : s->capacity;
        while (count > capacity - s->length) {
            if (capacity > ((size_t)-1) / 2) png_error(png, "PNG too large");
            capacity *= 2;
        }
        uint8_t *grown = (uint8_t *)realloc(s->buffer, capacity);
        if (grown == NULL) png_error(png, "out of memory");
        s->buffer = grown;
        s->capacity = capacity;
    }
    memcpy(s->buffer + s->length, data, count);
    s->length += count;
}

static void sl_png_flush_fn(png_structp png) { (void)png; }

int sl_png_encode(const uint8_t *pixels, uint32_t width, uint32_t height, size_t stride, int channels,
                  int compression_level, uint8_t **out, size_t *out_length, char *message, size_t message_capacity) {
    *out = NULL;
    *out_length = 0;
    sl_copy_message(message, message_capacity, "");
    if (channels != 1 && channels != 3) {
        sl_copy_message(message, message_capacity, "PNG encoder: channels must be 1 or 3");
        return SL_ERROR;
    }
    sl_png_sink *sink = (sl_png_sink *)calloc(1, sizeof(sl_png_sink));
    if (sink == NULL) return SL_OUT_OF_MEMORY;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, sink, sl_png_write_error_fn,
                                              sl_png_write_warning_fn);
    if (png == NULL) {
        free(sink);
        return SL_OUT_OF_MEMORY;
    }
    png_infop info = png_create_info_struct(png);
    if (info == NULL) {
        png_destroy_write_struct(&png, NULL);
        free(sink);
        return SL_OUT_OF_MEMORY;
    }
    if (setjmp(png_jmpbuf(png))) {
        sl_copy_message(message, message_capacity, sink->message);
        png_destroy_write_struct(&png, &info);
        free(sink->buffer);
        free(sink);
        return SL_ERROR;
    }
    png_set_write_fn(png, sink, sl_png_write_fn, sl_png_flush_fn);
    png_set_compression_level(png, compression_level);
    png_set_IHDR(png, info, width, height, 8, channels == 3 ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_GRAY,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (uint32_t y = 0; y < height; y++) png_write_row(png, pixels + (size_t)y * stride);
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    *out = sink->buffer;
    *out_length = sink->length;
    free(sink);
    return SL_OK;
}
