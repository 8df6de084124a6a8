#include "model/PublicAddresses.hpp"

#include <string>

namespace netsep::model {

namespace {

IpPrefix prefix(const char* text) {
    std::string error;
    return *parsePrefix(text, error);
}

AddressSet build() {
    AddressSet set = AddressSet::of({prefix("0.0.0.0/0"), prefix("2000::/3")});
    for (const char* p :
         {"0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
          "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15",
          "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4", "2001:2::/48",
          "2001:db8::/32", "3fff::/20"})
        set.subtract(prefix(p));
    return set;
}

} // namespace

const AddressSet& publicAddresses() {
    static const AddressSet set = build();
    return set;
}

std::optional<IpPrefix> firstPublicPrefix(const AddressSet& set) {
    // The first range of the intersection, as its first prefix.
    const auto& pub = publicAddresses().ranges();
    for (const auto& r : set.ranges()) {
        for (const auto& p : pub) {
            if (p.family != r.family || p.hi < r.lo || r.hi < p.lo)
                continue;
            AddressSet::Range both{r.family, std::max(r.lo, p.lo), std::min(r.hi, p.hi)};
            auto prefixes = AddressSet::ofRanges({both}).prefixes(r.family);
            if (!prefixes.empty())
                return prefixes.front();
        }
    }
    return std::nullopt;
}

} // namespace netsep::model
