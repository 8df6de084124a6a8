#include "backends/common/ServiceCache.hpp"

namespace netsep::backends::vendor {

void ServiceCache::append(const lower::Match& m) {
    // Fixed-width fields with counts: two different matches never give
    // the same bytes. ICMP names are not part of it: backends print types.
    auto put = [&](uint32_t v, int bytes) {
        for (int i = 0; i < bytes; ++i)
            key_.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
    };
    put(static_cast<uint32_t>(m.proto), 1);
    put(static_cast<uint32_t>(m.ports.size()), 4);
    for (const auto& r : m.ports) {
        put(r.lo, 2);
        put(r.hi, 2);
    }
    put(static_cast<uint32_t>(m.icmpTypes.size()), 4);
    for (int t : m.icmpTypes)
        put(static_cast<uint32_t>(t), 4);
}

} // namespace netsep::backends::vendor
