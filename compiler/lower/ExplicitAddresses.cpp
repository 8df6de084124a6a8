#include "lower/ExplicitAddresses.hpp"

#include "lower/NegatedAddresses.hpp"
#include "model/AddressSet.hpp"

#include <algorithm>

namespace netsep::lower {

std::vector<model::IpPrefix> complementPrefixes(const std::vector<model::IpPrefix>& declared,
                                                model::Family f) {
    return model::AddressSet::of(declared).complement(f).prefixes(f);
}

ExplicitAddresses::ExplicitAddresses(const LoweredFirewall& fw, ListOut which) : fw_(fw) {
    auto listed = [&](const AddressObject& o) {
        return (o.negatedV4 || o.negatedV6) &&
               (which == ListOut::All || !exclusionOf(fw, o).has_value());
    };
    if (std::none_of(fw.objects.begin(), fw.objects.end(), listed))
        return;
    copy_ = fw;
    std::vector<model::IpPrefix> v4, v6; // computed once: one catch-all per family
    for (AddressObject& o : copy_->objects) {
        if (!listed(o))
            continue;
        if (o.negatedV4) {
            if (v4.empty())
                v4 = complementPrefixes(fw.declaredV4, model::Family::V4);
            o.v4 = v4;
            o.negatedV4 = false;
        }
        if (o.negatedV6) {
            if (v6.empty())
                v6 = complementPrefixes(fw.declaredV6, model::Family::V6);
            o.v6 = v6;
            o.negatedV6 = false;
        }
    }
    bool negV4 = false, negV6 = false;
    for (const AddressObject& o : copy_->objects) {
        negV4 = negV4 || o.negatedV4;
        negV6 = negV6 || o.negatedV6;
    }
    if (!negV4)
        copy_->declaredV4.clear();
    if (!negV6)
        copy_->declaredV6.clear();
}

} // namespace netsep::lower
