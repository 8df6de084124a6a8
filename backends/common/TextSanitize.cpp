#include "backends/common/TextSanitize.hpp"

#include <algorithm>

namespace netsep::backends {

std::string sanitizeText(std::string_view raw, std::size_t maxBytes, bool (*allowed)(char)) {
    std::string out;
    out.reserve(std::min(raw.size(), maxBytes));
    for (char c : raw)
        out.push_back(allowed(c) ? c : '_');
    if (out.size() > maxBytes) {
        if (maxBytes >= 3) {
            out.resize(maxBytes - 3);
            out += "...";
        } else {
            out.resize(maxBytes);
        }
    }
    return out;
}

std::string clipBytes(std::string s, std::size_t n) {
    if (s.size() > n)
        s.resize(n);
    return s;
}

} // namespace netsep::backends
