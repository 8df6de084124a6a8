#include "diag/Printable.hpp"

namespace netsep {

namespace {

// Length of the valid UTF-8 sequence at text[i] (a lead byte >= 0x80), or
// 0 when the bytes there are not one.
size_t utf8Sequence(std::string_view text, size_t i) {
    auto at = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char c = at(i);
    const size_t n = (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || c < 0xc2 || c > 0xf4 || i + n > text.size())
        return 0;
    for (size_t k = 1; k < n; ++k)
        if ((at(i + k) >> 6) != 2)
            return 0;
    if ((c == 0xe0 && at(i + 1) < 0xa0) || (c == 0xed && at(i + 1) >= 0xa0) ||
        (c == 0xf0 && at(i + 1) < 0x90) || (c == 0xf4 && at(i + 1) >= 0x90))
        return 0; // overlong, surrogate or beyond U+10FFFF
    return n;
}

} // namespace

std::string printable(std::string_view text, bool keepNewlines) {
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        auto u = static_cast<unsigned char>(text[i]);
        if (u >= 0x80) {
            // A byte that is not part of valid UTF-8 (a raw 0x9b is CSI to
            // an 8-bit terminal) becomes '?', one per byte.
            const size_t n = utf8Sequence(text, i);
            if (n == 0) {
                out.push_back('?');
            } else if (u == 0xc2 && static_cast<unsigned char>(text[i + 1]) <= 0x9f) {
                out += "??";
            } else {
                out.append(text.substr(i, n));
            }
            i += n == 0 ? 0 : n - 1;
            continue;
        }
        if (u == '\n' && keepNewlines)
            out.push_back('\n');
        else
            out.push_back(u == '\t' ? ' ' : (u < 0x20 || u == 0x7f) ? '?' : text[i]);
    }
    return out;
}

std::string printableJson(std::string_view json) {
    static const char* hex = "0123456789abcdef";
    std::string out;
    out.reserve(json.size());
    for (size_t i = 0; i < json.size(); ++i) {
        auto u = static_cast<unsigned char>(json[i]);
        unsigned code = 0;
        if (u == 0x7f)
            code = 0x7f;
        else if (u == 0xc2 && i + 1 < json.size() &&
                 static_cast<unsigned char>(json[i + 1]) >= 0x80 &&
                 static_cast<unsigned char>(json[i + 1]) <= 0x9f)
            code = static_cast<unsigned char>(json[++i]);
        if (code == 0) {
            out.push_back(json[i]);
            continue;
        }
        out += "\\u00";
        out.push_back(hex[code >> 4]);
        out.push_back(hex[code & 0xf]);
    }
    return out;
}

} // namespace netsep
