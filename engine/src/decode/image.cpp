// Images known from their first bytes (the formats' own signatures, never
// file names), with the size where the header states it.
#include <cstdlib>

#include "diskcache/decode.h"

namespace diskcache::decode {
namespace {

class Bytes {
public:
    explicit Bytes(std::string_view data) : m_data(data) {}
    std::size_t size() const { return m_data.size(); }
    bool has(std::size_t pos, std::size_t count) const { return pos <= m_data.size() && m_data.size() - pos >= count; }
    bool startsWith(std::size_t pos, std::string_view magic) const {
        return has(pos, magic.size()) && m_data.substr(pos, magic.size()) == magic;
    }
    std::uint32_t u8(std::size_t pos) const { return static_cast<unsigned char>(m_data[pos]); }
    std::uint32_t le16(std::size_t pos) const { return u8(pos) | u8(pos + 1) << 8; }
    std::uint32_t le24(std::size_t pos) const { return le16(pos) | u8(pos + 2) << 16; }
    std::uint32_t le32(std::size_t pos) const { return le16(pos) | le16(pos + 2) << 16; }
    std::uint32_t be16(std::size_t pos) const { return u8(pos) << 8 | u8(pos + 1); }
    std::uint32_t be32(std::size_t pos) const { return be16(pos) << 16 | be16(pos + 2); }
    std::string_view view() const { return m_data; }

private:
    std::string_view m_data;
};

ImageInfo sized(ImageFormat format, std::uint32_t width, std::uint32_t height) {
    return {format, width, height};
}

std::optional<ImageInfo> png(const Bytes& b) {
    if (!b.startsWith(0, "\x89PNG\r\n\x1a\n")) return std::nullopt;
    // The first chunk is IHDR: width and height, big-endian, after its length and type.
    if (b.startsWith(12, "IHDR") && b.has(16, 8)) return sized(ImageFormat::Png, b.be32(16), b.be32(20));
    return sized(ImageFormat::Png, 0, 0);
}

std::optional<ImageInfo> gif(const Bytes& b) {
    if (!b.startsWith(0, "GIF87a") && !b.startsWith(0, "GIF89a")) return std::nullopt;
    if (!b.has(6, 4)) return sized(ImageFormat::Gif, 0, 0);
    return sized(ImageFormat::Gif, b.le16(6), b.le16(8));  // the logical screen
}

std::optional<ImageInfo> bmp(const Bytes& b) {
    // "BM" alone is too common in text; the DIB header's size must be one of
    // the known ones (OS/2 core 12, BITMAPINFOHEADER 40 and its successors).
    if (!b.startsWith(0, "BM") || !b.has(14, 4)) return std::nullopt;
    const std::uint32_t header = b.le32(14);
    if (header == 12)
        return b.has(18, 4) ? sized(ImageFormat::Bmp, b.le16(18), b.le16(20)) : sized(ImageFormat::Bmp, 0, 0);
    if (header != 40 && header != 52 && header != 56 && header != 64 && header != 108 && header != 124)
        return std::nullopt;
    if (!b.has(18, 8)) return sized(ImageFormat::Bmp, 0, 0);
    // A negative height means the rows are stored top-down.
    const auto height = static_cast<std::int32_t>(b.le32(22));
    const auto width = static_cast<std::int32_t>(b.le32(18));
    if (width < 0) return std::nullopt;
    return sized(ImageFormat::Bmp, static_cast<std::uint32_t>(width),
                 static_cast<std::uint32_t>(height < 0 ? -static_cast<std::int64_t>(height) : height));
}

bool isStartOfFrame(std::uint32_t marker) {
    // SOF0-SOF15, except DHT (C4), JPG (C8) and DAC (CC), which share the range.
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

std::optional<ImageInfo> jpeg(const Bytes& b) {
    if (!b.startsWith(0, "\xFF\xD8\xFF")) return std::nullopt;
    // Walk the marker segments up to the frame header; each step moves
    // forward, and the walk stops at the scan data or after 4096 segments.
    std::size_t pos = 2;
    for (int segments = 0; segments < 4096 && b.has(pos, 4); ++segments) {
        if (b.u8(pos) != 0xFF) break;
        const std::uint32_t marker = b.u8(pos + 1);
        if (marker == 0xFF) {
            ++pos;
            continue;
        }  // fill byte
        if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {
            pos += 2;
            continue;
        }                                             // no length
        if (marker == 0xD9 || marker == 0xDA) break;  // end of image, start of scan
        const std::uint32_t length = b.be16(pos + 2);
        if (length < 2) break;
        if (isStartOfFrame(marker) && b.has(pos + 5, 4))
            return sized(ImageFormat::Jpeg, b.be16(pos + 7), b.be16(pos + 5));
        pos += 2 + length;
    }
    return sized(ImageFormat::Jpeg, 0, 0);
}

std::optional<ImageInfo> webp(const Bytes& b) {
    if (!b.startsWith(0, "RIFF") || !b.startsWith(8, "WEBP")) return std::nullopt;
    if (b.startsWith(12, "VP8 ") && b.has(26, 4) && b.startsWith(23, "\x9d\x01\x2a"))
        return sized(ImageFormat::WebP, b.le16(26) & 0x3FFF, b.le16(28) & 0x3FFF);  // lossy key frame
    if (b.startsWith(12, "VP8L") && b.has(21, 4) && b.u8(20) == 0x2F) {
        const std::uint32_t bits = b.le32(21);  // lossless: 14 bits each of width-1, height-1
        return sized(ImageFormat::WebP, (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1);
    }
    if (b.startsWith(12, "VP8X") && b.has(24, 6))
        return sized(ImageFormat::WebP, b.le24(24) + 1, b.le24(27) + 1);  // extended: canvas
    return sized(ImageFormat::WebP, 0, 0);
}

// Skips what may precede an XML root element: a BOM, white space, the XML
// declaration, processing instructions, comments and a DOCTYPE.
std::size_t skipXmlProlog(std::string_view text) {
    std::size_t pos = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
    while (pos < text.size()) {
        const char c = text[pos];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            ++pos;
            continue;
        }
        const std::string_view rest = text.substr(pos);
        std::string_view close;
        if (rest.starts_with("<?"))
            close = "?>";
        else if (rest.starts_with("<!--"))
            close = "-->";
        else if (rest.starts_with("<!DOCTYPE"))
            close = ">";  // internal subsets are not expected in SVG
        else
            return pos;
        const std::size_t end = rest.find(close);
        if (end == std::string_view::npos) return text.size();
        pos += end + close.size();
    }
    return pos;
}

std::optional<ImageInfo> svg(const Bytes& b) {
    // The prolog is looked at within the first 64 KiB only.
    const std::string_view head = b.view().substr(0, 64 * 1024);
    const std::size_t pos = skipXmlProlog(head);
    const std::string_view rest = head.substr(pos);
    if (!rest.starts_with("<svg") || rest.size() < 5) return std::nullopt;
    const char after = rest[4];
    if (after != ' ' && after != '\t' && after != '\r' && after != '\n' && after != '>' && after != '/')
        return std::nullopt;
    return sized(ImageFormat::Svg, 0, 0);
}

}  // namespace

const char* imageFormatName(ImageFormat format) {
    switch (format) {
        case ImageFormat::Png:
            return "PNG";
        case ImageFormat::Jpeg:
            return "JPEG";
        case ImageFormat::Gif:
            return "GIF";
        case ImageFormat::WebP:
            return "WebP";
        case ImageFormat::Bmp:
            return "BMP";
        case ImageFormat::Svg:
            return "SVG";
    }
    return "?";
}

std::optional<ImageInfo> sniffImage(std::string_view data) {
    const Bytes b(data);
    for (auto sniff : {png, gif, bmp, jpeg, webp, svg}) {
        if (auto info = sniff(b)) return info;
    }
    return std::nullopt;
}

}  // namespace diskcache::decode
