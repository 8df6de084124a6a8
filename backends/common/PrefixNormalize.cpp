#include "backends/common/PrefixNormalize.hpp"

#include <algorithm>

namespace netsep::backends {

std::vector<model::IpPrefix> normalizePrefixes(const std::vector<model::IpPrefix>& prefixes) {
    std::vector<model::IpPrefix> sorted = prefixes;
    // Sorting by (family, addr, len) puts a covering prefix before the
    // prefixes it covers.
    std::sort(sorted.begin(), sorted.end());
    std::vector<model::IpPrefix> out;
    for (const auto& p : sorted) {
        if (!out.empty() && out.back().contains(p))
            continue;
        out.push_back(p);
    }
    return out;
}

} // namespace netsep::backends
