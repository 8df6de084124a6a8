#pragma once
#include "lower/LoweredPolicy.hpp"

#include <optional>
#include <vector>

namespace netsep::lower {

// Every address of family `f` outside `declared` (sorted, disjoint
// prefixes), as the minimal prefix list: what a negated object stands for.
std::vector<model::IpPrefix> complementPrefixes(const std::vector<model::IpPrefix>& declared,
                                                model::Family f);

// Which negated objects to list out.
enum class ListOut {
    All,          // every one (Cisco ASA, which has no negated match)
    Unexcludable, // those without an exclusionOf (lower/NegatedAddresses.hpp)
};

// For backends that print address objects as explicit prefix lists: the
// firewall with negated objects listed out, exactly as lowering listed them
// before objects could be negated. Copies the firewall only when it lists
// something out; otherwise firewall() is the one passed in. declaredV4/V6
// stay while an object is still negated in that family.
class ExplicitAddresses {
public:
    explicit ExplicitAddresses(const LoweredFirewall& fw, ListOut which = ListOut::All);
    const LoweredFirewall& firewall() const { return copy_ ? *copy_ : fw_; }

private:
    const LoweredFirewall& fw_;
    std::optional<LoweredFirewall> copy_;
};

} // namespace netsep::lower
