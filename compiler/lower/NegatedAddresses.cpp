#include "lower/NegatedAddresses.hpp"

namespace netsep::lower {

std::optional<Exclusion> exclusionOf(const LoweredFirewall& fw, const AddressObject& o) {
    if (!o.negatedV4 && !o.negatedV6)
        return std::nullopt;
    if (!o.fqdns.empty() || !o.v4.empty() || !o.v6.empty())
        return std::nullopt; // a negation and a list in one object: not one field
    Exclusion e;
    auto whole = [](model::Family f) { return model::IpPrefix{f, 0, 0}; };
    if (o.negatedV4)
        e.v4 = fw.declaredV4;
    else
        e.v4 = {whole(model::Family::V4)};
    if (o.negatedV6)
        e.v6 = fw.declaredV6;
    else
        e.v6 = {whole(model::Family::V6)};
    return e;
}

} // namespace netsep::lower
