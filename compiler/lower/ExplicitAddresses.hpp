#pragma once
#include "lower/LoweredPolicy.hpp"

#include <optional>
#include <vector>

namespace netsep::lower {

// Every address of family `f` outside `declared` (sorted, disjoint
// prefixes), as the minimal prefix list: what a negated object stands for.
std::vector<model::IpPrefix> complementPrefixes(const std::vector<model::IpPrefix>& declared,
                                                model::Family f);

// For backends that print address objects as explicit prefix lists (the
// vendor backends, until they negate objects themselves): the firewall with
// every negated object listed out, exactly as lowering listed it before
// objects could be negated. Copies the firewall only when it has a negated
// object; otherwise firewall() is the one passed in.
class ExplicitAddresses {
public:
    explicit ExplicitAddresses(const LoweredFirewall& fw);
    const LoweredFirewall& firewall() const { return copy_ ? *copy_ : fw_; }

private:
    const LoweredFirewall& fw_;
    std::optional<LoweredFirewall> copy_;
};

} // namespace netsep::lower
