#include "backends/common/TextSanitize.hpp"

#include <algorithm>

namespace netsep::backends {

std::string clipBytes(std::string s, std::size_t n) {
    if (s.size() > n)
        s.resize(n);
    return s;
}

} // namespace netsep::backends
