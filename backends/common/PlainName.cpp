#include "backends/common/PlainName.hpp"

#include "backends/common/AsciiClass.hpp"

#include <algorithm>

namespace netsep::backends {

bool isPlainName(std::string_view s, std::size_t maxLen) {
    if (s.empty() || s.size() > maxLen || !isAsciiLetter(s.front()))
        return false;
    return std::all_of(s.begin(), s.end(), isNameChar);
}

std::string plainNameBase(std::string_view raw) {
    std::string base;
    base.reserve(raw.size() + 1);
    if (raw.empty() || !isAsciiLetter(raw.front()))
        base.push_back('x');
    for (char c : raw)
        base.push_back(isNameChar(c) ? c : '_');
    return base;
}

} // namespace netsep::backends
