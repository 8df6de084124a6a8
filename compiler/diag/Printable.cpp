#include "diag/Printable.hpp"

namespace netsep {

std::string printable(std::string_view text, bool keepNewlines) {
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        auto u = static_cast<unsigned char>(text[i]);
        if (u == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
            static_cast<unsigned char>(text[i + 1]) <= 0x9f) {
            out += "??";
            ++i;
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
