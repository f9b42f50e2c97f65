// parseLiteral(): the subset of Python's grammar that ast.literal_eval
// accepts, parsed by recursive descent straight into a tree. Any other
// expression is InvalidArgument, like literal_eval's ValueError or
// SyntaxError.
#include "diskcache/pickle.h"

#include "internal.h"
#include "literal_string.h"

#include <cctype>
#include <cmath>
#include <cstring>
#include <unordered_map>

namespace diskcache::py {

namespace detail {

namespace {

Status notLiteral(const std::string& why) { return Status::invalidArgument("not a Python literal: " + why); }

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || static_cast<unsigned char>(c) >= 0x80; }

// Python's == between hashable values, as a string; empty when unhashable.
std::string hashKey(const Object& value);

std::string numberKey(double value) {
    if (std::isnan(value)) return {};  // nan: never equal; treated as distinct
    if (std::trunc(value) == value && std::fabs(value) < 9.2e18)
        return "n" + std::to_string(static_cast<std::int64_t>(value));
    std::uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    return "f" + std::to_string(bits);
}

std::string hashKey(const Object& value) {
    switch (value->kind) {
    case Kind::None: return "N";
    case Kind::Ellipsis: return "E";
    case Kind::Bool: return value->flag ? "n1" : "n0";
    case Kind::Int: return value->bigInt.empty() ? "n" + std::to_string(value->intValue) : "i" + value->bigInt;
    case Kind::Float: return numberKey(value->real);
    case Kind::Complex: return value->imag == 0.0 ? numberKey(value->real) : "c" + numberKey(value->real) + numberKey(value->imag);
    case Kind::Str: return "s" + value->data;
    case Kind::Bytes: return "b" + value->data;
    case Kind::Tuple: {
        std::string key = "t";
        for (const auto& item : value->items) {
            const std::string part = hashKey(item);
            if (part.empty()) return {};
            key += std::to_string(part.size()) + ":" + part;
        }
        return key;
    }
    default: return {};
    }
}

class LiteralParser {
public:
    explicit LiteralParser(std::string_view text) : m_text(text) {}
    Result<Object> parseAll();

private:
    void skipSpace();
    bool peek(std::string_view token);
    bool accept(std::string_view token);
    bool atEnd();

    Result<Object> testList(char closer, bool& isTuple);
    Result<Object> element();
    Result<Object> signedNumber(bool& isNumber, bool& isComplex);
    Result<Object> atom();
    Result<Object> bracketed(char open);
    Result<Object> braces();
    Result<Object> strings();
    Result<Object> number();
    Result<Object> name();

    std::string_view m_text;
    std::size_t m_pos = 0;
    int m_depth = 0;    // inside brackets, newlines are only spaces
    int m_nesting = 0;  // elements being parsed, to bound recursion
};

void LiteralParser::skipSpace() {
    while (m_pos < m_text.size()) {
        const char c = m_text[m_pos];
        if (c == ' ' || c == '\t' || c == '\f' || (c == '\r' && m_depth > 0) || (c == '\n' && m_depth > 0)) {
            ++m_pos;
        } else if (c == '\\' && m_pos + 1 < m_text.size() && m_text[m_pos + 1] == '\n') {
            m_pos += 2;  // an explicit line continuation
        } else if (c == '\\' && m_text.substr(m_pos, 3) == "\\\r\n") {
            m_pos += 3;
        } else if (c == '#') {
            while (m_pos < m_text.size() && m_text[m_pos] != '\n') ++m_pos;
        } else {
            return;
        }
    }
}

bool LiteralParser::peek(std::string_view token) {
    skipSpace();
    return m_text.substr(m_pos, token.size()) == token;
}

bool LiteralParser::accept(std::string_view token) {
    if (!peek(token)) return false;
    m_pos += token.size();
    return true;
}

bool LiteralParser::atEnd() {
    skipSpace();
    // Trailing newlines (and comments on their own lines) end the input.
    while (m_pos < m_text.size() && (m_text[m_pos] == '\n' || m_text[m_pos] == '\r')) {
        ++m_pos;
        skipSpace();
    }
    return m_pos == m_text.size();
}

Result<Object> LiteralParser::parseAll() {
    while (m_pos < m_text.size() && (m_text[m_pos] == '\n' || m_text[m_pos] == '\r' || m_text[m_pos] == ' ' ||
                                      m_text[m_pos] == '\t'))
        ++m_pos;  // literal_eval strips leading blanks; blank lines are skipped
    bool isTuple = false;
    auto value = testList('\0', isTuple);
    if (!value) return value;
    if (!atEnd()) return notLiteral("unexpected text at offset " + std::to_string(m_pos));
    return value;
}

// a, b, c  (a tuple when there is a comma; a trailing comma is allowed).
Result<Object> LiteralParser::testList(char closer, bool& isTuple) {
    std::vector<Object> items;
    isTuple = false;
    while (true) {
        if (closer != '\0' && peek(std::string_view(&closer, 1))) break;
        if (closer == '\0' && !items.empty() && atEnd()) break;
        auto item = element();
        if (!item) return item;
        items.push_back(std::move(item).value());
        if (!accept(",")) break;
        isTuple = true;
    }
    if (items.empty() && closer == '\0') return notLiteral("empty expression");
    if (!isTuple && items.size() == 1) return items[0];
    isTuple = true;
    return makeContainer(Kind::Tuple, std::move(items));
}

// An element: a literal, or a signed number, or real +/- imaginary.
Result<Object> LiteralParser::element() {
    if (++m_nesting > 200) return notLiteral("nested too deeply");
    bool isNumber = false, isComplex = false;
    auto parsedLeft = signedNumber(isNumber, isComplex);
    --m_nesting;
    if (!parsedLeft || !isNumber) return parsedLeft;
    const Object left = parsedLeft.value();
    const bool plus = peek("+");
    if (!plus && !peek("-")) return left;
    ++m_pos;
    if (isComplex) return notLiteral("complex on the left of + or -");
    auto parsedRight = atom();
    if (!parsedRight) return parsedRight;
    const Object right = parsedRight.value();
    if (right->kind != Kind::Complex || right->real != 0.0 || std::signbit(right->real))
        return notLiteral("only real +/- imaginary is a literal");
    const double real = left->kind == Kind::Float ? left->real : static_cast<double>(left->intValue);
    return makeComplex(real, plus ? right->imag : -right->imag);
}

// [+|-] atom; isNumber says whether the result may take part in a + b j.
Result<Object> LiteralParser::signedNumber(bool& isNumber, bool& isComplex) {
    skipSpace();
    const bool minus = peek("-");
    const bool sign = minus || peek("+");
    if (sign) ++m_pos;
    const std::size_t start = m_pos;
    auto parsed = atom();
    if (!parsed) return parsed;
    const Object value = parsed.value();
    skipSpace();
    const Kind kind = value->kind;
    const bool numeric = kind == Kind::Int || kind == Kind::Float || kind == Kind::Complex;
    // A number literal, possibly in parentheses, and not a bool.
    const bool literalNumber = numeric && m_text[start] != '[' && m_text[start] != '{';
    if (sign && !literalNumber) return notLiteral("sign before a non-number");
    isNumber = literalNumber;
    isComplex = kind == Kind::Complex;
    if (!minus) return value;
    if (kind == Kind::Float) return makeFloat(-value->real);
    if (kind == Kind::Complex) return makeComplex(-value->real, -value->imag);
    BigInt big = value->bigInt.empty() ? BigInt{} : bigFromTwos(value->bigInt);
    if (value->bigInt.empty()) {
        const std::uint64_t magnitude = static_cast<std::uint64_t>(value->intValue);
        big.limbs = {static_cast<std::uint32_t>(magnitude), static_cast<std::uint32_t>(magnitude >> 32)};
        while (!big.limbs.empty() && big.limbs.back() == 0) big.limbs.pop_back();
    }
    big.negative = !big.negative && !big.limbs.empty();
    return intObject(big);
}

Result<Object> LiteralParser::atom() {
    skipSpace();
    if (m_pos >= m_text.size()) return notLiteral("unexpected end");
    const char c = m_text[m_pos];
    if (c == '(' || c == '[') return bracketed(c);
    if (c == '{') return braces();
    if (c == '.' && m_text.substr(m_pos, 3) == "...") {
        m_pos += 3;
        auto node = std::make_shared<Node>();
        node->kind = Kind::Ellipsis;
        return Object(node);
    }
    if (isDigit(c) || (c == '.' && m_pos + 1 < m_text.size() && isDigit(m_text[m_pos + 1]))) return number();
    if (c == '\'' || c == '"' || isNameChar(c)) {
        const std::size_t quote = stringPrefixLength(m_text.substr(m_pos));
        if (quote != std::string_view::npos) return strings();
        return name();
    }
    return notLiteral(std::string("unexpected '") + c + "'");
}

Result<Object> LiteralParser::bracketed(char open) {
    const char closer = open == '(' ? ')' : ']';
    ++m_pos;
    ++m_depth;
    bool isTuple = false;
    Result<Object> inner = makeNone();
    if (peek(std::string_view(&closer, 1))) inner = makeContainer(Kind::Tuple, {});
    else inner = testList(closer, isTuple);
    --m_depth;
    if (!inner) return inner;
    if (!accept(std::string_view(&closer, 1))) return notLiteral(std::string("expected '") + closer + "'");
    if (open == '(') return inner;
    // [a, b]: the tuple testList built is the list's items.
    const Object value = inner.value();
    if (value->kind == Kind::Tuple && (isTuple || value->items.empty())) return makeContainer(Kind::List, value->items);
    return makeContainer(Kind::List, {value});
}

Result<Object> LiteralParser::braces() {
    ++m_pos;
    ++m_depth;
    std::vector<std::pair<Object, Object>> pairs;
    std::vector<Object> items;
    std::unordered_map<std::string, std::size_t> seen;
    bool isDict = true;
    for (bool first = true; !peek("}"); first = false) {
        auto parsedKey = element();
        if (!parsedKey) return parsedKey;
        const Object key = parsedKey.value();
        const bool colon = accept(":");
        if (first) isDict = colon;
        if (colon != isDict) return notLiteral("mixed set and dict display");
        const std::string hash = hashKey(key);
        if (hash.empty() && !(key->kind == Kind::Float || key->kind == Kind::Complex))
            return notLiteral("unhashable key");
        Object value;
        if (isDict) {
            auto parsed = element();
            if (!parsed) return parsed;
            value = std::move(parsed).value();
        }
        const auto [it, inserted] = seen.emplace(hash.empty() ? "#" + std::to_string(seen.size()) : hash,
                                                 isDict ? pairs.size() : items.size());
        if (isDict && inserted) pairs.emplace_back(key, value);
        else if (isDict) pairs[it->second].second = value;  // {k: 1, k: 2} keeps the first key's place
        else if (inserted) items.push_back(key);
        if (!accept(",")) break;
    }
    --m_depth;
    if (!accept("}")) return notLiteral("expected '}'");
    if (isDict) return makeDict(std::move(pairs));
    return makeContainer(Kind::Set, std::move(items));
}

Result<Object> LiteralParser::strings() {
    std::string joined;
    int kind = -1;  // 0 str, 1 bytes
    while (true) {
        skipSpace();
        const std::size_t prefix = stringPrefixLength(m_text.substr(m_pos));
        if (prefix == std::string_view::npos) break;
        StringLiteral literal;
        const Status status = readStringLiteral(m_text, m_pos, literal);
        if (!status) return status;
        if (kind != -1 && kind != (literal.isBytes ? 1 : 0)) return notLiteral("cannot mix bytes and str literals");
        kind = literal.isBytes ? 1 : 0;
        joined += literal.value;
    }
    return kind == 1 ? makeBytes(std::move(joined)) : makeStr(std::move(joined));
}

// Underscores may only separate two digits.
bool underscoresValid(std::string_view token) {
    for (std::size_t i = 0; i < token.size(); ++i)
        if (token[i] == '_' && (i == 0 || i + 1 == token.size() || !isDigit(token[i - 1]) || !isDigit(token[i + 1])))
            return false;
    return true;
}

Result<Object> LiteralParser::number() {
    const std::size_t start = m_pos;
    const auto digitsFrom = [&](std::size_t at) {
        while (at < m_text.size() && (isDigit(m_text[at]) || m_text[at] == '_')) ++at;
        return at;
    };
    const char second = m_pos + 1 < m_text.size() ? static_cast<char>(m_text[m_pos + 1] | 0x20) : '\0';
    if (m_text[m_pos] == '0' && (second == 'x' || second == 'o' || second == 'b')) {
        m_pos += 2;
        while (m_pos < m_text.size() && (std::isalnum(static_cast<unsigned char>(m_text[m_pos])) || m_text[m_pos] == '_')) ++m_pos;
        BigInt value;
        if (!parseIntText(m_text.substr(start, m_pos - start), value)) return notLiteral("bad integer");
        return intObject(value);
    }
    m_pos = digitsFrom(m_pos);
    bool isFloat = false;
    if (m_pos < m_text.size() && m_text[m_pos] == '.') isFloat = true, m_pos = digitsFrom(m_pos + 1);
    if (m_pos < m_text.size() && (m_text[m_pos] | 0x20) == 'e') {
        std::size_t at = m_pos + 1;
        if (at < m_text.size() && (m_text[at] == '+' || m_text[at] == '-')) ++at;
        if (at < m_text.size() && isDigit(m_text[at])) isFloat = true, m_pos = digitsFrom(at);
    }
    const std::string_view token = m_text.substr(start, m_pos - start);
    const bool imaginary = m_pos < m_text.size() && (m_text[m_pos] | 0x20) == 'j';
    if (imaginary) ++m_pos;
    if (m_pos < m_text.size() && isNameChar(m_text[m_pos])) return notLiteral("bad number");
    if (!underscoresValid(token)) return notLiteral("bad underscores in number");
    if (!isFloat && !imaginary) {
        BigInt value;
        if (!parseIntText(token, value)) return notLiteral("bad integer");
        return intObject(value);
    }
    std::string plain;
    for (const char c : token)
        if (c != '_') plain.push_back(c);
    double value = 0;
    if (!parseFloatText(plain, value)) return notLiteral("bad float");
    return imaginary ? makeComplex(0.0, value) : makeFloat(value);
}

Result<Object> LiteralParser::name() {
    const std::size_t start = m_pos;
    while (m_pos < m_text.size() && isNameChar(m_text[m_pos])) ++m_pos;
    const std::string_view word = m_text.substr(start, m_pos - start);
    if (word == "None") return makeNone();
    if (word == "True" || word == "False") return makeBool(word == "True");
    if (word == "set" && accept("(") && accept(")")) return makeContainer(Kind::Set, {});
    return notLiteral("name '" + std::string(word) + "'");
}

}  // namespace

}  // namespace detail

Result<Object> parseLiteral(std::string_view text) {
    detail::LiteralParser parser(text);
    return parser.parseAll();
}

}  // namespace diskcache::py
