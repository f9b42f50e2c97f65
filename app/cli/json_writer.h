// A small streaming JSON writer: compact output, strings escaped per RFC
// 8259, numbers at full precision (shortest text that reads back as the
// same double, std::to_chars). Invalid UTF-8 in a string is replaced by
// U+FFFD, so the output is always valid JSON.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cli {

class JsonWriter {
public:
    JsonWriter& beginObject();
    JsonWriter& endObject();
    JsonWriter& beginArray();
    JsonWriter& endArray();
    JsonWriter& key(std::string_view name);

    JsonWriter& string(std::string_view utf8);
    JsonWriter& number(std::int64_t value);
    // Non-finite doubles have no JSON form: they are written as null.
    JsonWriter& number(double value);
    JsonWriter& boolean(bool value);
    JsonWriter& null();
    JsonWriter& optionalNumber(const std::optional<double>& value);
    JsonWriter& optionalString(const std::optional<std::string>& value);

    // The text written so far; take() empties the writer for the next line.
    const std::string& text() const { return m_out; }
    std::string take();

private:
    void separate();
    std::string m_out;
    std::vector<bool> m_hasItems;  // one per open container
    bool m_afterKey = false;
};

// `utf8` as a JSON string literal, quotes included.
std::string jsonQuote(std::string_view utf8);
// Shortest round-trip text of a double ("1.5", "1e+16", "1713456789.123456").
std::string formatDouble(double value);

}  // namespace cli
