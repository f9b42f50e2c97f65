// A strict JSON parser (RFC 8259) that lays text out as it parses, either
// the way Python's json.dumps(indent=2) does (pretty) or the way plain
// json.dumps() does (compact: ", " and ": ", non-ASCII as backslash-u escapes, which
// is what JSONDisk compresses). Numbers and escapes are copied as written,
// so nothing is lost in a round trip.
//
// One extension: NaN, Infinity and -Infinity are accepted, because Python's
// json.dumps writes them for float('nan') and float('inf') and JSONDisk
// stores whatever json.dumps makes.
//
// The parser recurses once per nesting level, so maxJsonDepth bounds its
// stack; output past maxTextBytes is dropped while parsing goes on, so a
// long value is still checked in full.
#include "diskcache/decode.h"
#include "internal.h"

namespace diskcache::decode {
namespace {

enum class Layout { Pretty, Compact };

class JsonPrinter {
public:
    JsonPrinter(std::string_view in, const DecodeOptions& options, Layout layout)
        : m_in(in), m_options(options), m_layout(layout) {}

    bool run(detail::PrettyJson& out, std::string& error) {
        skipSpace();
        if (m_pos < m_in.size()) out.top = m_in[m_pos];
        bool ok = value(0);
        if (ok) {
            skipSpace();
            if (m_pos != m_in.size()) ok = fail("extra data after the JSON value");
        }
        if (!ok) {
            error = m_error + " at byte " + std::to_string(m_pos);
            return false;
        }
        out.truncated = m_truncated;
        if (m_truncated) m_out += "...";
        out.text = std::move(m_out);
        return true;
    }

private:
    bool fail(std::string message) {
        if (m_error.empty()) m_error = std::move(message);
        return false;
    }
    void emit(std::string_view text) {
        if (m_truncated) return;
        const std::size_t max = m_options.maxTextBytes;
        if (max != 0 && m_out.size() + text.size() > max) {
            m_truncated = true;
            return;
        }
        m_out.append(text);
    }
    void newline(std::size_t depth) {
        if (m_layout == Layout::Compact) return;
        emit("\n");
        for (std::size_t i = 0; i < depth && !m_truncated; ++i) emit("  ");
    }
    void skipSpace() {
        while (m_pos < m_in.size() &&
               (m_in[m_pos] == ' ' || m_in[m_pos] == '\t' || m_in[m_pos] == '\n' || m_in[m_pos] == '\r'))
            ++m_pos;
    }
    bool literal(std::string_view word) {
        if (m_in.substr(m_pos, word.size()) != word) return fail("invalid JSON value");
        emit(word);
        m_pos += word.size();
        return true;
    }

    bool value(std::size_t depth) {
        skipSpace();
        if (m_pos >= m_in.size()) return fail("unexpected end of JSON");
        switch (m_in[m_pos]) {
            case '{':
                return container(depth, '}');
            case '[':
                return container(depth, ']');
            case '"':
                return string();
            case 't':
                return literal("true");
            case 'f':
                return literal("false");
            case 'n':
                return literal("null");
            case 'N':
                return literal("NaN");
            case 'I':
                return literal("Infinity");
            default:
                return number();
        }
    }

    bool container(std::size_t depth, char close) {
        if (depth + 1 > m_options.maxJsonDepth)
            return fail("JSON nested deeper than " + std::to_string(m_options.maxJsonDepth));
        emit(std::string_view(&m_in[m_pos], 1));
        ++m_pos;
        skipSpace();
        if (m_pos < m_in.size() && m_in[m_pos] == close) {
            ++m_pos;
            emit(std::string_view(&close, 1));
            return true;
        }
        for (bool first = true;; first = false) {
            if (!first) emit(m_layout == Layout::Compact ? ", " : ",");
            newline(depth + 1);
            if (close == '}' && !member(depth + 1)) return false;
            if (close == ']' && !value(depth + 1)) return false;
            skipSpace();
            if (m_pos >= m_in.size()) return fail("unexpected end of JSON");
            if (m_in[m_pos] == close) break;
            if (m_in[m_pos] != ',') return fail("expected ',' or a closing bracket");
            ++m_pos;
        }
        ++m_pos;
        newline(depth);
        emit(std::string_view(&close, 1));
        return true;
    }

    bool member(std::size_t depth) {
        skipSpace();
        if (m_pos >= m_in.size() || m_in[m_pos] != '"') return fail("expected a string key");
        if (!string()) return false;
        skipSpace();
        if (m_pos >= m_in.size() || m_in[m_pos] != ':') return fail("expected ':'");
        ++m_pos;
        emit(": ");
        return value(depth);
    }

    bool string() {
        std::size_t start = m_pos++;
        while (true) {
            if (m_pos >= m_in.size()) return fail("unterminated JSON string");
            const auto c = static_cast<unsigned char>(m_in[m_pos]);
            if (c == '"') break;
            if (c < 0x20) return fail("control character in a JSON string");
            if (c == '\\') {
                if (!escape()) return false;
                continue;
            }
            const std::size_t length = detail::utf8SequenceLength(m_in, m_pos);
            if (length == 0) return fail("invalid UTF-8 in a JSON string");
            if (m_layout == Layout::Compact && length > 1) {
                emit(m_in.substr(start, m_pos - start));
                emitAsciiEscape(m_in.substr(m_pos, length));
                m_pos += length;
                start = m_pos;
                continue;
            }
            m_pos += length;
        }
        ++m_pos;
        emit(m_in.substr(start, m_pos - start));
        return true;
    }

    // One non-ASCII character as json.dumps(ensure_ascii=True) writes it:
    // backslash-u and four lower-case hex digits, a surrogate pair beyond the BMP.
    void emitAsciiEscape(std::string_view utf8) {
        const auto b = [&](std::size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(utf8[i])); };
        std::uint32_t code = 0;
        if (utf8.size() == 2) code = ((b(0) & 0x1F) << 6) | (b(1) & 0x3F);
        else if (utf8.size() == 3) code = ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
        else code = ((b(0) & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
        auto unit = [this](std::uint32_t u) {
            static const char* hex = "0123456789abcdef";
            const char text[6] = {'\\', 'u', hex[(u >> 12) & 0xF], hex[(u >> 8) & 0xF], hex[(u >> 4) & 0xF], hex[u & 0xF]};
            emit(std::string_view(text, 6));
        };
        if (code < 0x10000) return unit(code);
        code -= 0x10000;
        unit(0xD800 | (code >> 10));
        unit(0xDC00 | (code & 0x3FF));
    }

    bool escape() {
        if (++m_pos >= m_in.size()) return fail("unterminated JSON string");
        const char c = m_in[m_pos++];
        if (std::string_view("\"\\/bfnrt").find(c) != std::string_view::npos) return true;
        if (c != 'u') return fail("invalid escape in a JSON string");
        for (int i = 0; i < 4; ++i, ++m_pos) {
            if (m_pos >= m_in.size() || !isHex(m_in[m_pos])) return fail("invalid \\u escape in a JSON string");
        }
        return true;
    }
    static bool isHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
    static bool isDigit(char c) { return c >= '0' && c <= '9'; }
    std::size_t digits() {
        const std::size_t start = m_pos;
        while (m_pos < m_in.size() && isDigit(m_in[m_pos])) ++m_pos;
        return m_pos - start;
    }

    bool number() {
        const std::size_t start = m_pos;
        if (m_in[m_pos] == '-') {
            ++m_pos;
            if (m_in.substr(m_pos, 8) == "Infinity") {
                m_pos += 8;
                emit(m_in.substr(start, m_pos - start));
                return true;
            }
        }
        if (m_pos >= m_in.size() || !isDigit(m_in[m_pos])) return fail("invalid JSON value");
        // No leading zeros: "0" alone, or a digit 1-9 and more digits.
        if (m_in[m_pos] == '0')
            ++m_pos;
        else
            digits();
        if (m_pos < m_in.size() && m_in[m_pos] == '.') {
            ++m_pos;
            if (digits() == 0) return fail("invalid JSON number");
        }
        if (m_pos < m_in.size() && (m_in[m_pos] == 'e' || m_in[m_pos] == 'E')) {
            ++m_pos;
            if (m_pos < m_in.size() && (m_in[m_pos] == '+' || m_in[m_pos] == '-')) ++m_pos;
            if (digits() == 0) return fail("invalid JSON number");
        }
        emit(m_in.substr(start, m_pos - start));
        return true;
    }

    std::string_view m_in;
    const DecodeOptions& m_options;
    Layout m_layout;
    std::size_t m_pos = 0;
    std::string m_out;
    std::string m_error;
    bool m_truncated = false;
};

}  // namespace

namespace detail {

bool prettyPrintJson(std::string_view json, const DecodeOptions& options, PrettyJson& out, std::string& error) {
    return JsonPrinter(json, options, Layout::Pretty).run(out, error);
}

}  // namespace detail

Result<std::string> prettyJson(std::string_view json, const DecodeOptions& options) {
    detail::PrettyJson pretty;
    std::string error;
    if (!detail::prettyPrintJson(json, options, pretty, error)) return Status::corrupt("not JSON: " + error);
    return std::move(pretty.text);
}

}  // namespace diskcache::decode

namespace diskcache::decode {

Result<std::string> compactJson(std::string_view json, const DecodeOptions& options) {
    detail::PrettyJson compact;
    std::string error;
    if (!JsonPrinter(json, options, Layout::Compact).run(compact, error)) return Status::invalidArgument("not JSON: " + error);
    return std::move(compact.text);
}

}  // namespace diskcache::decode
